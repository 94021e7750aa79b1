/**
 * `dir:` — the base direction of the HTML part (HTML's `dir` attribute): `rtl` for a message
 * written in Arabic, Hebrew or Persian, `auto` to let each paragraph decide by its first strong
 * character, `ltr` (the default). The text part has no direction to set: mail clients show it
 * by the Unicode bidi algorithm.
 */
import type { TextDirection } from '../markdown/email-styles';
import { localized } from '../text';
import type { FieldReaderEnv } from './field-readers';
import { deref, isEmptyValue, readScalar } from './field-context';
import { ProblemCode } from './problem-codes';

const DIRECTIONS: readonly TextDirection[] = ['ltr', 'rtl', 'auto'];

export function readDir({ keys, ctx }: FieldReaderEnv): TextDirection | undefined {
  const entry = keys.get('dir');
  if (!entry || isEmptyValue(deref(entry.value, ctx), ctx)) return undefined;
  const located = readScalar(entry.value, ctx, localized('{0} must be rtl, ltr or auto', entry.written));
  if (!located) return undefined;
  const value = located.text.trim().toLowerCase();
  if ((DIRECTIONS as readonly string[]).includes(value)) return value as TextDirection;
  ctx.sink.error(ProblemCode.invalidType, localized('{0} must be rtl, ltr or auto, not {1}', entry.written, located.text), located.start, located.end);
  return undefined;
}
