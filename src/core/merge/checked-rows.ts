/**
 * Rows the plan has checked, kept for the send so that it does not check them a second time
 * (render the row, parse its front matter, read every field: about a third of the time a row
 * takes to send). Held within a memory budget, so a long list costs no more than a short one:
 * rows beyond it are checked again when their turn comes, as before. Each row is handed out
 * once and then dropped.
 *
 * What is kept is a copy of the row's data (its draft with the body values still as markers,
 * its warnings, its values and recipients), not the check's own objects: those come from the
 * parser's hot allocation sites, and if many of them lived on, V8 would start allocating every
 * later object of those sites straight into the old generation (allocation-site pretenuring),
 * where thousands of rows of garbage would pile up until a full collection — peak memory
 * growing with the list (measured: old space after planning 10,000 rows 41.7 MB instead of
 * 18.5). The copy is made here, so only this file's sites hold long-lived objects. Strings are
 * shared (V8 does not pretenure them). The Markdown, the same for every row, is shared.
 *
 * Reusing the plan's check is sound because nothing the check looked at can differ by the
 * send: the same template, the same row values, the same folder rules. Files are the one thing
 * that can change in between, and the composer stats every file again and the stream checks
 * its size, so a file removed or changed since the plan still fails its row alone.
 */
import type { CheckedDraft } from '../compose-draft';
import type { PreparedMarkdown } from '../markdown/types';
import { withValues } from './render';
import type { MarkedHtmlCache, RowCheck } from './render';
import type { CheckedRow } from './types';

/** What the kept rows may hold at most (estimated; see `costOf`). */
const BUDGET_BYTES = 2 * 1024 * 1024;
/** The objects of one kept row besides its text: addresses, fields, arrays. */
const OVERHEAD_BYTES = 1024;

interface Kept {
  readonly draft: CheckedDraft['draft'];
  readonly warnings: CheckedDraft['warnings'];
  readonly values: readonly string[];
  readonly recipients: readonly string[];
  readonly markdown: PreparedMarkdown | undefined;
}

/** Two bytes a character (V8 strings may be UTF-16) for the body, subject and values, plus the objects around them. */
function costOf(kept: Pick<Kept, 'draft' | 'values'>): number {
  const valueCharacters = kept.values.reduce((sum, value) => sum + value.length, 0);
  return 2 * (kept.draft.body.length + kept.draft.subject.length + valueCharacters) + OVERHEAD_BYTES;
}

/** A copy of plain data (objects, arrays, primitives) made of new objects, whatever fields it has. */
function copyOf<T>(value: T): T {
  if (Array.isArray(value)) return value.map(copyOf) as T;
  if (value === null || typeof value !== 'object') return value;
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) copy[key] = copyOf(field);
  return copy as T;
}

export class CheckedRows {
  private readonly rows = new Map<number, Kept>();
  private held = 0;

  /** `html`: the plan's cache of the body rendered with markers, shared by every row (render.ts). */
  constructor(private readonly html: MarkedHtmlCache) {}

  /** Keeps a copy of a row that passed its check, if the budget allows. */
  keep(row: number, check: RowCheck): void {
    const marked = check.marked;
    if (check.checked === undefined || marked === undefined) return;
    const cost = costOf({ draft: marked.checked.draft, values: marked.values });
    if (this.held + cost > BUDGET_BYTES) return;
    this.held += cost;
    this.rows.set(row, {
      draft: copyOf(marked.checked.draft),
      warnings: copyOf(marked.checked.warnings),
      values: [...marked.values],
      recipients: [...check.recipients],
      markdown: marked.checked.markdown,
    });
  }

  /** The row's check from the plan, once; undefined when it was not kept. */
  take(row: number): CheckedRow | undefined {
    const kept = this.rows.get(row);
    if (kept === undefined) return undefined;
    this.rows.delete(row);
    this.held -= costOf(kept);
    const checked = withValues({ draft: kept.draft, markdown: kept.markdown, warnings: kept.warnings }, kept.values, this.html);
    return { row, checked, problems: [], recipients: kept.recipients };
  }
}
