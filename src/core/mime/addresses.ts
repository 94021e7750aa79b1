/**
 * Mailboxes in headers and in the SMTP envelope.
 *
 * - Display names (RFC 5322 3.2.5 phrase): a run of atoms stays as written; other printable
 *   ASCII becomes a quoted-string (3.2.4) with `"` and `\` escaped; anything else (non-ASCII,
 *   control characters, or text that would read as an encoded-word) becomes RFC 2047
 *   encoded-words, which 2047 section 5(3) allows in a phrase.
 * - The addr-spec is whatever grammar.ts's parseMailbox says, the same function the draft
 *   checker and the envelope use: a local part that is not a Dot-string goes quoted
 *   (`"a b"@example.com`, RFC 5321 4.1.2), domains go out as IDNA A-labels
 *   (`münchen.example` → `xn--mnchen-3ya.example`), and a non-ASCII local part stays UTF-8
 *   (RFC 6532 3.2), so the message then needs SMTPUTF8 (RFC 6531).
 */
import type { Address } from '../draft/types';
import { encodeWords } from './encoded-words';
import { ComposeError } from './errors';
import type { WireMailbox } from './grammar';
import { mailboxFaultText, parseMailbox, splitAtWhitespace } from './grammar';

/** RFC 5322 3.2.3 atext, ASCII part. */
const ATEXT = "A-Za-z0-9!#$%&'*+\\-/=?^_`{|}~";
const ATOM_PHRASE = new RegExp(`^[${ATEXT}]+(?: [${ATEXT}]+)*$`);
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * Longest encoded-word in a display name: `Reply-To: ` (10 columns) plus the word stays
 * within 78 even when the name is the first thing on the line.
 */
const DISPLAY_NAME_WORD_LENGTH = 66;

export type FormattedAddrSpec = WireMailbox;

function quoteString(text: string): string {
  return `"${text.replace(/(["\\])/g, '\\$1')}"`;
}

/**
 * Turns an address as written into its wire form; throws with the address in the message if
 * it cannot be one. `header` names where it goes, for that message.
 */
export function formatAddrSpec(address: string, header = 'address'): FormattedAddrSpec {
  const result = parseMailbox(address);
  if (!result.ok) throw new ComposeError('invalid-address', mailboxFaultText(header, address, result.fault));
  return { addrSpec: result.addrSpec, smtpUtf8: result.smtpUtf8 };
}

/**
 * Header segments for a display name (see headers.ts for the segment convention). The readable
 * forms are used only when every piece between fold points fits a line; a longer run without
 * spaces goes as encoded-words, which can be folded anywhere.
 */
export function phraseSegments(name: string): string[] {
  const fits = (segments: readonly string[]): boolean => segments.every((segment) => segment.length <= DISPLAY_NAME_WORD_LENGTH);
  if (!name.includes('=?')) {
    if (ATOM_PHRASE.test(name) && fits(splitAtWhitespace(name))) {
      return splitAtWhitespace(name);
    }
    // RFC 5322 3.2.4 allows folding white space inside a quoted-string.
    if (PRINTABLE_ASCII.test(name) && fits(splitAtWhitespace(quoteString(name)))) {
      return splitAtWhitespace(quoteString(name));
    }
  }
  return encodeWords(name, { maxLength: DISPLAY_NAME_WORD_LENGTH }).map((word, index) => (index === 0 ? word : ` ${word}`));
}

export interface FormattedMailboxList {
  readonly segments: string[];
  readonly smtpUtf8: boolean;
}

/** Segments for one mailbox: `name <addr>` or a bare addr-spec when there is no name. */
export function mailboxSegments(mailbox: Address): FormattedMailboxList {
  const { addrSpec, smtpUtf8 } = formatAddrSpec(mailbox.address);
  if (mailbox.name === undefined || mailbox.name === '') {
    return { segments: [addrSpec], smtpUtf8 };
  }
  return { segments: [...phraseSegments(mailbox.name), ` <${addrSpec}>`], smtpUtf8 };
}

/** Segments for an address list (RFC 5322 3.4), with a fold point after every comma. */
export function mailboxListSegments(mailboxes: readonly Address[]): FormattedMailboxList {
  const segments: string[] = [];
  let smtpUtf8 = false;
  mailboxes.forEach((mailbox, index) => {
    const formatted = mailboxSegments(mailbox);
    smtpUtf8 ||= formatted.smtpUtf8;
    const own = [...formatted.segments];
    if (index > 0) {
      own[0] = ` ${own[0] ?? ''}`;
    }
    if (index < mailboxes.length - 1) {
      own[own.length - 1] = `${own[own.length - 1] ?? ''},`;
    }
    segments.push(...own);
  });
  return { segments, smtpUtf8 };
}

/** Human-readable form for dialogs: Unicode kept, names with specials quoted. */
export function describeMailbox(mailbox: Address): string {
  if (mailbox.name === undefined || mailbox.name === '') {
    return mailbox.address;
  }
  const name = ATOM_PHRASE.test(mailbox.name) || !/[()<>[\]:;@\\,."]/.test(mailbox.name) ? mailbox.name : quoteString(mailbox.name);
  return `${name} <${mailbox.address}>`;
}
