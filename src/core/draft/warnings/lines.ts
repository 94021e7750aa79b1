/**
 * A draft seen as lines, for the editor's warnings and quick fixes: where each top-level front
 * matter key stands and where the body begins. Only fences and `key:` prefixes are read — the
 * YAML itself is the parser's job (../parse.ts) — so positions stay exact while a draft is
 * half written, and nothing heavy is loaded.
 */
import type { DraftProblem, Position } from '../types';
import type { LocalizedText } from '../../text';
import { renderText } from '../../text';

/** One `key: value` line of the front matter; lines and columns 0-based, as editors count. */
export interface KeyLine {
  /** Lower case, as the parser matches keys. */
  readonly name: string;
  readonly line: number;
  readonly keyStart: number;
  readonly keyEnd: number;
  /** The value written on the key's own line, trimmed, without a trailing comment (empty for a block list or nothing). */
  readonly value: string;
  readonly valueStart: number;
  readonly valueEnd: number;
}

export interface DraftLines {
  readonly lines: readonly string[];
  /** The line holding the closing fence, or undefined while the front matter is still open. */
  readonly closingFence: number | undefined;
  readonly keys: readonly KeyLine[];
  /** 0-based line where the body starts (lines.length when there is none). */
  readonly bodyStart: number;
}

const KEY_LINE = /^([A-Za-z][A-Za-z0-9_-]*)([ \t]*):[ \t]*(.*?)[ \t]*$/;
const CLOSING_FENCE = /^(?:---|\.\.\.)[ \t]*$/;

export function splitLines(text: string): string[] {
  return text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
}

/** Undefined when the text does not open with a `---` line. */
export function draftLines(text: string): DraftLines | undefined {
  const lines = splitLines(text);
  if (!/^---[ \t]*$/.test(lines[0] ?? '')) return undefined;
  const keys: KeyLine[] = [];
  let closingFence: number | undefined;
  for (let line = 1; line < lines.length; line++) {
    const content = lines[line] ?? '';
    if (CLOSING_FENCE.test(content)) {
      closingFence = line;
      break;
    }
    const match = KEY_LINE.exec(content);
    if (match === null) continue;
    const [, key = '', gap = '', written = ''] = match;
    // A YAML comment after the value (` # …`) is not part of it (YAML 1.2 §6.6).
    const value = written.replace(/(?:^|[ \t]+)#.*$/, '');
    const valueStart = value === '' ? content.length : content.indexOf(value, key.length + gap.length + 1);
    keys.push({ name: key.toLowerCase(), line, keyStart: 0, keyEnd: key.length, value, valueStart, valueEnd: valueStart + value.length });
  }
  return { lines, closingFence, keys, bodyStart: closingFence === undefined ? lines.length : closingFence + 1 };
}

export function keyLine(lines: DraftLines, name: string): KeyLine | undefined {
  return lines.keys.find((key) => key.name === name);
}

/** A warning at 0-based positions, converted to the 1-based ones every DraftProblem carries. */
export function warningAt(code: string, text: LocalizedText, line: number, start: number, end: number, endLine = line): DraftProblem {
  const at = (l: number, c: number): Position => ({ line: l + 1, column: c + 1 });
  return { severity: 'warning', code, text, message: renderText(text), start: at(line, start), end: at(endLine, end) };
}

/**
 * Each body line with the parts Markdown shows literally blanked out: fenced code blocks and
 * inline code spans, so a word or a link written as an example is not taken at its word.
 * Columns are kept (blanked, not removed).
 */
export function proseLines(lines: DraftLines): Array<{ readonly line: number; readonly text: string }> {
  const result: Array<{ line: number; text: string }> = [];
  let fence: string | undefined;
  for (let line = lines.bodyStart; line < lines.lines.length; line++) {
    const content = lines.lines[line] ?? '';
    const opener = /^[ ]{0,3}(`{3,}|~{3,})/.exec(content)?.[1];
    if (fence !== undefined) {
      if (opener !== undefined && opener[0] === fence[0] && opener.length >= fence.length) fence = undefined;
      continue;
    }
    if (opener !== undefined) {
      fence = opener;
      continue;
    }
    result.push({ line, text: content.replace(/(`+)[^`]*?\1/g, (span) => ' '.repeat(span.length)) });
  }
  return result;
}
