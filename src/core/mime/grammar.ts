/**
 * The mail grammar, in one place: what a mailbox, a header name and a message id may look
 * like, which header fields the composer writes itself, and which characters never belong in
 * a header line. The draft checker (core/draft), the composer (core/mime) and the SMTP
 * envelope (core/smtp) all ask this module, so `check` refuses exactly what sending would.
 *
 * One answer for quoted local parts: they are ACCEPTED. RFC 5321 4.1.2 allows a Quoted-string
 * local part (`"a b"@example.com`, `"a>b"@example.com`); such a mailbox is written quoted in
 * the header and in `MAIL FROM`/`RCPT TO`, with `"` and `\` escaped as quoted-pairs. A quoted
 * local part whose content is a plain Dot-string is sent unquoted, as 4.1.2 recommends.
 *
 * Non-ASCII (RFC 6531/6532): UTF-8 is allowed in local parts and domain labels. Domains go out
 * as IDNA A-labels; a non-ASCII local part needs SMTPUTF8. Message ids stay ASCII: the
 * composer writes In-Reply-To/References as they are, and an ASCII-only reader must match them.
 *
 * Faults are data (a `kind` plus details), never sentences: the caller turns them into a
 * LocalizedText with `mailboxFaultText` and friends, so every front end can translate them.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { domainToASCII } from 'node:url';
import type { LocalizedText } from '../text';
import { localized } from '../text';
import { describeCharacter, formatCharacterIndex, isAtext, isFormatCharacter, isSingleLine, MAX_LINE_OCTETS } from './characters';

// ---------------------------------------------------------------------------------------------
// Characters (characters.ts)

export { MAX_LINE_OCTETS, RECOMMENDED_LINE_LENGTH, FORMAT_CHARACTER_RANGES, formatCharacterIndex, isFormatCharacter, lineBreakIndex, isSingleLine, describeCharacter, isAtext } from './characters';

const ASCII_ATEXT = "A-Za-z0-9!#$%&'*+\\-/=?^_`{|}~";
/** RFC 5322 3.2.3 dot-atom-text, ASCII only. */
const ASCII_DOT_ATOM = new RegExp(`^[${ASCII_ATEXT}]+(?:\\.[${ASCII_ATEXT}]+)*$`);

// ---------------------------------------------------------------------------------------------
// Mailboxes (RFC 5321 4.1.2 Mailbox, with RFC 6531 UTF-8)

export type DotAtomFault =
  | { readonly kind: 'dot-start' }
  | { readonly kind: 'dot-end' }
  | { readonly kind: 'double-dot' }
  | { readonly kind: 'char'; readonly ch: string };

export type MailboxFault =
  | { readonly kind: 'empty' }
  | { readonly kind: 'no-at' }
  | { readonly kind: 'many-at' }
  | { readonly kind: 'empty-local' }
  | { readonly kind: 'empty-domain' }
  | { readonly kind: 'line-break' }
  | { readonly kind: 'format-character'; readonly ch: string }
  | { readonly kind: 'unclosed-quote' }
  | { readonly kind: 'nothing-after-quote' }
  | { readonly kind: 'after-quote'; readonly ch: string }
  | { readonly kind: 'quoted-char'; readonly ch: string }
  /** Dot-string problems; `quotable` when quoting the local part would make it legal. */
  | { readonly kind: 'local'; readonly fault: DotAtomFault; readonly quotable: boolean }
  | { readonly kind: 'domain'; readonly fault: DotAtomFault }
  | { readonly kind: 'label-hyphen'; readonly label: string }
  | { readonly kind: 'label-long'; readonly label: string }
  | { readonly kind: 'domain-idna'; readonly domain: string }
  | { readonly kind: 'literal-unclosed' }
  | { readonly kind: 'literal-invalid'; readonly literal: string }
  | { readonly kind: 'too-long'; readonly octets: number }
  | { readonly kind: 'needs-smtputf8' };

/** A mailbox as it goes on the wire (headers and envelope). */
export interface WireMailbox {
  /** `local@domain`: the local part quoted only when it must be, the domain as A-labels. */
  readonly addrSpec: string;
  /** The local part is not ASCII: the message needs SMTPUTF8 (RFC 6531 3.2). */
  readonly smtpUtf8: boolean;
}

export type MailboxResult = ({ readonly ok: true } & WireMailbox) | { readonly ok: false; readonly fault: MailboxFault };

/**
 * RFC 5321 4.5.3.1.3 limits a path to 256 octets including the angle brackets: longer
 * mailboxes are refused by servers, and this also keeps every address within one header line.
 */
export const MAX_MAILBOX_OCTETS = 254;

// eslint-disable-next-line no-control-regex -- the class looks for what is not plain ASCII
const NON_ASCII = /[^\x00-\x7f]/;

/**
 * Parses and checks one mailbox as written in a draft (`local@domain`, local part optionally
 * quoted) and gives its wire form. The draft checker, the header writer and the envelope use
 * this one function, so they cannot disagree.
 */
export function parseMailbox(written: string): MailboxResult {
  const fail = (fault: MailboxFault): MailboxResult => ({ ok: false, fault });
  if (written === '') return fail({ kind: 'empty' });
  if (!isSingleLine(written)) return fail({ kind: 'line-break' });
  const format = formatCharacterIndex(written);
  if (format >= 0) return fail({ kind: 'format-character', ch: written[format] ?? '' });

  let localValue: string;
  let domain: string;
  if (written.startsWith('"')) {
    const close = closingQuote(written);
    if (close < 0) return fail({ kind: 'unclosed-quote' });
    const rest = written.slice(close + 1);
    if (rest === '') return fail({ kind: 'nothing-after-quote' });
    if (!rest.startsWith('@')) return fail({ kind: 'after-quote', ch: firstCharacter(rest) });
    const content = written.slice(1, close);
    const qFault = quotedContentFault(content);
    if (qFault) return fail(qFault);
    localValue = content.replace(/\\(.)/gsu, '$1');
    if (localValue === '') return fail({ kind: 'empty-local' });
    domain = rest.slice(1);
  } else {
    const ats = written.split('@').length - 1;
    if (ats === 0) return fail({ kind: 'no-at' });
    if (ats > 1) return fail({ kind: 'many-at' });
    const at = written.indexOf('@');
    localValue = written.slice(0, at);
    domain = written.slice(at + 1);
    if (localValue === '') return fail({ kind: 'empty-local' });
    const local = dotAtomFault(localValue);
    if (local) return fail({ kind: 'local', fault: local, quotable: quotedContentFault(localValue) === undefined });
  }
  if (domain === '') return fail({ kind: 'empty-domain' });
  const wireDomain = checkDomain(domain);
  if (typeof wireDomain !== 'string') return fail(wireDomain);
  const addrSpec = `${wireLocalPart(localValue)}@${wireDomain}`;
  const octets = Buffer.byteLength(addrSpec, 'utf8');
  if (octets > MAX_MAILBOX_OCTETS) return fail({ kind: 'too-long', octets });
  return { ok: true, addrSpec, smtpUtf8: NON_ASCII.test(localValue) };
}

/** Why `written` is not a usable mailbox, or undefined when it is one. */
export function mailboxFault(written: string): MailboxFault | undefined {
  const result = parseMailbox(written);
  return result.ok ? undefined : result.fault;
}

/**
 * Checks a mailbox for `MAIL FROM:<…>` / `RCPT TO:<…>`: the same grammar as the draft and the
 * composer (so nothing unquoted can break out of the angle brackets). Non-ASCII needs the
 * SMTPUTF8 parameter (RFC 6531 3.2).
 */
export function envelopeMailboxFault(mailbox: string, smtpUtf8: boolean): MailboxFault | undefined {
  const result = parseMailbox(mailbox);
  if (!result.ok) return result.fault;
  return !smtpUtf8 && NON_ASCII.test(mailbox) ? { kind: 'needs-smtputf8' } : undefined;
}

/** The domain part of a mailbox as written (after the last @ outside quotes). */
export function domainOf(written: string): string {
  return written.slice(written.lastIndexOf('@') + 1);
}

/**
 * The key that makes two spellings of one mailbox equal: the local part as written (RFC 5321
 * 2.4: only the receiving host may interpret it), the domain compared case-insensitively.
 */
export function mailboxKey(written: string): string {
  const at = written.lastIndexOf('@');
  return at < 0 ? written : `${written.slice(0, at + 1)}${written.slice(at + 1).toLowerCase()}`;
}

function firstCharacter(text: string): string {
  return String.fromCodePoint(text.codePointAt(0) ?? 0);
}

/** Index of the quote that closes the quoted-string starting at 0, honouring quoted-pairs. */
function closingQuote(text: string): number {
  for (let i = 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return -1;
}

/**
 * RFC 5321 4.1.2 QcontentSMTP: qtextSMTP (%d32-33 / %d35-91 / %d93-126, plus UTF-8 with
 * RFC 6531) or quoted-pairSMTP (`\` followed by %d32-126). Tabs and controls are not allowed.
 */
function quotedContentFault(content: string): MailboxFault | undefined {
  let escaped = false;
  for (const ch of content) {
    const code = ch.codePointAt(0) ?? 0;
    const printable = (code >= 0x20 && code <= 0x7e) || (code > 0x9f && !isFormatCharacter(ch));
    if (!printable) return { kind: 'quoted-char', ch };
    if (escaped) {
      if (code > 0x7e) return { kind: 'quoted-char', ch };
      escaped = false;
    } else if (ch === '\\') escaped = true;
    else if (ch === '"') return { kind: 'quoted-char', ch };
  }
  return escaped ? { kind: 'quoted-char', ch: '\\' } : undefined;
}

/** RFC 5322 3.2.3 dot-atom-text (RFC 6532 atext): atext runs joined by single dots. */
export function dotAtomFault(text: string): DotAtomFault | undefined {
  if (text.startsWith('.')) return { kind: 'dot-start' };
  if (text.endsWith('.')) return { kind: 'dot-end' };
  if (text.includes('..')) return { kind: 'double-dot' };
  for (const ch of text) {
    if (ch !== '.' && !isAtext(ch)) return { kind: 'char', ch };
  }
  return undefined;
}

/** The local part on the wire: a Dot-string as it is, anything else as a Quoted-string. */
function wireLocalPart(value: string): string {
  return dotAtomFault(value) === undefined ? value : `"${value.replace(/(["\\])/g, '\\$1')}"`;
}

/**
 * RFC 5321 4.1.2 Domain (letters, digits, hyphens; no hyphen at a label's ends; labels of at
 * most 63 octets, 4.5.3.1.2) or address-literal (4.1.3). Non-ASCII labels must convert to
 * IDNA A-labels (RFC 5890). Returns the wire form or the fault.
 */
function checkDomain(domain: string): string | MailboxFault {
  if (domain.startsWith('[')) {
    if (!domain.endsWith(']')) return { kind: 'literal-unclosed' };
    return isAddressLiteral(domain.slice(1, -1)) ? domain : { kind: 'literal-invalid', literal: domain };
  }
  if (domain.startsWith('.')) return { kind: 'domain', fault: { kind: 'dot-start' } };
  if (domain.endsWith('.')) return { kind: 'domain', fault: { kind: 'dot-end' } };
  for (const label of domain.split('.')) {
    if (label === '') return { kind: 'domain', fault: { kind: 'double-dot' } };
    for (const ch of label) {
      const allowed = (ch.codePointAt(0) ?? 0) >= 0x80 ? isAtext(ch) : /[A-Za-z0-9-]/.test(ch);
      if (!allowed) return { kind: 'domain', fault: { kind: 'char', ch } };
    }
    if (label.startsWith('-') || label.endsWith('-')) return { kind: 'label-hyphen', label };
    if (!NON_ASCII.test(label) && label.length > 63) return { kind: 'label-long', label };
  }
  if (!NON_ASCII.test(domain)) return domain; // kept exactly as written
  const ascii = domainToASCII(domain);
  if (ascii === '') return { kind: 'domain-idna', domain };
  // RFC 1035 2.3.4: the limit holds for the A-label that goes on the wire (RFC 5890 2.3.2.1).
  const long = ascii.split('.').find((label) => label.length > 63);
  return long === undefined ? ascii : { kind: 'label-long', label: long };
}

/**
 * RFC 5321 4.1.3: IPv4-address-literal, `IPv6:` IPv6-addr, or General-address-literal
 * (Standardized-tag ":" 1*dcontent, dcontent = %d33-90 / %d94-126).
 */
function isAddressLiteral(inner: string): boolean {
  if (isIPv4(inner)) return true;
  if (/^IPv6:/i.test(inner)) return isIPv6(inner.slice(5));
  return /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?:[\x21-\x5a\x5e-\x7e]+$/.test(inner);
}

// ---------------------------------------------------------------------------------------------
// Header fields

/** RFC 5322 3.6.8 field-name = 1*ftext, ftext = %d33-57 / %d59-126 (printable ASCII except ':'). */
const FIELD_NAME = /^[\x21-\x39\x3b-\x7e]+$/;

export type HeaderNameFault = { readonly kind: 'empty' } | { readonly kind: 'char'; readonly ch: string };

export function isHeaderName(name: string): boolean {
  return FIELD_NAME.test(name);
}

export function headerNameFault(name: string): HeaderNameFault | undefined {
  if (name === '') return { kind: 'empty' };
  if (FIELD_NAME.test(name)) return undefined;
  for (const ch of name) {
    if (!FIELD_NAME.test(ch)) return { kind: 'char', ch };
  }
  return undefined;
}

/** Why the composer writes a header itself, so a draft may not set it. */
export type OwnedHeader =
  /** The draft has its own key for it (`to`, `subject`, …). */
  | { readonly kind: 'draft-key'; readonly key: string }
  /** RFC 5322 3.6.3 allows dropping Bcc; writing it would reveal the blind copies. */
  | { readonly kind: 'bcc' }
  /** Made by the composer: Date, Message-ID, MIME-Version. */
  | { readonly kind: 'generated' }
  /** Content-*: the composer builds the MIME structure (RFC 2045). */
  | { readonly kind: 'mime' };

const OWNED_HEADERS: ReadonlyMap<string, OwnedHeader> = new Map<string, OwnedHeader>([
  ['from', { kind: 'draft-key', key: 'from' }],
  ['to', { kind: 'draft-key', key: 'to' }],
  ['cc', { kind: 'draft-key', key: 'cc' }],
  ['bcc', { kind: 'bcc' }],
  ['reply-to', { kind: 'draft-key', key: 'reply-to' }],
  ['subject', { kind: 'draft-key', key: 'subject' }],
  ['in-reply-to', { kind: 'draft-key', key: 'in-reply-to' }],
  ['references', { kind: 'draft-key', key: 'references' }],
  ['message-id', { kind: 'generated' }],
  ['date', { kind: 'generated' }],
  ['mime-version', { kind: 'generated' }],
]);

/** Header fields the composer writes itself; undefined when a draft's `headers:` may set `name`. */
export function ownedHeader(name: string): OwnedHeader | undefined {
  const lower = name.toLowerCase();
  if (lower.startsWith('content-')) return { kind: 'mime' };
  return OWNED_HEADERS.get(lower);
}

/** Splits text before the last whitespace of every run: the legal fold points (RFC 5322 2.2.3). */
export function splitAtWhitespace(text: string): string[] {
  return text.split(/(?=[ \t][^ \t])/);
}

/**
 * Where a header value cannot be folded to lines of at most 998 octets (RFC 5322 2.1.1): the
 * first run between fold points that, with `Name: ` before the first, is longer. Index and
 * length are in the value's UTF-16 units. Only for values written as they are (extra headers);
 * Subject and display names fall back to encoded-words, which always fold.
 */
export function unfoldableRun(name: string, value: string): { readonly index: number; readonly length: number; readonly octets: number } | undefined {
  // Fast path: the whole line fits.
  if (name.length + 2 + value.length * 3 <= MAX_LINE_OCTETS) return undefined;
  let index = 0;
  for (const [i, segment] of splitAtWhitespace(value).entries()) {
    const octets = Buffer.byteLength(i === 0 ? `${name}: ${segment}` : segment, 'utf8');
    // A later segment starts with the whitespace it folds at; the run itself follows it.
    const lead = i === 0 ? 0 : 1;
    if (octets > MAX_LINE_OCTETS) return { index: index + lead, length: segment.length - lead, octets };
    index += segment.length;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Message ids (RFC 5322 3.6.4)

export type MessageIdFault =
  | { readonly kind: 'brackets' }
  | { readonly kind: 'no-at' }
  | { readonly kind: 'empty-left' }
  | { readonly kind: 'empty-right' }
  | { readonly kind: 'left'; readonly fault: DotAtomFault }
  | { readonly kind: 'right'; readonly fault: DotAtomFault }
  | { readonly kind: 'literal' }
  | { readonly kind: 'non-ascii'; readonly ch: string }
  | { readonly kind: 'too-long'; readonly octets: number };

/**
 * The longest msg-id that still fits one line: `In-Reply-To: <id>` within 998 octets
 * (RFC 5322 2.1.1), since an id cannot be folded inside.
 */
export const MAX_MESSAGE_ID_OCTETS = MAX_LINE_OCTETS - 'In-Reply-To: '.length;

/**
 * Why `text` is not an RFC 5322 3.6.4 msg-id (`"<" id-left "@" id-right ">"`, id-left a
 * dot-atom-text, id-right a dot-atom-text or a `[…]` no-fold-literal), or undefined. ASCII only
 * (see the module comment).
 */
export function messageIdFault(text: string): MessageIdFault | undefined {
  const nonAscii = text.search(NON_ASCII);
  if (nonAscii >= 0) return { kind: 'non-ascii', ch: firstCharacter(text.slice(nonAscii)) };
  if (text.length < 2 || !text.startsWith('<') || !text.endsWith('>')) return { kind: 'brackets' };
  if (text.length > MAX_MESSAGE_ID_OCTETS) return { kind: 'too-long', octets: text.length };
  const inner = text.slice(1, -1);
  const at = inner.lastIndexOf('@');
  if (at < 0) return { kind: 'no-at' };
  const left = inner.slice(0, at);
  const right = inner.slice(at + 1);
  if (left === '') return { kind: 'empty-left' };
  if (right === '') return { kind: 'empty-right' };
  const leftFault = dotAtomFault(left);
  if (leftFault) return { kind: 'left', fault: leftFault };
  if (right.startsWith('[') && right.endsWith(']')) {
    // no-fold-literal = "[" *dtext "]", dtext = %d33-90 / %d94-126.
    return /^\[[\x21-\x5a\x5e-\x7e]*\]$/.test(right) ? undefined : { kind: 'literal' };
  }
  const rightFault = dotAtomFault(right);
  return rightFault ? { kind: 'right', fault: rightFault } : undefined;
}

export function isMessageId(text: string): boolean {
  return messageIdFault(text) === undefined;
}

/** Fallback id-right when the sender's domain cannot be one (RFC 2606 reserves `.invalid`). */
export const FALLBACK_MESSAGE_ID_DOMAIN = 'send-as-email.invalid';

/**
 * The id-right for a Message-ID made for `senderAddress` (RFC 5322 3.6.4 suggests the
 * sender's domain): the domain as an ASCII dot-atom (IDNA for Unicode), or the fallback for an
 * address literal or anything that is not a plain host name.
 */
export function messageIdDomain(senderAddress: string): string {
  const domain = domainOf(senderAddress);
  const ascii = NON_ASCII.test(domain) ? domainToASCII(domain) : domain;
  return /^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*$/.test(ascii) && ASCII_DOT_ATOM.test(ascii) ? ascii : FALLBACK_MESSAGE_ID_DOMAIN;
}

// ---------------------------------------------------------------------------------------------
// Sentences for faults. `label` names where the value was written (a draft key such as `cc`,
// or a header name); `written` is the value as written.

function dotAtomPart(fault: DotAtomFault, part: 'local' | 'domain' | 'left' | 'right', label: string, written: string, what: 'address' | 'id'): LocalizedText {
  const key = `${what}:${part}:${fault.kind}`;
  const ch = fault.kind === 'char' ? describeCharacter(fault.ch) : '';
  switch (key) {
    case 'address:local:dot-start': return localized('{0}: \'{1}\' is not a valid address: the local part starts with a dot', label, written);
    case 'address:local:dot-end': return localized('{0}: \'{1}\' is not a valid address: the local part ends with a dot', label, written);
    case 'address:local:double-dot': return localized('{0}: \'{1}\' is not a valid address: the local part has two dots in a row', label, written);
    case 'address:local:char': return localized('{0}: \'{1}\' is not a valid address: the local part contains {2}', label, written, ch);
    case 'address:domain:dot-start': return localized('{0}: \'{1}\' is not a valid address: the domain starts with a dot', label, written);
    case 'address:domain:dot-end': return localized('{0}: \'{1}\' is not a valid address: the domain ends with a dot', label, written);
    case 'address:domain:double-dot': return localized('{0}: \'{1}\' is not a valid address: the domain has two dots in a row', label, written);
    case 'address:domain:char': return localized('{0}: \'{1}\' is not a valid address: the domain contains {2}', label, written, ch);
    case 'id:left:dot-start': return localized('{0}: \'{1}\' is not a message id: the part before the @ starts with a dot', label, written);
    case 'id:left:dot-end': return localized('{0}: \'{1}\' is not a message id: the part before the @ ends with a dot', label, written);
    case 'id:left:double-dot': return localized('{0}: \'{1}\' is not a message id: the part before the @ has two dots in a row', label, written);
    case 'id:left:char': return localized('{0}: \'{1}\' is not a message id: the part before the @ contains {2}', label, written, ch);
    case 'id:right:dot-start': return localized('{0}: \'{1}\' is not a message id: the part after the @ starts with a dot', label, written);
    case 'id:right:dot-end': return localized('{0}: \'{1}\' is not a message id: the part after the @ ends with a dot', label, written);
    case 'id:right:double-dot': return localized('{0}: \'{1}\' is not a message id: the part after the @ has two dots in a row', label, written);
    default: return localized('{0}: \'{1}\' is not a message id: the part after the @ contains {2}', label, written, ch);
  }
}

/** The sentence for a mailbox fault, e.g. `cc: 'bob@' is not a valid address: nothing comes after the @`. */
export function mailboxFaultText(label: string, written: string, fault: MailboxFault): LocalizedText {
  switch (fault.kind) {
    case 'empty': return localized('{0}: an address is empty', label);
    case 'no-at': return localized('{0}: \'{1}\' is not a valid address: it has no @ (an address looks like name@example.com)', label, written);
    case 'many-at': return localized('{0}: \'{1}\' is not a valid address: it has more than one @ (quote the local part if one belongs to it)', label, written);
    case 'empty-local': return localized('{0}: \'{1}\' is not a valid address: nothing comes before the @', label, written);
    case 'empty-domain': return localized('{0}: \'{1}\' is not a valid address: nothing comes after the @', label, written);
    case 'line-break': return localized('{0}: \'{1}\' is not a valid address: it contains a line break', label, written);
    case 'format-character': return localized('{0}: \'{1}\' is not a valid address: it contains the invisible formatting character {2}, which can disguise the address', label, written, describeCharacter(fault.ch));
    case 'unclosed-quote': return localized('{0}: \'{1}\' is not a valid address: the quoted local part has no closing "', label, written);
    case 'nothing-after-quote': return localized('{0}: \'{1}\' is not a valid address: it has no @ and domain after the quoted local part', label, written);
    case 'after-quote': return localized('{0}: \'{1}\' is not a valid address: {2} follows the quoted local part where @ belongs', label, written, describeCharacter(fault.ch));
    case 'quoted-char': return localized('{0}: \'{1}\' is not a valid address: the quoted local part contains {2}', label, written, describeCharacter(fault.ch));
    case 'local':
      if (fault.quotable && fault.fault.kind === 'char') {
        return localized('{0}: \'{1}\' is not a valid address: the local part contains {2}, which is allowed only inside a quoted local part such as "a b"@example.com', label, written, describeCharacter(fault.fault.ch));
      }
      return dotAtomPart(fault.fault, 'local', label, written, 'address');
    case 'domain': return dotAtomPart(fault.fault, 'domain', label, written, 'address');
    case 'label-hyphen': return localized('{0}: \'{1}\' is not a valid address: the domain label \'{2}\' starts or ends with a hyphen', label, written, fault.label);
    case 'label-long': return localized('{0}: \'{1}\' is not a valid address: the domain label \'{2}…\' is longer than 63 characters', label, written, fault.label.slice(0, 12));
    case 'domain-idna': return localized('{0}: \'{1}\' is not a valid address: the domain \'{2}\' cannot be written as an internationalised domain name (IDNA)', label, written, fault.domain);
    case 'literal-unclosed': return localized('{0}: \'{1}\' is not a valid address: the address literal has no closing ]', label, written);
    case 'literal-invalid': return localized('{0}: \'{1}\' is not a valid address: the address literal {2} is not an IPv4 address, IPv6:address or tag:value', label, written, fault.literal);
    case 'too-long': return localized('{0}: \'{1}…\' is not a valid address: it is {2} octets long, and an address may have at most 254', label, written.slice(0, 40), fault.octets);
    case 'needs-smtputf8': return localized('{0}: \'{1}\' has non-ASCII characters and can only be sent with SMTPUTF8', label, written);
  }
}

/** The sentence for a message id fault, e.g. `in-reply-to: 'abc' is not a message id: …`. */
export function messageIdFaultText(label: string, written: string, fault: MessageIdFault): LocalizedText {
  switch (fault.kind) {
    case 'brackets': return localized('{0}: \'{1}\' is not a message id: a message id is written in angle brackets, like <id@example.com>', label, written);
    case 'no-at': return localized('{0}: \'{1}\' is not a message id: a message id needs an @ between its two halves, like <id@example.com>', label, written);
    case 'empty-left': return localized('{0}: \'{1}\' is not a message id: nothing comes before the @', label, written);
    case 'empty-right': return localized('{0}: \'{1}\' is not a message id: nothing comes after the @', label, written);
    case 'left': return dotAtomPart(fault.fault, 'left', label, written, 'id');
    case 'right': return dotAtomPart(fault.fault, 'right', label, written, 'id');
    case 'literal': return localized('{0}: \'{1}\' is not a message id: the [literal] after the @ contains a character it cannot hold', label, written);
    case 'non-ascii': return localized('{0}: \'{1}\' is not a message id: it contains {2}, and a message id may hold only ASCII characters', label, written, describeCharacter(fault.ch));
    case 'too-long': return localized('{0}: \'{1}…\' is not a message id: it is {2} octets long and cannot fit on one header line', label, written.slice(0, 40), fault.octets);
  }
}

/** The sentence for a header name fault. */
export function headerNameFaultText(label: string, name: string, fault: HeaderNameFault): LocalizedText {
  if (fault.kind === 'empty') return localized('{0}: a header name cannot be empty', label);
  return localized('{0}: a header name may hold only printable ASCII except \':\', and \'{1}\' contains {2}', label, name, describeCharacter(fault.ch));
}

/** The sentence for a header the composer owns. */
export function ownedHeaderText(label: string, name: string, owned: OwnedHeader): LocalizedText {
  switch (owned.kind) {
    case 'draft-key': return localized('{0}: {1} cannot be set here: use the `{2}` key', label, name, owned.key);
    case 'bcc': return localized('{0}: {1} cannot be set here: use the `bcc` key (blind copies never appear in a header)', label, name);
    case 'generated': return localized('{0}: {1} cannot be set here: the composer writes it', label, name);
    case 'mime': return localized('{0}: {1} cannot be set here: the composer builds the MIME structure and its Content-* headers', label, name);
  }
}
