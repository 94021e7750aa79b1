/**
 * The placeholders of a merge draft: `{{ column }}`, or `{{ column | "fallback" }}` for the
 * text used when the row's value is missing or empty. Our own scanner rather than Mustache or
 * Liquid: the rules are narrow and unlike theirs — a value is always inserted as literal text
 * (Mustache HTML-escapes, Liquid has filters and logic), a missing value is an error rather
 * than an empty string, and every placeholder needs its exact line and column for
 * `FILE:LINE:COL` and the editor's diagnostics. A template engine would be a second language in
 * the draft; this is one token.
 *
 * The scanner only finds placeholders; render.ts inserts the values.
 */
import { splitDraft } from '../draft/front-matter';
import { LineIndex } from '../draft/line-index';
import type { DraftProblem } from '../draft/types';
import { localized, renderText } from '../text';
import type { LocalizedText } from '../text';
import { columnKey } from './data';
import type { ColumnKey, MergeTemplate, Placeholder } from './types';

/** `{{ name }}` or `{{ name | "fallback" }}` / `| 'fallback'`; the name holds no braces, pipe or quote. */
const PLACEHOLDER = /\{\{([^{}|"']*?)(?:\|\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)')\s*)?\}\}/gy;

function problem(lines: LineIndex, code: string, severity: DraftProblem['severity'], text: LocalizedText, start: number, end: number): DraftProblem {
  return { severity, code, text, message: renderText(text), start: lines.positionAt(start), end: lines.positionAt(end) };
}

/** Where the front matter ends (offset of the body), or 0 when the draft has none. */
function bodyOffset(text: string): number {
  const bom = text.startsWith('\uFEFF') ? 1 : 0;
  const split = splitDraft(text.slice(bom));
  return split.kind === 'ok' ? text.length - split.body.length : 0;
}

/** The `merge:` value of the front matter, read line by line (the YAML may hold placeholders). */
function mergeKey(frontMatter: string): string | undefined {
  const match = /^merge[ \t]*:[ \t]*(.*?)[ \t]*$/im.exec(frontMatter);
  const raw = match?.[1];
  if (raw === undefined || raw === '') return undefined;
  const quoted = /^"(.*)"$|^'(.*)'$/.exec(raw);
  return quoted === null ? raw.replace(/\s+#.*$/, '') : (quoted[1] ?? quoted[2] ?? '');
}

function unescapeFallback(double: string | undefined, single: string | undefined): string | undefined {
  if (double !== undefined) return JSON.parse(`"${double}"`) as string;
  if (single !== undefined) return single.replace(/''/g, "'");
  return undefined;
}

/**
 * Finds every placeholder. With `columns` (the data's column names), a placeholder naming none
 * of them is an error at its position that lists the columns.
 */
export function scanTemplate(text: string, columns?: readonly string[]): MergeTemplate {
  const lines = new LineIndex(text);
  const bodyStart = bodyOffset(text);
  const placeholders: Placeholder[] = [];
  const problems: DraftProblem[] = [];
  const known = columns === undefined ? undefined : new Set<ColumnKey>(columns.map(columnKey));
  let from = 0;
  for (;;) {
    const open = text.indexOf('{{', from);
    if (open < 0) break;
    PLACEHOLDER.lastIndex = open;
    const match = PLACEHOLDER.exec(text);
    const lineEnd = text.slice(open).search(/[\r\n]/);
    if (match === null || (lineEnd >= 0 && match[0].length > lineEnd)) {
      problems.push(problem(lines, 'merge-placeholder-syntax', 'error', localized('"{0}" starts a placeholder that is not closed on this line by "{1}" (write {2} or {3})', '{{', '}}', '{{ column }}', '{{ column | "fallback" }}'), open, open + 2));
      from = open + 2;
      continue;
    }
    const end = open + match[0].length;
    const name = (match[1] ?? '').trim();
    from = end;
    if (name === '') {
      problems.push(problem(lines, 'merge-placeholder-syntax', 'error', localized('the placeholder names no column'), open, end));
      continue;
    }
    const placeholder: Placeholder = {
      name,
      key: columnKey(name),
      fallback: unescapeFallback(match[2], match[3]),
      offset: open,
      endOffset: end,
      start: lines.positionAt(open),
      end: lines.positionAt(end),
      part: open < bodyStart ? 'front-matter' : 'body',
    };
    placeholders.push(placeholder);
    if (known !== undefined && !known.has(placeholder.key)) {
      problems.push(problem(lines, 'merge-unknown-column', 'error', localized('no column "{0}" in the data; its columns are: {1}', name, columns?.join(', ') ?? ''), open, end));
    }
  }
  const frontMatter = text.slice(0, bodyStart);
  return { text, placeholders, dataFile: bodyStart > 0 ? mergeKey(frontMatter) : undefined, problems };
}
