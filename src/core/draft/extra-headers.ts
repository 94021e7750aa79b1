import { isMap, isScalar, isSeq } from 'yaml';
import type { FieldContext } from './field-context';
import { deref, isEmptyValue, readScalar, reportControlCharacter, spanOf } from './field-context';
import { ProblemCode } from './problem-codes';
import type { ExtraHeader } from './types';

/**
 * Headers the composer writes itself. Letting a draft set them would duplicate them or
 * break the MIME structure, and a `Bcc` header would reveal the blind copies.
 */
const OWNED_HEADERS: Readonly<Record<string, string>> = {
  from: 'use the `from` key',
  to: 'use the `to` key',
  cc: 'use the `cc` key',
  bcc: 'use the `bcc` key (blind copies never appear in a header)',
  'reply-to': 'use the `reply-to` key',
  subject: 'use the `subject` key',
  'in-reply-to': 'use the `in-reply-to` key',
  references: 'use the `references` key',
  'message-id': 'the composer generates it',
  date: 'the composer sets it when sending',
  'mime-version': 'the composer sets it',
};

/** Why the composer refuses `name`, or undefined when a draft may set it. */
export function ownedHeaderReason(name: string): string | undefined {
  const lower = name.toLowerCase();
  if (lower.startsWith('content-')) return 'the composer builds the MIME structure and its Content-* headers';
  return OWNED_HEADERS[lower];
}

/** RFC 5322 §2.2: a field name is one or more printable US-ASCII characters except ':'. */
export function headerNameProblem(name: string): string | undefined {
  if (name === '') return 'a header name cannot be empty';
  for (const ch of name) {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 33 || code > 126 || ch === ':') {
      const shown = ch === ' ' ? 'a space' : ch === ':' ? "':'" : `U+${code.toString(16).toUpperCase().padStart(4, '0')} ('${ch}')`;
      return `a header name may hold only printable ASCII except ':', and '${name}' contains ${shown}`;
    }
  }
  return undefined;
}

/**
 * Reads `headers:`, a map of header name to value. A list value gives the header once per
 * item (RFC 5322 §3.6 lets optional fields repeat).
 */
export function readExtraHeaders(label: string, node: unknown, ctx: FieldContext): ExtraHeader[] {
  const value = deref(node, ctx);
  if (isEmptyValue(value)) return [];
  if (!isMap(value)) {
    const [start, end] = spanOf(value, ctx);
    ctx.sink.error(ProblemCode.invalidType, `${label} must be a map of header names to values, like  X-Priority: 1`, start, end);
    return [];
  }
  const headers: ExtraHeader[] = [];
  for (const pair of value.items) {
    const key = readScalar(pair.key, `a name in ${label}`, 'a header name', ctx);
    if (!key) continue;
    const name = key.text;
    const nameProblem = headerNameProblem(name);
    if (nameProblem) {
      ctx.sink.error(ProblemCode.invalidHeaderName, `${label}: ${nameProblem}`, key.start, key.end);
      continue;
    }
    const owned = ownedHeaderReason(name);
    if (owned) {
      ctx.sink.error(ProblemCode.ownedHeader, `${label}: ${name} cannot be set here: ${owned}`, key.start, key.end);
      continue;
    }
    const target = deref(pair.value, ctx);
    const items: unknown[] = isSeq(target) ? target.items : [pair.value];
    for (const item of items) {
      if (isEmptyValue(item) && !isScalar(item)) {
        headers.push({ name, value: '' });
        continue;
      }
      const located = readScalar(item, `${label}: ${name}`, 'a text value (or a list of them)', ctx);
      if (!located || reportControlCharacter(located, `${label}: ${name}`, ctx)) continue;
      headers.push({ name, value: located.text });
    }
  }
  return headers;
}
