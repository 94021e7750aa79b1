import { isAlias, isScalar } from 'yaml';
import type { Document, Node } from 'yaml';
import { locateScalar, rangeWithin } from './located-text';
import type { LocatedText } from './located-text';
import { ProblemCode } from './problem-codes';
import type { ProblemSink } from './problem-sink';

/** What every front matter field reader needs: the YAML text, where it sits, the sink. */
export interface FieldContext {
  readonly doc: Document;
  /** The front matter text the YAML node ranges refer to. */
  readonly yaml: string;
  /** Offset of `yaml` within the draft. */
  readonly base: number;
  readonly sink: ProblemSink;
}

/** Follows a YAML alias (`*name`) to the node it names; other values come back unchanged. */
export function deref(node: unknown, ctx: FieldContext): unknown {
  return isAlias(node) ? node.resolve(ctx.doc) : node;
}

/** Draft offsets of a node as written; [base, base] when the node has no range. */
export function spanOf(node: unknown, ctx: FieldContext): [number, number] {
  const range = (node as Partial<Node> | null)?.range;
  return range ? [ctx.base + range[0], ctx.base + range[1]] : [ctx.base, ctx.base];
}

/** True for an absent value: `key:` with nothing after it, or `~` / `null`. */
export function isEmptyValue(node: unknown): boolean {
  return node === null || node === undefined || (isScalar(node) && (node.value === null || node.value === undefined));
}

/**
 * Reads a scalar, or reports `invalid-type` (`expected` says what belongs there) and
 * returns undefined for a list or map.
 */
export function readScalar(node: unknown, label: string, expected: string, ctx: FieldContext): LocatedText | undefined {
  const target = deref(node, ctx);
  if (isScalar(target)) {
    const located = locateScalar(target, ctx.yaml, ctx.base);
    if (!isAlias(node)) return located;
    // Through an alias (`cc: *team`): point at the alias, where this field uses the value.
    const [start, end] = spanOf(node, ctx);
    return { ...located, start, end, offsetOf: () => start };
  }
  const [start, end] = spanOf(target, ctx);
  ctx.sink.error(ProblemCode.invalidType, `${label} must be ${expected}`, start, end);
  return undefined;
}

/**
 * Header-bound values end up on one header line: CR or LF would start a new header (header
 * injection, RFC 5322 §2.2) and NUL is never allowed (§2.2, §3.2). Reports the first one
 * found in `value`; true when there was one.
 */
export function reportControlCharacter(value: LocatedText, label: string, ctx: FieldContext): boolean {
  const index = value.text.search(/[\r\n\0]/);
  if (index < 0) return false;
  const what = value.text[index] === '\0' ? 'a NUL character' : 'a line break';
  const hint = value.isBlock
    ? '; a YAML block scalar (| or >) keeps its line breaks, so write the value on the key\'s line'
    : '';
  const [start, end] = rangeWithin(value, index, 1);
  ctx.sink.error(ProblemCode.controlCharacter, `${label} contains ${what}, which cannot go into a mail header${hint}`, start, end);
  return true;
}
