/**
 * A text seen by offsets, for edits that must leave every other byte of the user's draft alone:
 * its lines with where each starts and ends, and replacements by offset. The extension applies
 * such an edit as an undoable WorkspaceEdit, the CLI as a string rewrite.
 */

/** Replace `[start, end)` of the text with `text` (offsets in UTF-16 code units). */
export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

export interface TextLine {
  /** Offset of the line's first character. */
  readonly start: number;
  /** Offset just after the content, before the line break. */
  readonly contentEnd: number;
  /** Offset just after the line break (equals contentEnd on a last line without one). */
  readonly end: number;
  /** The line without its break. */
  readonly content: string;
}

/**
 * The lines that start in `[from, to)`. Lines end at CRLF, LF or a lone CR — the breaks YAML 1.2
 * 5.4 recognises, as LineIndex (draft/line-index.ts) counts them.
 */
export function linesBetween(text: string, from: number, to: number): TextLine[] {
  const lines: TextLine[] = [];
  const pattern = /([^\r\n]*)(\r\n|\r|\n|$)/y;
  pattern.lastIndex = from;
  while (pattern.lastIndex < to) {
    const start = pattern.lastIndex;
    const match = pattern.exec(text);
    if (match === null || match[0] === '') break;
    const [whole, content = '', lineBreak = ''] = match;
    lines.push({ start, contentEnd: start + content.length, end: start + whole.length, content });
    if (lineBreak === '') break;
  }
  return lines;
}

/** Applies non-overlapping edits (sorted or not) to `text`. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let result = text;
  for (const edit of [...edits].sort((a, b) => b.start - a.start)) {
    result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
  }
  return result;
}
