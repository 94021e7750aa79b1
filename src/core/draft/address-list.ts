/**
 * An RFC 5322 §3.4 address-list parser, lenient where people are: commas or semicolons
 * separate addresses, groups (`Team: a@x, b@y;`) are flattened into their members, comments
 * in parentheses are skipped, empty elements (`a@x,,b@y`, a trailing comma) are ignored as
 * obs-addr-list (§4.4) allows. Each address that cannot be used is reported with the reason
 * and its place in the input.
 */
import { formatCharacterIndex, describeCharacter, mailboxFault, mailboxFaultText } from '../mime/grammar';
import type { LocalizedText } from '../text';
import { localized, renderText } from '../text';
import type { Address } from './types';

export interface AddressListError {
  /** Names the address as written and says why it is invalid. */
  readonly text: LocalizedText;
  /** `text` in English. */
  readonly message: string;
  /** UTF-16 offset of the address within the input. */
  readonly offset: number;
  readonly length: number;
}

/** One usable mailbox and where it was written. */
export interface LocatedAddress {
  readonly address: Address;
  readonly offset: number;
  readonly length: number;
}

export interface ParsedAddressList {
  readonly addresses: Address[];
  /** `addresses` with their places in the input. */
  readonly located: LocatedAddress[];
  readonly errors: AddressListError[];
  /** Usable but suspicious: a display name with a bidi or invisible format character. */
  readonly warnings: AddressListError[];
}

/** `label` names the field in messages (a draft key such as `cc`). */
export function parseAddressList(input: string, label = 'address'): ParsedAddressList {
  const located: LocatedAddress[] = [];
  const errors: AddressListError[] = [];
  const warnings: AddressListError[] = [];
  for (const item of splitItems(input)) {
    const outcome = parseMailbox(input, item.start, item.end, label);
    if (outcome === undefined) continue;
    if ('address' in outcome) {
      located.push(outcome);
      const name = outcome.address.name ?? '';
      const format = formatCharacterIndex(name);
      if (format >= 0) {
        warnings.push(problem(
          localized('{0}: the display name of \'{1}\' contains the invisible formatting character {2}, which can make it read differently from what is sent', label, outcome.address.address, describeCharacter(name[format] ?? '')),
          outcome.offset,
          outcome.length,
        ));
      }
    } else errors.push(outcome);
  }
  return { addresses: located.map((entry) => entry.address), located, errors, warnings };
}

function problem(text: LocalizedText, offset: number, length: number): AddressListError {
  return { text, message: renderText(text), offset, length };
}

interface Span {
  readonly start: number;
  readonly end: number;
}

/**
 * Cuts the input at top-level separators. Quoted strings, comments, angle-addrs and address
 * literals are skipped whole so that a comma inside `"Li, Bob"` does not split. A `:` after
 * a phrase opens a group (§3.4 group); the group's display name is dropped and `;` closes it.
 */
function splitItems(input: string): Span[] {
  const items: Span[] = [];
  let itemStart = 0;
  let inGroup = false;
  let i = 0;
  while (i < input.length) {
    const ch = input[i];
    if (ch === '"') i = skipQuoted(input, i);
    else if (ch === '(') i = skipComment(input, i);
    else if (ch === '<') i = skipAngle(input, i);
    else if (ch === '[') i = skipLiteral(input, i);
    else if (ch === ',' || ch === ';') {
      items.push({ start: itemStart, end: i });
      if (ch === ';') inGroup = false;
      itemStart = ++i;
    } else if (ch === ':' && !inGroup && isGroupName(input.slice(itemStart, i))) {
      inGroup = true;
      itemStart = ++i;
    } else i++;
  }
  items.push({ start: itemStart, end: input.length });
  return items;
}

/** A group's display name is a phrase: words or quoted strings, no address in it. */
function isGroupName(text: string): boolean {
  const unquoted = text.replace(/"(?:[^"\\]|\\.)*"/g, 'q').replace(/\((?:[^()\\]|\\.)*\)/g, ' ');
  return unquoted.trim() !== '' && !/[@<>[\]]/.test(unquoted);
}

/** Index just after the quoted-string starting at `open` (or the input's end if unclosed). */
function skipQuoted(input: string, open: number): number {
  for (let i = open + 1; i < input.length; i++) {
    if (input[i] === '\\') i++;
    else if (input[i] === '"') return i + 1;
  }
  return input.length;
}

/** Comments nest (§3.2.2 ccontent includes comment). */
function skipComment(input: string, open: number): number {
  let depth = 0;
  for (let i = open; i < input.length; i++) {
    if (input[i] === '\\') i++;
    else if (input[i] === '(') depth++;
    else if (input[i] === ')' && --depth === 0) return i + 1;
  }
  return input.length;
}

function skipAngle(input: string, open: number): number {
  for (let i = open + 1; i < input.length; i++) {
    if (input[i] === '"') i = skipQuoted(input, i) - 1;
    else if (input[i] === '>') return i + 1;
  }
  return input.length;
}

function skipLiteral(input: string, open: number): number {
  const close = input.indexOf(']', open + 1);
  return close < 0 ? input.length : close + 1;
}

type TokenKind = 'word' | 'quoted' | 'angle' | 'comment' | 'space';
interface Token extends Span {
  readonly kind: TokenKind;
  /** Unescaped content for quoted strings, inner text for angle-addrs, else the raw text. */
  readonly value: string;
  readonly closed: boolean;
}

function tokenize(input: string, start: number, end: number): Token[] {
  const tokens: Token[] = [];
  let i = start;
  while (i < end) {
    const ch = input[i] ?? '';
    let next: number;
    let kind: TokenKind;
    let value: string;
    let closed = true;
    if (/\s/.test(ch)) {
      next = i;
      while (next < end && /\s/.test(input[next] ?? '')) next++;
      kind = 'space';
      value = ' ';
    } else if (ch === '"') {
      next = Math.min(skipQuoted(input, i), end);
      closed = next - i >= 2 && input[next - 1] === '"' && !isEscaped(input, next - 1, i);
      kind = 'quoted';
      value = input.slice(i + 1, closed ? next - 1 : next).replace(/\\(.)/gsu, '$1');
    } else if (ch === '(') {
      next = Math.min(skipComment(input, i), end);
      closed = input[next - 1] === ')';
      kind = 'comment';
      value = input.slice(i, next);
    } else if (ch === '<') {
      next = Math.min(skipAngle(input, i), end);
      closed = input[next - 1] === '>';
      kind = 'angle';
      value = input.slice(i + 1, closed ? next - 1 : next);
    } else {
      next = i;
      while (next < end && !/[\s"(<]/.test(input[next] ?? '')) next++;
      kind = 'word';
      value = input.slice(i, next);
    }
    tokens.push({ kind, start: i, end: next, value, closed });
    i = next;
  }
  return tokens;
}

function isEscaped(input: string, index: number, from: number): boolean {
  let backslashes = 0;
  for (let i = index - 1; i > from && input[i] === '\\'; i--) backslashes++;
  return backslashes % 2 === 1;
}

function unclosedText(kind: TokenKind, label: string, written: string): LocalizedText {
  if (kind === 'comment') return localized('{0}: \'{1}\' is not a valid address: the comment has no closing )', label, written);
  if (kind === 'angle') return localized('{0}: \'{1}\' is not a valid address: the < has no closing >', label, written);
  return localized('{0}: \'{1}\' is not a valid address: the quoted string has no closing "', label, written);
}

/** Parses one mailbox (§3.4 name-addr / addr-spec); undefined for an empty element. */
function parseMailbox(input: string, start: number, end: number, label: string): LocatedAddress | AddressListError | undefined {
  const tokens = tokenize(input, start, end);
  const solid = tokens.filter((token) => token.kind !== 'space');
  const first = solid[0];
  const last = solid[solid.length - 1];
  if (!first || !last) return undefined;
  if (solid.every((token) => token.kind === 'comment' && token.closed)) return undefined;
  const written = input.slice(first.start, last.end);
  const offset = first.start;
  const length = last.end - first.start;
  const fail = (text: LocalizedText): AddressListError => problem(text, offset, length);
  const found = (address: Address): LocatedAddress => ({ address, offset, length });

  const breakAt = written.search(/[\r\n\0]/);
  if (breakAt >= 0) {
    return fail(written[breakAt] === '\0'
      ? localized('{0}: \'{1}\' is not a valid address: it contains {2}', label, written, describeCharacter('\0'))
      : localized('{0}: \'{1}\' is not a valid address: it contains a line break', label, written));
  }
  const unclosed = solid.find((token) => !token.closed);
  if (unclosed) return fail(unclosedText(unclosed.kind, label, written));

  const angles = solid.filter((token) => token.kind === 'angle');
  if (angles.length > 1) return fail(localized('{0}: \'{1}\' is not a valid address: it holds more than one <address>; separate addresses with commas', label, written));
  const angle = angles[0];
  if (angle) {
    const after = solid.slice(solid.indexOf(angle) + 1).find((token) => token.kind !== 'comment');
    if (after?.value.startsWith('<') === true) {
      return fail(localized('{0}: \'{1}\' is not a valid address: another address follows the closing >; separate addresses with commas', label, written));
    }
    if (after) return fail(localized('{0}: \'{1}\' is not a valid address: \'{2}\' follows the closing >; separate addresses with commas', label, written, after.value));
    const address = angle.value.trim();
    if (address === '') return fail(localized('{0}: \'{1}\' is not a valid address: the angle brackets are empty', label, written));
    const fault = mailboxFault(address);
    if (fault) return fail(mailboxFaultText(label, address, fault));
    const name = displayName(tokens.slice(0, tokens.indexOf(angle)));
    return found(name === '' ? { address } : { name, address });
  }

  // No angle brackets: the element must be a lone addr-spec; comments (§3.2.2 CFWS) drop out.
  const words: string[] = [];
  let current = '';
  for (const token of tokens) {
    if (token.kind === 'comment') continue;
    if (token.kind === 'space') {
      if (current !== '') words.push(current);
      current = '';
    } else current += input.slice(token.start, token.end);
  }
  if (current !== '') words.push(current);
  const lastWord = words[words.length - 1] ?? '';
  if (words.length > 1) {
    if (lastWord.includes('@')) {
      return fail(localized('{0}: \'{1}\' is not a valid address: a display name needs the address in angle brackets: {2} <{3}>', label, written, words.slice(0, -1).join(' '), lastWord));
    }
    return fail(localized('{0}: \'{1}\' is not a valid address: it contains a space (a local part with spaces must be quoted, like "a b"@example.com)', label, written));
  }
  const spec = lastWord;
  const fault = mailboxFault(spec);
  return fault ? fail(mailboxFaultText(label, spec, fault)) : found({ address: spec });
}

/** §3.2.5 phrase: words and unescaped quoted strings; whitespace between them becomes one space. */
function displayName(tokens: readonly Token[]): string {
  let name = '';
  let pendingSpace = false;
  for (const token of tokens) {
    if (token.kind === 'comment') continue;
    if (token.kind === 'space') {
      pendingSpace = name !== '';
      continue;
    }
    name += (pendingSpace ? ' ' : '') + token.value;
    pendingSpace = false;
  }
  return name;
}
