import { isSeq } from 'yaml';
import { dotAtomProblem } from './addr-spec';
import type { FieldContext } from './field-context';
import { deref, isEmptyValue, readScalar, reportControlCharacter } from './field-context';
import { rangeWithin } from './located-text';
import type { LocatedText } from './located-text';
import { ProblemCode } from './problem-codes';

/**
 * Why `text` is not an RFC 5322 §3.6.4 msg-id (`"<" id-left "@" id-right ">"`, id-left a
 * dot-atom-text, id-right a dot-atom-text or a `[…]` no-fold-literal), or undefined.
 */
export function messageIdProblem(text: string): string | undefined {
  if (!text.startsWith('<') || !text.endsWith('>') || text.length < 2) {
    return 'a message id is written in angle brackets, like <id@example.com>';
  }
  const inner = text.slice(1, -1);
  const at = inner.lastIndexOf('@');
  if (at < 0) return 'a message id needs an @ between its two halves, like <id@example.com>';
  const left = inner.slice(0, at);
  const right = inner.slice(at + 1);
  if (left === '') return 'nothing comes before the @';
  if (right === '') return 'nothing comes after the @';
  const leftProblem = dotAtomProblem(left, 'the part before the @');
  if (leftProblem) return leftProblem;
  if (right.startsWith('[') && right.endsWith(']')) {
    return /^\[[\x21-\x5a\x5e-\x7e]*\]$/.test(right) ? undefined : 'the [literal] after the @ contains a character it cannot hold';
  }
  return dotAtomProblem(right, 'the part after the @');
}

function checkId(label: string, id: string, located: LocatedText, at: number, ctx: FieldContext): boolean {
  const problem = messageIdProblem(id);
  if (!problem) return true;
  const [start, end] = rangeWithin(located, at, id.length);
  ctx.sink.error(ProblemCode.invalidMessageId, `${label}: '${id}' is not a message id: ${problem}`, start, end);
  return false;
}

/** `in-reply-to:` holds exactly one message id. */
export function readInReplyTo(label: string, node: unknown, ctx: FieldContext): string | undefined {
  const value = deref(node, ctx);
  if (isEmptyValue(value)) return undefined;
  const located = readScalar(node, label, 'one message id such as <id@example.com> (put more in references)', ctx);
  if (!located || reportControlCharacter(located, label, ctx)) return undefined;
  const id = located.text.trim();
  const at = located.text.indexOf(id);
  return checkId(label, id, located, at, ctx) ? id : undefined;
}

/** `references:` is a string of ids separated by whitespace, or a list of such strings. */
export function readReferences(label: string, node: unknown, ctx: FieldContext): string[] {
  const value = deref(node, ctx);
  if (isEmptyValue(value)) return [];
  const items: unknown[] = isSeq(value) ? value.items : [node];
  const ids: string[] = [];
  for (const item of items) {
    const located = readScalar(item, label, 'message ids separated by spaces, or a list of them', ctx);
    if (!located || reportControlCharacter(located, label, ctx)) continue;
    for (const match of located.text.matchAll(/\S+/g)) {
      if (checkId(label, match[0], located, match.index, ctx)) ids.push(match[0]);
    }
  }
  return ids;
}
