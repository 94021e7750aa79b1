/**
 * Rows the plan has checked, kept for the send so that it does not check them a second time
 * (render the row, parse its front matter, read every field: about a third of the time a row
 * takes to send). Held within a memory budget, so a long list costs no more than a short one:
 * rows beyond it are checked again when their turn comes, as before. Each row is handed out
 * once and then dropped.
 *
 * Reusing the plan's check is sound because nothing the check looked at can differ by the
 * send: the same template, the same row values, the same folder rules. Files are the one thing
 * that can change in between, and the composer stats every file again and the stream checks
 * its size, so a file removed or changed since the plan still fails its row alone.
 */
import type { CheckedDraft } from '../compose-draft';
import type { CheckedRow } from './types';

/** What the kept rows may hold at most (estimated; see `costOf`). */
const BUDGET_BYTES = 2 * 1024 * 1024;
/** The objects of one checked draft besides its text: addresses, fields, closures. */
const OVERHEAD_BYTES = 1024;

/** A kept row: its problems were reported by the plan and are not kept again. */
type Kept = CheckedRow & { readonly checked: CheckedDraft };

/** Two bytes a character (V8 strings may be UTF-16) for the body and subject, plus the objects around them. */
function costOf(checked: CheckedDraft): number {
  return 2 * (checked.draft.body.length + checked.draft.subject.length) + OVERHEAD_BYTES;
}

export class CheckedRows {
  private readonly rows = new Map<number, Kept>();
  private held = 0;

  /** Keeps a row that passed its check, if the budget allows. */
  keep(row: number, checked: CheckedRow): void {
    if (checked.checked === undefined) return;
    const cost = costOf(checked.checked);
    if (this.held + cost > BUDGET_BYTES) return;
    this.held += cost;
    this.rows.set(row, { row, checked: checked.checked, problems: [], recipients: checked.recipients });
  }

  /** The row's check from the plan, once; undefined when it was not kept. */
  take(row: number): Kept | undefined {
    const kept = this.rows.get(row);
    if (kept === undefined) return undefined;
    this.rows.delete(row);
    this.held -= costOf(kept.checked);
    return kept;
  }
}
