/**
 * A merge draft's `attach:` when it holds no placeholder: every row names the same files, so
 * they are checked on disk once, with the first row, not once per row (each check follows links,
 * stats and opens every file: several file-system calls a row, twice — the plan and the send).
 *
 * For the rows after the first, the `attach:` key and its value are blanked out of the template
 * (their lines left empty, so every other line keeps its number and a problem keeps its
 * `FILE:LINE:COL`), and the first row's checked attachments are put into each row's draft. The
 * blanking is done only when the YAML says exactly where the key's value ends: the front matter
 * is parsed with each placeholder masked by letters of the same length (offsets unchanged),
 * and the template without the key must parse to the same keys less `attach`. Otherwise the
 * template is used as it is and every row checks its own files.
 */
import { splitDraft } from '../draft/front-matter';
import { loadYaml } from '../lazy';
import { scanTemplate } from './template';
import type { MergeTemplate } from './types';

/** The front matter with every placeholder replaced by as many `x` (same offsets, no YAML meaning). */
function masked(yaml: string, yamlStart: number, template: MergeTemplate): string {
  let out = yaml;
  for (const p of template.placeholders) {
    if (p.part !== 'front-matter') continue;
    const start = p.offset - yamlStart;
    const end = p.endOffset - yamlStart;
    if (start < 0 || end > yaml.length) continue;
    out = out.slice(0, start) + 'x'.repeat(end - start) + out.slice(end);
  }
  return out;
}

interface TopLevel {
  readonly keys: readonly string[];
  /** Where the `attach` pair starts and its value ends (offsets in the YAML), when there is exactly one. */
  readonly attach: { readonly start: number; readonly end: number } | undefined;
}

async function topLevel(yaml: string): Promise<TopLevel | undefined> {
  const Y = await loadYaml();
  const doc = Y.parseDocument(yaml, { uniqueKeys: false, prettyErrors: false });
  if (doc.errors.length > 0 || !Y.isMap(doc.contents)) return undefined;
  const keys: string[] = [];
  const attach: Array<{ start: number; end: number }> = [];
  for (const pair of doc.contents.items) {
    if (!Y.isScalar(pair.key) || typeof pair.key.value !== 'string' || pair.key.range == null) return undefined;
    const name = pair.key.value.trim().toLowerCase();
    keys.push(name);
    if (name !== 'attach') continue;
    const value = pair.value;
    const end = Y.isNode(value) && value.range != null ? value.range[1] : pair.key.range[1];
    attach.push({ start: pair.key.range[0], end });
  }
  return { keys, attach: attach.length === 1 ? attach[0] : undefined };
}

/**
 * The template without its `attach:` (lines blanked), or undefined when the draft has no
 * `attach:`, when a placeholder stands in it, or when its extent is not certain.
 */
export async function withoutConstantAttach(template: MergeTemplate): Promise<MergeTemplate | undefined> {
  const { text } = template;
  const bom = text.startsWith('\uFEFF') ? 1 : 0;
  const split = splitDraft(text.slice(bom));
  if (split.kind !== 'ok') return undefined;
  const yamlStart = bom + split.yamlStart;
  const yaml = masked(split.yaml, yamlStart, template);
  const before = await topLevel(yaml);
  const attach = before?.attach;
  if (before === undefined || attach === undefined) return undefined;
  // Whole lines: from the start of the key's line to the end of the line where the value ends.
  const lineStart = yaml.lastIndexOf('\n', attach.start - 1) + 1;
  if (yaml.slice(lineStart, attach.start).trim() !== '') return undefined;
  const newline = yaml.indexOf('\n', Math.max(attach.end - 1, attach.start));
  const lineEnd = newline < 0 ? yaml.length : newline;
  const start = yamlStart + lineStart;
  const end = yamlStart + lineEnd;
  if (template.placeholders.some((p) => p.offset < end && p.endOffset > start)) return undefined;
  const blank = (s: string): string => s.replace(/[^\r\n]/g, '');
  const after = await topLevel(yaml.slice(0, lineStart) + blank(yaml.slice(lineStart, lineEnd)) + yaml.slice(lineEnd));
  const expected = before.keys.filter((k) => k !== 'attach');
  if (after === undefined || after.keys.length !== expected.length || after.keys.some((k, i) => k !== expected[i])) return undefined;
  return scanTemplate(text.slice(0, start) + blank(text.slice(start, end)) + text.slice(end));
}
