/**
 * Mailboxes in headers and in the SMTP envelope.
 *
 * - Display names (RFC 5322 3.2.5 phrase): a run of atoms stays as written; other printable
 *   ASCII becomes a quoted-string (3.2.4) with `"` and `\` escaped; anything else (non-ASCII,
 *   control characters, or text that would read as an encoded-word) becomes RFC 2047
 *   encoded-words, which 2047 section 5(3) allows in a phrase.
 * - Domains go out as IDNA A-labels (`münchen.example` → `xn--mnchen-3ya.example`), so only
 *   the local part can still need Unicode.
 * - A non-ASCII local part cannot be written any other way: it stays UTF-8 in the header
 *   (RFC 6532 3.2) and the message then needs SMTPUTF8 (RFC 6531).
 */
import { domainToASCII } from 'node:url';
import type { Address } from '../draft/types';
import { encodeWords } from './encoded-words';
import { ComposeError } from './errors';
import { splitAtWhitespace } from './headers';

/** RFC 5322 3.2.3 atext, ASCII part. */
const ATEXT = "A-Za-z0-9!#$%&'*+\\-/=?^_`{|}~";
const ATOM_PHRASE = new RegExp(`^[${ATEXT}]+(?: [${ATEXT}]+)*$`);
/** RFC 6532 3.2 widens atext with any non-ASCII UTF-8 character. */
const UTF8_DOT_ATOM = new RegExp(`^[${ATEXT}\\u0080-\\u{10FFFF}]+(?:\\.[${ATEXT}\\u0080-\\u{10FFFF}]+)*$`, 'u');
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
// eslint-disable-next-line no-control-regex -- control characters are what this looks for
const NON_ASCII = /[^\x00-\x7f]/;

/**
 * Longest encoded-word in a display name: `Reply-To: ` (10 columns) plus the word stays
 * within 78 even when the name is the first thing on the line.
 */
const DISPLAY_NAME_WORD_LENGTH = 66;

export interface FormattedAddrSpec {
  /** `local@domain` with the domain as A-labels. */
  readonly addrSpec: string;
  /** The local part is not ASCII (RFC 6531 needs SMTPUTF8). */
  readonly smtpUtf8: boolean;
}

function quoteString(text: string): string {
  return `"${text.replace(/(["\\])/g, '\\$1')}"`;
}

/** Turns an address as written into its wire form; throws with the address in the message if it cannot be one. */
export function formatAddrSpec(address: string): FormattedAddrSpec {
  // Control characters, angle brackets or line breaks would let an address break out of its header.
  // eslint-disable-next-line no-control-regex -- control characters are what this looks for
  if (/[\x00-\x1f\x7f<>]/.test(address)) {
    throw new ComposeError('invalid-address', `"${address}" is not a valid email address.`);
  }
  const at = address.lastIndexOf('@');
  const local = at > 0 ? address.slice(0, at) : '';
  const domain = at > 0 ? address.slice(at + 1) : '';
  if (local === '' || domain === '') {
    throw new ComposeError('invalid-address', `"${address}" is not a valid email address (expected local-part@domain).`);
  }
  const isQuoted = local.length >= 2 && local.startsWith('"') && local.endsWith('"');
  // RFC 5321 4.1.2: a local part that is not a dot-string must travel as a quoted-string.
  const wireLocal = isQuoted || UTF8_DOT_ATOM.test(local) ? local : quoteString(local);
  return { addrSpec: `${wireLocal}@${formatDomain(domain, address)}`, smtpUtf8: NON_ASCII.test(local) };
}

function formatDomain(domain: string, address: string): string {
  if (domain.startsWith('[') && domain.endsWith(']')) {
    return domain; // RFC 5321 4.1.3 address literal
  }
  const ascii = domainToASCII(domain);
  if (ascii === '') {
    throw new ComposeError('invalid-address', `"${address}" has an invalid domain "${domain}".`);
  }
  // Keep an ASCII domain exactly as written; only Unicode domains need the IDNA form (RFC 5890).
  return NON_ASCII.test(domain) ? ascii : domain;
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
