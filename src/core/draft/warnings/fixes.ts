/**
 * The text edits behind the editor's quick fixes, pure so each is unit tested: add a subject,
 * set `profile:`, mend an address with a stray character. (Adding a file to `attach:` has its
 * one home in core/authoring/attach-edit.ts, shared with drag and drop.) Positions
 * are 0-based lines and columns, as editors count; new lines use the draft's own line break.
 */
import { yamlScalar } from '../../authoring/attach-edit';
import { parseAddressList } from '../address-list';
import type { DraftLines } from './lines';
import { keyLine } from './lines';

export interface LineEdit {
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly newText: string;
}

function insertLine(line: number, text: string, eol: string): LineEdit {
  return { line, column: 0, endLine: line, endColumn: 0, newText: text + eol };
}

/** Where a new key goes: just before the closing fence, so the keys already there keep their order. */
function newKeyLine(lines: DraftLines): number | undefined {
  return lines.closingFence;
}

/** `subject: ` before the closing fence; undefined when the front matter is not closed. */
export function insertSubject(lines: DraftLines, eol: string): LineEdit | undefined {
  const at = newKeyLine(lines);
  return at === undefined ? undefined : insertLine(at, 'subject: ', eol);
}

/** `profile: NAME`, replacing the value there or added as a new key. */
export function setProfile(lines: DraftLines, name: string, eol: string): LineEdit | undefined {
  const existing = keyLine(lines, 'profile');
  if (existing !== undefined) {
    const content = lines.lines[existing.line] ?? '';
    const start = existing.value === '' ? content.length : existing.valueStart;
    const gap = existing.value === '' && !content.endsWith(' ') ? ' ' : '';
    return { line: existing.line, column: start, endLine: existing.line, endColumn: existing.valueEnd === existing.valueStart ? content.length : existing.valueEnd, newText: gap + yamlScalar(name) };
  }
  const at = newKeyLine(lines);
  return at === undefined ? undefined : insertLine(at, `profile: ${yamlScalar(name)}`, eol);
}

/**
 * An address with a stray character around it — `bob@example.com>`, `<bob@example.com`,
 * `'bob@example.com'`, `bob@example.com.` or a space inside — mended to the one address it
 * plainly is; `Bob bob@example.com` becomes `Bob <bob@example.com>`. Undefined when no single
 * valid address comes out, or nothing changes.
 */
export function cleanAddress(written: string): string | undefined {
  const trimmed = written.trim();
  const candidates: string[] = [];
  const stripped = trimmed.replace(/^[<'"`,;:\s]+|[>'"`,;:.\s]+$/g, '');
  if (!/[<>\s]/.test(stripped)) candidates.push(stripped);
  const words = stripped.split(/\s+/);
  const last = words[words.length - 1] ?? '';
  if (words.length > 1 && last.includes('@') && !/[<>]/.test(stripped)) candidates.push(`${words.slice(0, -1).join(' ')} <${last}>`);
  candidates.push(stripped.replace(/\s+/g, ''));
  for (const candidate of candidates) {
    if (candidate === trimmed || candidate === '') continue;
    const parsed = parseAddressList(candidate);
    if (parsed.errors.length === 0 && parsed.addresses.length === 1) return candidate;
  }
  return undefined;
}
