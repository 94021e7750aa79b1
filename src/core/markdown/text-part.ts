/**
 * The text/plain part of a Markdown draft is its Markdown source, which reads well as it is —
 * except a local image reference: `![chart](img/chart.png)` names a file on the sender's machine,
 * meaningless to the recipient (the image travels in the HTML part). Each embedded image's
 * reference, inline or reference-style (`![chart][fig]`), becomes `[image: chart]`, and a
 * reference definition (`[fig]: img/chart.png`) that only such images use is left out.
 */
import type MarkdownIt from 'markdown-it';
import type { Position } from '../draft/types';

type Token = MarkdownIt.Token;

/** A span of the draft (draft positions; `end` just after it) and what replaces it. */
export interface TextEdit {
  readonly start: Position;
  readonly end: Position;
  readonly text: string;
}

/** `[image: label]`, the label on one line. */
export function imagePlaceholder(label: string): string {
  return `[image: ${label.replace(/\s+/g, ' ').trim()}]`;
}

/** Offsets of each line's start in `text` (CRLF, CR and LF all end a line, as the positions count them). */
function lineStarts(text: string): number[] {
  const starts = [0];
  const breaks = /\r\n|\r|\n/g;
  for (let match = breaks.exec(text); match !== null; match = breaks.exec(text)) starts.push(match.index + match[0].length);
  return starts;
}

/** `body` (starting at draft line `bodyStartLine`) with the edits applied; overlapping edits (never expected) are skipped. */
export function applyTextEdits(body: string, bodyStartLine: number, edits: readonly TextEdit[]): string {
  if (edits.length === 0) return body;
  const starts = lineStarts(body);
  const offset = (position: Position): number => (starts[position.line - bodyStartLine] ?? body.length) + position.column - 1;
  const spans = edits.map((edit) => ({ from: offset(edit.start), to: offset(edit.end), text: edit.text })).sort((a, b) => b.from - a.from);
  let text = body;
  let limit = body.length;
  // From the last to the first, so earlier offsets stay valid.
  for (const span of spans) {
    if (span.to > limit || span.from < 0 || span.to < span.from) continue;
    text = `${text.slice(0, span.from)}${span.text}${text.slice(span.to)}`;
    limit = span.from;
  }
  return text;
}

/** A one-line reference definition: `[label]: destination …` indented at most three spaces (CommonMark 4.7). */
const DEFINITION = /^ {0,3}\[((?:[^\]\\]|\\.){1,999})\]:/;

/** markdown-it's environment after parsing: the reference definitions by normalised label. */
export interface MarkdownEnv {
  readonly references?: { readonly [label: string]: { readonly href: string } | undefined };
}

/**
 * Edits that remove the lines of reference definitions used by embedded images only: their
 * destination is one of `imageSources` and no link points there. Lines inside code blocks and
 * raw HTML blocks are never touched.
 */
export function unusedDefinitionEdits(md: MarkdownIt, body: string, bodyStartLine: number, tokens: readonly Token[], env: MarkdownEnv, imageSources: ReadonlySet<string>): TextEdit[] {
  const references = env.references;
  if (references === undefined || imageSources.size === 0) return [];
  const linked = new Set<string>();
  const literal = new Set<number>();
  for (const token of tokens) {
    if ((token.type === 'fence' || token.type === 'code_block' || token.type === 'html_block') && token.map !== null) {
      for (let line = token.map[0]; line < token.map[1]; line++) literal.add(line);
    }
    for (const child of token.children ?? []) if (child.type === 'link_open') linked.add(child.attrGet('href') ?? '');
  }
  const edits: TextEdit[] = [];
  const lines = body.split(/\r\n|\r|\n/);
  lines.forEach((line, index) => {
    const label = literal.has(index) ? undefined : DEFINITION.exec(line)?.[1];
    if (label === undefined) return;
    const href = references[md.utils.normalizeReference(label)]?.href;
    if (href === undefined || !imageSources.has(href) || linked.has(href)) return;
    const next = index + 1 < lines.length ? { line: bodyStartLine + index + 1, column: 1 } : { line: bodyStartLine + index, column: line.length + 1 };
    edits.push({ start: { line: bodyStartLine + index, column: 1 }, end: next, text: '' });
  });
  return edits;
}
