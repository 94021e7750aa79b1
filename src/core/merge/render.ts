/**
 * One row's draft: every placeholder replaced by the row's value, always as literal text.
 *
 * - In the front matter a value is YAML-quoted for where it stands: inside "…" it is escaped as
 *   a double-quoted scalar (JSON escapes are YAML escapes), inside '…' its quotes are doubled,
 *   and a plain scalar holding placeholders (`to: {{ email }}`, `subject: Hi {{ name }}`) is
 *   rewritten as one double-quoted scalar. So a value can never add a key, a list item or a
 *   comment, whatever characters it holds.
 * - In a Markdown body a value must appear literally in both parts: `*VIP*` must stay
 *   `*VIP*` in the text part and must not become emphasis in the HTML. Backslash escapes would
 *   show in the text part, so each value stands in the Markdown as a marker (two private-use
 *   characters around its index, which Markdown leaves alone) and `checkRow` puts the value
 *   back after rendering: HTML-escaped in the HTML part, as-is in the text part. Inside a link
 *   or image destination, `](…)`, the value is inserted percent-encoded instead (a per-row
 *   image path).
 * - In a plain-text body the value is inserted as it is.
 */
import { homedir } from 'node:os';
import { checkDraft } from '../compose-draft';
import { parseDraft, sortProblems } from '../draft';
import type { CheckedDraft, DraftSource } from '../compose-draft';
import type { Draft, DraftAttachment, DraftProblem } from '../draft/types';
import { withoutConstantAttach } from './constant-attach';
import { AttachmentCache } from '../mime/attachment-cache';
import type { PreparedMarkdown } from '../markdown/types';
import { localized } from '../text';
import type { CheckedRow, DataProblem, MergeProblem, MergeRow, MergeTemplate, Placeholder, RenderedRow } from './types';

const MARK_OPEN = '\uE000';
const MARK_CLOSE = '\uE001';
const MARKER = /\uE000(\d+)\uE001/g;
/** The same marker after markdown-it percent-encoded it inside a URL. */
const ENCODED_MARKER = /%EE%80%80(\d+)%EE%80%81/g;

function valueFor(placeholder: Placeholder, row: MergeRow): string | undefined {
  const value = row.values.get(placeholder.key);
  if (value !== undefined && value.trim() !== '') return value;
  return placeholder.fallback;
}

function lineBounds(text: string, offset: number): { readonly start: number; readonly end: number } {
  const before = Math.max(text.lastIndexOf('\n', offset - 1), text.lastIndexOf('\r', offset - 1));
  const after = text.slice(offset).search(/[\r\n]/);
  return { start: before + 1, end: after < 0 ? text.length : offset + after };
}

/** Offset where a front-matter line's value starts: after indentation, `- ` and `key:`. */
function valueStartIn(line: string): number {
  const match = /^[ \t]*(?:-[ \t]+)*(?:[^\s{}"'#:][^{}:]*?[ \t]*:(?:[ \t]+|$))?/.exec(line);
  return match?.[0].length ?? 0;
}

/** Replaces the placeholders of one front-matter line. */
function frontMatterLine(line: string, lineStart: number, items: ReadonlyArray<{ readonly p: Placeholder; readonly value: string }>): string {
  const valueStart = valueStartIn(line);
  const opener = line[valueStart];
  const substitute = (segment: string, segmentStart: number, quote: (value: string) => string): string => {
    let out = '';
    let at = 0;
    for (const { p, value } of items) {
      const start = p.offset - lineStart - segmentStart;
      if (start < 0 || start >= segment.length) continue;
      out += segment.slice(at, start) + quote(value);
      at = p.endOffset - lineStart - segmentStart;
    }
    return out + segment.slice(at);
  };
  if (opener === '"') return substitute(line, 0, (v) => JSON.stringify(v).slice(1, -1));
  if (opener === "'") return substitute(line, 0, (v) => v.replace(/'/g, "''"));
  if (opener === '[') return substitute(line, 0, (v) => JSON.stringify(v));
  // A plain scalar ends at a comment (" #") or the line's end: the whole of it becomes one quoted scalar.
  const comment = line.slice(valueStart).search(/[ \t]#/);
  const valueEnd = comment < 0 ? line.trimEnd().length : valueStart + comment;
  const scalar = line.slice(valueStart, valueEnd);
  return line.slice(0, valueStart) + JSON.stringify(substitute(scalar, valueStart, (v) => v)) + line.slice(valueEnd);
}

/** Inside a Markdown link or image destination `](…` on this line, before `offset`? */
function inLinkDestination(text: string, lineStart: number, offset: number): boolean {
  const before = text.slice(lineStart, offset);
  return before.lastIndexOf('](') > before.lastIndexOf(')');
}

/**
 * The row's draft text, or the row's problems (a placeholder whose column is missing or empty
 * in this row and has no fallback). `format` is the draft's: Markdown bodies get markers.
 */
export function renderRow(template: MergeTemplate, row: MergeRow, format: DraftSource['format']): RenderedRow {
  const problems: DataProblem[] = [];
  const values = new Map<Placeholder, string>();
  for (const p of template.placeholders) {
    const value = valueFor(p, row);
    if (value === undefined) {
      if (!problems.some((q) => q.column === p.name)) {
        problems.push({ row: row.number, column: p.name, severity: 'error', text: localized('no value, and the placeholder gives no fallback (such as {0})', `{{ ${p.name} | "…" }}`) });
      }
    } else {
      values.set(p, value);
    }
  }
  if (problems.length > 0) return { ok: false, row: row.number, problems };
  const { text } = template;
  const bodyValues: string[] = [];
  let out = '';
  let at = 0;
  const placeholders = template.placeholders;
  for (let i = 0; i < placeholders.length; ) {
    const p = placeholders[i] as Placeholder;
    const bounds = lineBounds(text, p.offset);
    if (p.part === 'front-matter') {
      const onLine: Array<{ p: Placeholder; value: string }> = [];
      while (i < placeholders.length && (placeholders[i] as Placeholder).offset < bounds.end) {
        const q = placeholders[i] as Placeholder;
        onLine.push({ p: q, value: values.get(q) ?? '' });
        i++;
      }
      out += text.slice(at, bounds.start) + frontMatterLine(text.slice(bounds.start, bounds.end), bounds.start, onLine);
      at = bounds.end;
      continue;
    }
    const value = values.get(p) ?? '';
    let inserted: string;
    if (format !== 'markdown') inserted = value;
    else if (inLinkDestination(text, bounds.start, p.offset)) inserted = encodeURI(value);
    else {
      inserted = `${MARK_OPEN}${bodyValues.length}${MARK_CLOSE}`;
      bodyValues.push(value);
    }
    out += text.slice(at, p.offset) + inserted;
    at = p.endOffset;
    i++;
  }
  return { ok: true, row: row.number, text: out + text.slice(at), bodyValues };
}

function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/**
 * The HTML of the last body rendered with markers. Rows differ only in their values, which are
 * markers until after rendering, so rows with the same marked body (and direction, and no inline
 * image, whose Content-IDs differ per message) share one rendering: a merge renders its Markdown
 * once, not once per row.
 */
export class MarkedHtmlCache {
  private key: string | undefined;
  private html: Promise<string> | undefined;

  get(key: string, render: () => Promise<string>): Promise<string> {
    if (this.key !== key || this.html === undefined) {
      this.key = key;
      this.html = render();
      // A failed rendering is not kept.
      this.html.catch(() => {
        if (this.key === key) this.key = undefined;
      });
    }
    return this.html;
  }
}

/**
 * A row's check: what CheckedRow says, and for a row that passed, its draft before the body
 * values were put back (their markers still in place) with those values — what the plan keeps
 * for the send (checked-rows.ts), which puts them back with `withValues` when the row's turn comes.
 */
export interface RowCheck extends CheckedRow {
  readonly marked?: { readonly checked: CheckedDraft; readonly values: readonly string[] } | undefined;
}

/** Puts the body values back: literal text in the text part, escaped text in the HTML. */
export function withValues(checked: CheckedDraft, values: readonly string[], cache: MarkedHtmlCache | undefined): CheckedDraft {
  if (values.length === 0 && cache === undefined) return checked;
  const plain = (text: string): string => text.replace(MARKER, (whole, index: string) => values[Number(index)] ?? whole);
  const html = (text: string): string =>
    text
      .replace(MARKER, (whole, index: string) => {
        const value = values[Number(index)];
        return value === undefined ? whole : escapeHtml(value).replace(/\r\n|\r|\n/g, '<br>');
      })
      .replace(ENCODED_MARKER, (whole, index: string) => {
        const value = values[Number(index)];
        return value === undefined ? whole : escapeHtml(encodeURI(value));
      });
  const markdown = checked.markdown;
  const restored: PreparedMarkdown | undefined =
    markdown === undefined
      ? undefined
      : {
          inlineImages: markdown.inlineImages,
          problems: markdown.problems,
          text: plain(markdown.text),
          renderHtml: async (contentId) => {
            const marked =
              cache === undefined || markdown.inlineImages.length > 0
                ? markdown.renderHtml(contentId)
                : cache.get(`${checked.draft.dir ?? ''}\u0000${checked.draft.body}`, () => markdown.renderHtml(contentId));
            return html(await marked);
          },
        };
  return { draft: { ...checked.draft, body: plain(checked.draft.body) }, markdown: restored, warnings: checked.warnings };
}

function recipientsOf(checked: CheckedDraft): string[] {
  const { to, cc, bcc } = checked.draft;
  return [...to, ...cc, ...bcc].map((a) => a.address.toLowerCase());
}

/**
 * What one row's check can lend the next: the body's Markdown checked once (its images, its
 * parse) and its HTML rendered once. Rows differ only in their values, which stand in the body
 * as markers until after rendering, so unless a value sits in a link or image destination the
 * body of every row is the same text: it is checked and rendered for the first row and reused.
 * The front matter (addresses) is still checked for every row; a constant `attach:` only with
 * the first row that passes (constant-attach.ts).
 */
export class RowReuse {
  readonly html = new MarkedHtmlCache();
  body: { readonly key: string; readonly markdown: PreparedMarkdown } | undefined;
  /** The first row's checked attachments, when `attach:` holds no placeholder (constant-attach.ts). */
  attachments: readonly DraftAttachment[] | undefined;
  /** Those attachments' parts, made (and small files read) once for every row's message. */
  private readonly attachmentParts = new AttachmentCache();
  private reduced: Promise<MergeTemplate | undefined> | undefined;

  /**
   * The cache to compose a row's message with, when `attach:` names the same files for every row
   * (keyed by real path, so a row that checked its own copy of those files shares them too).
   */
  async attachmentCacheFor(template: MergeTemplate): Promise<AttachmentCache | undefined> {
    return (await this.withoutAttach(template)) === undefined ? undefined : this.attachmentParts;
  }

  /** The template with a constant `attach:` blanked out, or undefined (constant-attach.ts). Worked out once. */
  withoutAttach(template: MergeTemplate): Promise<MergeTemplate | undefined> {
    this.reduced ??= withoutConstantAttach(template);
    return this.reduced;
  }
}

function bodyKey(draft: CheckedDraft['draft']): string {
  return `${draft.dir ?? ''}\u0000${draft.bodyStartLine}\u0000${draft.body}`;
}

function rowProblems(row: number, problems: readonly DraftProblem[]): MergeProblem[] {
  return sortProblems(problems).map((problem): MergeProblem => ({ where: 'row', row, problem }));
}

/**
 * One row rendered and checked with the ordinary `checkDraft` (addresses, attachments, images):
 * the CheckedDraft is ready for `composeDraft`. Problems of the rendered draft are the row's.
 * With `reuse`, a body already checked for an earlier row is not checked again (RowReuse).
 */
export async function checkRow(template: MergeTemplate, row: MergeRow, source: DraftSource, reuse?: RowReuse): Promise<RowCheck> {
  // After the first row, a constant `attach:` is not checked again: its files come from that row.
  const attachments = reuse?.attachments;
  const reduced = attachments === undefined ? undefined : await reuse?.withoutAttach(template);
  const withAttachments = (draft: Draft): Draft => (reduced === undefined || attachments === undefined ? draft : { ...draft, attachments });
  const rendered = renderRow(reduced ?? template, row, source.format);
  if (!rendered.ok) {
    return { row: row.number, checked: undefined, problems: rendered.problems.map((problem): MergeProblem => ({ where: 'data', problem })), recipients: [] };
  }
  const known = reuse?.body;
  if (known !== undefined && !bodyCheckDependsOnRow(template)) {
    const parsed = await parseDraft(rendered.text, {
      format: source.format,
      baseDir: source.baseDir,
      homeDir: source.homeDir ?? homedir(),
      root: source.root ?? source.baseDir,
      untrusted: source.untrusted ?? false,
    });
    const draft = parsed.draft;
    if (draft === undefined) return { row: row.number, checked: undefined, problems: rowProblems(row.number, parsed.problems), recipients: [] };
    if (bodyKey(draft) === known.key) {
      const warnings = sortProblems([...parsed.problems, ...known.markdown.problems]);
      const checked: CheckedDraft = { draft: withAttachments(draft), markdown: known.markdown, warnings };
      return { row: row.number, checked: withValues(checked, rendered.bodyValues, reuse?.html), problems: rowProblems(row.number, warnings), recipients: recipientsOf(checked), marked: { checked, values: rendered.bodyValues } };
    }
  }
  const result = await checkDraft({ ...source, text: rendered.text });
  const problems = result.problems.map((problem: DraftProblem): MergeProblem => ({ where: 'row', row: row.number, problem }));
  if (result.checked === undefined) return { row: row.number, checked: undefined, problems, recipients: [] };
  if (reuse !== undefined && result.checked.markdown !== undefined) reuse.body = { key: bodyKey(result.checked.draft), markdown: result.checked.markdown };
  if (reuse !== undefined && reduced === undefined && (await reuse.withoutAttach(template)) !== undefined) reuse.attachments ??= result.checked.draft.attachments;
  const checked: CheckedDraft = { ...result.checked, draft: withAttachments(result.checked.draft) };
  return { row: row.number, checked: withValues(checked, rendered.bodyValues, reuse?.html), problems, recipients: recipientsOf(checked), marked: { checked, values: rendered.bodyValues } };
}

/**
 * Whether a row's values can change what the body check finds: only a value inside a link or
 * image destination can (a per-row image path); elsewhere a body value is an opaque marker.
 */
export function bodyCheckDependsOnRow(template: MergeTemplate): boolean {
  return template.placeholders.some((p) => p.part === 'body' && inLinkDestination(template.text, lineBounds(template.text, p.offset).start, p.offset));
}
