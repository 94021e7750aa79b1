/**
 * Argument checks done before anything is written. A CR or LF inside an address would let the
 * caller's data end the command line and inject another command (SMTP smuggling); NUL has no
 * place in SMTP text either. go-smtp and smtplib refuse these the same way.
 *
 * Mailboxes follow the one mail grammar (core/mime/grammar.ts) that the draft checker and the
 * composer use too, so the envelope refuses exactly what `check` refuses: a quoted local part
 * such as `"a b"@example.com` is legal (RFC 5321 4.1.2) and is sent as written.
 */
import { envelopeMailboxFault, isSingleLine, mailboxFaultText, MAX_MAILBOX_OCTETS } from '../mime/grammar';
import type { LocalizedText } from '../text';
import { localized } from '../text';
import { SmtpArgumentError } from './errors';
import type { SmtpStage } from './errors';
import type { Envelope } from './types';

/** Throws when `value` cannot be one SMTP command argument; `text` names it for the user. */
export function checkLineSafe(value: string, text: LocalizedText, stage: SmtpStage): void {
  // CR, LF or NUL: none may appear inside an SMTP command line (RFC 5321 2.3.8).
  if (!isSingleLine(value)) throw new SmtpArgumentError({ stage, text });
}

/**
 * The usual mailbox, in one regular-expression test: an ASCII dot-atom local part, `@`, LDH
 * labels of at most 63 characters. Everything it accepts the grammar accepts unchanged (a unit
 * test holds it to that); everything else goes to the grammar, which decides. It exists
 * because a first, cold call of the full grammar costs about 25 µs per address, a visible
 * part of a 500-recipient send.
 */
const PLAIN_MAILBOX = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

export function isPlainMailbox(address: string): boolean {
  return address.length <= MAX_MAILBOX_OCTETS && PLAIN_MAILBOX.test(address);
}

/** A mailbox inside `<...>` (RFC 5321 4.1.2), by the shared grammar; ASCII unless SMTPUTF8. */
export function checkAddress(address: string, label: string, stage: SmtpStage, smtpUtf8: boolean): void {
  if (isPlainMailbox(address)) return;
  const fault = envelopeMailboxFault(address, smtpUtf8);
  if (fault !== undefined) throw new SmtpArgumentError({ stage, text: mailboxFaultText(label, address, fault) });
}

export function validateEnvelope(envelope: Envelope): void {
  const utf8 = envelope.smtpUtf8 === true;
  // An empty reverse-path is the null sender `MAIL FROM:<>` (RFC 5321 4.5.5).
  if (envelope.from !== '') checkAddress(envelope.from, 'MAIL FROM', 'mail', utf8);
  if (envelope.to.length === 0) throw new SmtpArgumentError({ stage: 'rcpt', text: localized('The envelope has no recipients') });
  for (const to of envelope.to) checkAddress(to, 'RCPT TO', 'rcpt', utf8);
  if (envelope.size !== undefined && !(Number.isSafeInteger(envelope.size) && envelope.size >= 0)) {
    throw new SmtpArgumentError({ stage: 'mail', text: localized('The declared size {0} is not a byte count', String(envelope.size)) });
  }
  if (envelope.dsn?.envelopeId !== undefined) {
    checkLineSafe(envelope.dsn.envelopeId, localized('The DSN envelope id contains a CR, LF or NUL character, which cannot be sent in an SMTP command'), 'mail');
  }
}
