/**
 * Rows the plan has checked, kept for the send so that it does not check them a second time
 * (render the row, parse its front matter, read every field: about a third of the time a row
 * takes to send). Held within a memory budget, so a long list costs no more than a short one:
 * once the budget is spent, later rows are checked again when their turn comes, as before.
 * Each row is handed out once.
 *
 * What is kept is each row's data as JSON (its draft with the body values still as markers, its
 * warnings, its values and recipients) outside the JavaScript heap (off-heap-texts.ts), not the
 * check's objects. Objects kept alive while the plan runs on are copied at every young-generation
 * collection and then promoted; V8 grows the young generation for good once enough bytes have
 * survived, and pretenures the allocation sites whose objects tend to survive (the parser's, if
 * its own objects were kept) — either way peak memory grew with the list (measured at 10,000
 * rows: old space after the plan 41.7 MB with the parser's objects kept, the young generation
 * 16 → 32 MB with copies kept on the heap). The Markdown, the same for every row, is kept once.
 *
 * Reusing the plan's check is sound because nothing the check looked at can differ by the
 * send: the same template, the same row values, the same folder rules. Files are the one thing
 * that can change in between, and the composer stats every file again and the stream checks
 * its size, so a file removed or changed since the plan still fails its row alone.
 */
import type { CheckedDraft } from '../compose-draft';
import type { PreparedMarkdown } from '../markdown/types';
import { grownInt32, OffHeapTexts } from './off-heap-texts';
import { withValues } from './render';
import type { RowCheck, RowReuse } from './render';
import type { CheckedRow } from './types';

/** Bytes of JSON the kept rows may take at most. */
const BUDGET_BYTES = 2 * 1024 * 1024;

type Draft = CheckedDraft['draft'];

/** A kept row as JSON; the body and attachments are null when they are the shared ones. */
interface KeptRow {
  readonly draft: Omit<Draft, 'body' | 'attachments'> & { readonly body: string | null; readonly attachments: Draft['attachments'] | null };
  readonly warnings: CheckedDraft['warnings'];
  readonly values: readonly string[];
  readonly recipients: readonly string[];
}

export class CheckedRows {
  private readonly kept = new OffHeapTexts('utf8');
  /** The row number of each kept row, in the order kept (increasing; a row's index in `kept`). */
  private rows: Int32Array = new Int32Array(0);
  private full = false;
  /** The one Markdown every kept row shares (undefined for a plain-text draft), set by the first. */
  private markdown: PreparedMarkdown | undefined | null = null;
  /**
   * What most rows have in common, kept once and left out of each row's JSON: the body with its
   * markers (the same text in every row unless a value sits in a link) and a constant `attach:`.
   */
  private shared: Pick<Draft, 'body' | 'attachments'> | undefined;

  /**
   * `reuse`: what the plan's check lent from row to row (the body's Markdown checked and rendered
   * once, a constant `attach:`; render.ts). The send goes on with it, so a row beyond the budget
   * is checked the quick way too, never from scratch.
   */
  constructor(readonly reuse: RowReuse) {}

  /** Keeps a row that passed its check while the budget lasts; from the first row that does not fit, none. */
  keep(row: number, check: RowCheck): void {
    const marked = check.marked;
    if (this.full || check.checked === undefined || marked === undefined) return;
    this.markdown ??= marked.checked.markdown;
    // A body whose check depends on the row (a value in a link) has its own Markdown: not kept.
    if (marked.checked.markdown !== this.markdown) return;
    const draft = marked.checked.draft;
    this.shared ??= { body: draft.body, attachments: draft.attachments };
    const lean = { ...draft, body: draft.body === this.shared.body ? null : draft.body, attachments: draft.attachments === this.shared.attachments ? null : draft.attachments };
    const json = JSON.stringify({ draft: lean, warnings: marked.checked.warnings, values: marked.values, recipients: check.recipients } satisfies KeptRow);
    if (this.kept.byteLength + Buffer.byteLength(json, 'utf8') > BUDGET_BYTES) {
      this.full = true;
      return;
    }
    const index = this.kept.push(json);
    if (index >= this.rows.length) this.rows = grownInt32(this.rows, Math.max(256, 2 * index));
    this.rows[index] = row;
  }

  /** The row's check from the plan, once; undefined when it was not kept. */
  take(row: number): CheckedRow | undefined {
    const index = this.indexOf(row);
    const json = index < 0 ? undefined : this.kept.at(index);
    if (json === undefined) return undefined;
    this.kept.forget(index);
    const kept = JSON.parse(json) as KeptRow;
    const draft: Draft = { ...kept.draft, body: kept.draft.body ?? this.shared?.body ?? '', attachments: kept.draft.attachments ?? this.shared?.attachments ?? [] };
    const checked = withValues({ draft, markdown: this.markdown ?? undefined, warnings: kept.warnings }, kept.values, this.reuse.html);
    return { row, checked, problems: [], recipients: kept.recipients };
  }

  /** Where `row` was kept (rows are kept in increasing order), or -1. */
  private indexOf(row: number): number {
    let low = 0;
    let high = this.kept.count - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const at = this.rows[middle] ?? 0;
      if (at === row) return middle;
      if (at < row) low = middle + 1;
      else high = middle - 1;
    }
    return -1;
  }
}
