/**
 * Argument checks done before anything is written. A CR or LF inside an address would let the
 * caller's data end the command line and inject another command (SMTP smuggling); NUL has no
 * place in SMTP text either. go-smtp and smtplib refuse these the same way.
 */
import { SmtpArgumentError } from './errors';
import type { SmtpStage } from './errors';
import type { Envelope } from './types';

export function hasLineBreaker(value: string): boolean {
  return value.includes('\r') || value.includes('\n') || value.includes('\u0000');
}

function hasNonAscii(value: string): boolean {
  for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) > 0x7f) return true;
  return false;
}

export function checkLineSafe(value: string, what: string, stage: SmtpStage): void {
  if (hasLineBreaker(value)) {
    throw new SmtpArgumentError({ stage, message: `${what} contains a CR, LF or NUL character, which cannot be sent in an SMTP command (stage ${stage})` });
  }
}

/** Printable ASCII without space, "<" and ">": what nearly every address is, and always safe. */
const PLAIN_MAILBOX = /^[!-;=?-~]*$/;

/** A mailbox inside `<...>`: no line breaks, no angle brackets, no spaces; ASCII unless SMTPUTF8. */
export function checkAddress(address: string, what: string, stage: SmtpStage, smtpUtf8: boolean): void {
  // One scan for the usual address; the checks below, and their messages, only for the rest.
  if (PLAIN_MAILBOX.test(address)) return;
  const shown = JSON.stringify(address);
  checkLineSafe(address, `${what} ${shown}`, stage);
  if (/[<>]/.test(address)) throw new SmtpArgumentError({ stage, message: `${what} ${shown} contains "<" or ">" (stage ${stage})` });
  if (/\s/.test(address)) throw new SmtpArgumentError({ stage, message: `${what} ${shown} contains white space (stage ${stage})` });
  if (!smtpUtf8 && hasNonAscii(address)) {
    // RFC 6531 3.2: non-ASCII mailboxes need the SMTPUTF8 parameter on MAIL.
    throw new SmtpArgumentError({ stage, message: `${what} ${shown} has non-ASCII characters; send it with smtpUtf8 (stage ${stage})` });
  }
}

export function validateEnvelope(envelope: Envelope): void {
  const utf8 = envelope.smtpUtf8 === true;
  if (envelope.from !== '') checkAddress(envelope.from, 'Sender', 'mail', utf8);
  if (envelope.to.length === 0) throw new SmtpArgumentError({ stage: 'rcpt', message: 'The envelope has no recipients (stage rcpt)' });
  for (const to of envelope.to) {
    if (to === '') throw new SmtpArgumentError({ stage: 'rcpt', message: 'A recipient address is empty (stage rcpt)' });
    checkAddress(to, 'Recipient', 'rcpt', utf8);
  }
  if (envelope.size !== undefined && !(Number.isSafeInteger(envelope.size) && envelope.size >= 0)) {
    throw new SmtpArgumentError({ stage: 'mail', message: `The declared size ${envelope.size} is not a byte count (stage mail)` });
  }
  if (envelope.dsn?.envelopeId !== undefined) checkLineSafe(envelope.dsn.envelopeId, 'The DSN envelope id', 'mail');
}
