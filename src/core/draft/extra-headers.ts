import { headerNameFault, headerNameFaultText, ownedHeader, ownedHeaderText, unfoldableRun } from '../mime/grammar';
import { localized } from '../text';
import type { FieldContext } from './field-context';
import { deref, isEmptyValue, itemsOf, readScalar, reportControlCharacter, spanOf } from './field-context';
import { rangeWithin } from './located-text';
import { ProblemCode } from './problem-codes';
import type { ExtraHeader } from './types';

/**
 * Reads `headers:`, a map of header name to value. A list value gives the header once per
 * item (RFC 5322 §3.6 lets optional fields repeat). Names and values are held to the
 * composer's grammar (mime/grammar.ts): what passes here, the composer writes.
 */
export function readExtraHeaders(label: string, node: unknown, ctx: FieldContext): ExtraHeader[] {
  const value = deref(node, ctx);
  if (isEmptyValue(value, ctx)) return [];
  if (!ctx.Y.isMap(value)) {
    const [start, end] = spanOf(value, ctx);
    ctx.sink.error(ProblemCode.invalidType, localized('{0} must be a map of header names to values, like  X-Priority: 1', label), start, end);
    return [];
  }
  const headers: ExtraHeader[] = [];
  for (const pair of value.items) {
    const key = readScalar(pair.key, ctx, localized('a name in {0} must be a header name', label));
    if (!key) continue;
    const name = key.text;
    const nameFault = headerNameFault(name);
    if (nameFault) {
      ctx.sink.error(ProblemCode.invalidHeaderName, headerNameFaultText(label, name, nameFault), key.start, key.end);
      continue;
    }
    const owned = ownedHeader(name);
    if (owned) {
      ctx.sink.error(ProblemCode.ownedHeader, ownedHeaderText(label, name, owned), key.start, key.end);
      continue;
    }
    const where = `${label}: ${name}`;
    for (const item of itemsOf(pair.value, ctx)) {
      if (isEmptyValue(item, ctx) && !ctx.Y.isScalar(item)) {
        headers.push({ name, value: '' });
        continue;
      }
      const located = readScalar(item, ctx, localized('{0} must be a text value (or a list of them)', where));
      if (!located || reportControlCharacter(located, where, ctx)) continue;
      // Extra header values are written as they are (their structure is unknown), folded only
      // at whitespace: a longer run cannot be sent (RFC 5322 2.1.1).
      const run = unfoldableRun(name, located.text);
      if (run) {
        const [start, end] = rangeWithin(located, run.index, run.length);
        ctx.sink.error(
          ProblemCode.headerTooLong,
          localized('{0}: this value has a part without spaces that is {1} octets long with the header name; a mail header line may hold at most 998 (RFC 5322 2.1.1)', where, run.octets),
          start,
          end,
        );
        continue;
      }
      headers.push({ name, value: located.text });
    }
  }
  return headers;
}
