/**
 * The results of a merge run, one per row, kept until the run's summary and report. A run of
 * 10,000 rows keeps 10,000 of them, so they are not kept as objects: each result's texts (the
 * recipient, Message-ID, reply, file) go to an off-heap store (off-heap-texts.ts), and the
 * RowResult objects are made again only when the summary's `results` is read, at the end.
 */
import { grownInt32, OffHeapTexts } from './off-heap-texts';
import type { RowResult, RowStatus } from './types';

const STATUSES: readonly RowStatus[] = ['written', 'sent', 'failed', 'invalid', 'already-sent', 'unknown', 'not-attempted'];
/** Texts kept per result, in this order: recipient, Message-ID, detail, file. */
const TEXTS_PER_RESULT = 4;

export class RowResults {
  private readonly texts = new OffHeapTexts('utf8');
  private rows: Int32Array = new Int32Array(0);
  private statuses: Int32Array = new Int32Array(0);
  private count = 0;
  private readonly tally: Record<RowStatus, number> = { written: 0, sent: 0, failed: 0, invalid: 0, 'already-sent': 0, unknown: 0, 'not-attempted': 0 };

  get length(): number {
    return this.count;
  }

  push(result: RowResult): void {
    if (this.count === this.rows.length) {
      const capacity = Math.max(64, 2 * this.count);
      this.rows = grownInt32(this.rows, capacity);
      this.statuses = grownInt32(this.statuses, capacity);
    }
    this.rows[this.count] = result.row;
    this.statuses[this.count] = STATUSES.indexOf(result.status);
    this.count++;
    this.tally[result.status]++;
    this.texts.push(result.recipient);
    this.texts.push(result.messageId);
    this.texts.push(result.detail);
    this.texts.push(result.file);
  }

  /** How many rows ended in each status. */
  counts(): Record<RowStatus, number> {
    return { ...this.tally };
  }

  /** Every result, in the order pushed (made anew from the store). */
  list(): RowResult[] {
    const list: RowResult[] = [];
    for (let i = 0; i < this.count; i++) {
      const text = (k: number): string | undefined => this.texts.at(TEXTS_PER_RESULT * i + k);
      list.push({ row: this.rows[i] ?? 0, status: STATUSES[this.statuses[i] ?? 0] ?? 'failed', recipient: text(0) ?? '', messageId: text(1), detail: text(2), file: text(3) });
    }
    return list;
  }
}
