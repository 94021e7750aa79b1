import { messageIdFault, messageIdFaultText } from '../mime/grammar';
import { localized } from '../text';
import type { FieldContext } from './field-context';
import { deref, isEmptyValue, itemsOf, readScalar, reportControlCharacter } from './field-context';
import { rangeWithin } from './located-text';
import type { LocatedText } from './located-text';
import { ProblemCode } from './problem-codes';

/** Checks one id against the composer's msg-id grammar (mime/grammar.ts), reporting it where written. */
function checkId(label: string, id: string, located: LocatedText, at: number, ctx: FieldContext): boolean {
  const fault = messageIdFault(id);
  if (!fault) return true;
  const [start, end] = rangeWithin(located, at, id.length);
  ctx.sink.error(ProblemCode.invalidMessageId, messageIdFaultText(label, id, fault), start, end);
  return false;
}

/** `in-reply-to:` holds exactly one message id. */
export function readInReplyTo(label: string, node: unknown, ctx: FieldContext): string | undefined {
  if (isEmptyValue(deref(node, ctx), ctx)) return undefined;
  const located = readScalar(node, ctx, localized('{0} must be one message id such as <id@example.com> (put more in references)', label));
  if (!located || reportControlCharacter(located, label, ctx)) return undefined;
  const id = located.text.trim();
  const at = located.text.indexOf(id);
  return checkId(label, id, located, at, ctx) ? id : undefined;
}

/** `references:` is a string of ids separated by whitespace, or a list of such strings. */
export function readReferences(label: string, node: unknown, ctx: FieldContext): string[] {
  if (isEmptyValue(deref(node, ctx), ctx)) return [];
  const ids: string[] = [];
  for (const item of itemsOf(node, ctx)) {
    const located = readScalar(item, ctx, localized('{0} must be message ids separated by spaces, or a list of them', label));
    if (!located || reportControlCharacter(located, label, ctx)) continue;
    for (const match of located.text.matchAll(/\S+/g)) {
      if (checkId(label, match[0], located, match.index, ctx)) ids.push(match[0]);
    }
  }
  return ids;
}
