import type * as Yaml from 'yaml';
import type { Document, Node } from 'yaml';
import { describeCharacter, formatCharacterIndex, lineBreakIndex } from '../mime/grammar';
import type { LocalizedText } from '../text';
import { localized } from '../text';
import { locateScalar, rangeWithin } from './located-text';
import type { LocatedText } from './located-text';
import { ProblemCode } from './problem-codes';
import type { ProblemSink } from './problem-sink';

/** The `yaml` module, loaded lazily (core/lazy.ts) and handed to every reader. */
export type YamlModule = typeof Yaml;

/** What every front matter field reader needs: the YAML library and text, where it sits, the sink. */
export interface FieldContext {
  readonly Y: YamlModule;
  readonly doc: Document;
  /** The front matter text the YAML node ranges refer to. */
  readonly yaml: string;
  /** Offset of `yaml` within the draft. */
  readonly base: number;
  readonly sink: ProblemSink;
}

/** Follows a YAML alias (`*name`) to the node it names; other values come back unchanged. */
export function deref(node: unknown, ctx: FieldContext): unknown {
  return ctx.Y.isAlias(node) ? node.resolve(ctx.doc) : node;
}

/** Draft offsets of a node as written; [base, base] when the node has no range. */
export function spanOf(node: unknown, ctx: FieldContext): [number, number] {
  const range = (node as Partial<Node> | null)?.range;
  return range ? [ctx.base + range[0], ctx.base + range[1]] : [ctx.base, ctx.base];
}

/** True for an absent value: `key:` with nothing after it, or `~` / `null`. */
export function isEmptyValue(node: unknown, ctx: FieldContext): boolean {
  return node === null || node === undefined || (ctx.Y.isScalar(node) && (node.value === null || node.value === undefined));
}

/** The items of a YAML list, or the node itself as a list of one. */
export function itemsOf(node: unknown, ctx: FieldContext): unknown[] {
  const value = deref(node, ctx);
  return ctx.Y.isSeq(value) ? value.items : [node];
}

/**
 * Reads a scalar, or reports `invalid-type` (`wrongType` is the sentence saying what belongs
 * there) and returns undefined for a list or map.
 */
export function readScalar(node: unknown, ctx: FieldContext, wrongType: LocalizedText): LocatedText | undefined {
  const target = deref(node, ctx);
  if (ctx.Y.isScalar(target)) {
    const located = locateScalar(target, ctx.yaml, ctx.base);
    if (!ctx.Y.isAlias(node)) return located;
    // Through an alias (`cc: *team`): point at the alias, where this field uses the value.
    const [start, end] = spanOf(node, ctx);
    return { ...located, start, end, offsetOf: () => start };
  }
  const [start, end] = spanOf(target, ctx);
  ctx.sink.error(ProblemCode.invalidType, wrongType, start, end);
  return undefined;
}

/**
 * Header-bound values end up on one header line: CR or LF would start a new header (header
 * injection, RFC 5322 §2.2) and NUL is never allowed (§2.2, §3.2). Reports the first one
 * found in `value`; true when there was one.
 */
export function reportControlCharacter(value: LocatedText, label: string, ctx: FieldContext): boolean {
  const index = lineBreakIndex(value.text);
  if (index < 0) return false;
  const [start, end] = rangeWithin(value, index, 1);
  const nul = value.text[index] === '\0';
  let text: LocalizedText;
  if (nul) text = localized('{0} contains a NUL character, which cannot go into a mail header', label);
  else if (value.isBlock) {
    text = localized('{0} contains a line break, which cannot go into a mail header; a YAML block scalar (| or >) keeps its line breaks, so write the value on the key\'s line', label);
  } else text = localized('{0} contains a line break, which cannot go into a mail header', label);
  ctx.sink.error(ProblemCode.controlCharacter, text, start, end);
  return true;
}

/**
 * A bidi control or invisible format character makes what is shown differ from what is sent.
 * In a display name or the subject it is a warning: some scripts need them.
 */
export function warnFormatCharacter(value: LocatedText, label: string, ctx: FieldContext): void {
  const found = formatCharacterIndex(value.text);
  if (found < 0) return;
  const [start, end] = rangeWithin(value, found, 1);
  ctx.sink.warning(
    ProblemCode.formatCharacter,
    localized('{0} contains the invisible formatting character {1}, which can make the text read differently from what is sent', label, describeCharacter(value.text[found] ?? '')),
    start,
    end,
  );
}
