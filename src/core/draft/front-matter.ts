/**
 * Splits a draft into its YAML front matter and its body. Only finds the fences; the YAML
 * itself is parsed by the `yaml` library (see parse.ts).
 */

export type SplitDraft =
  | { readonly kind: 'no-front-matter' }
  | { readonly kind: 'unterminated'; readonly openingFenceEnd: number }
  | {
      readonly kind: 'ok';
      /** Offset of the first character of the YAML text (the line after the opening `---`). */
      readonly yamlStart: number;
      readonly yaml: string;
      /** Offset just after the opening `---` (for problems "at the front matter"). */
      readonly openingFenceEnd: number;
      readonly body: string;
      /** 1-based line of the draft where the body starts. */
      readonly bodyStartLine: number;
    };

// A fence is the whole line: `---` opens; `---` or `...` (YAML's document end marker) closes.
// Trailing blanks are forgiven because editors rarely show them.
const OPENING_FENCE = /^---[ \t]*(?:\r\n|\r|\n|$)/;
const CLOSING_FENCE = /^(?:---|\.\.\.)[ \t]*$/;
const LINE = /([^\r\n]*)(\r\n|\r|\n|$)/y;

/** `source` must already be without a byte order mark. */
export function splitDraft(source: string): SplitDraft {
  const opening = OPENING_FENCE.exec(source);
  if (!opening) return { kind: 'no-front-matter' };
  const yamlStart = opening[0].length;
  const openingFenceEnd = 3;
  let lineNumber = 2;
  LINE.lastIndex = yamlStart;
  while (LINE.lastIndex < source.length) {
    const lineStart = LINE.lastIndex;
    const match = LINE.exec(source);
    if (!match) break;
    const [whole, content = '', lineBreak = ''] = match;
    if (CLOSING_FENCE.test(content)) {
      const bodyStart = lineStart + whole.length;
      return {
        kind: 'ok',
        yamlStart,
        yaml: source.slice(yamlStart, lineStart),
        openingFenceEnd,
        body: source.slice(bodyStart),
        bodyStartLine: lineNumber + 1,
      };
    }
    if (lineBreak === '') break;
    lineNumber++;
  }
  return { kind: 'unterminated', openingFenceEnd };
}
