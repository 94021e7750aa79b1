/**
 * The results of a merge run, one per row, kept until the run's summary and report. A run of
 * 10,000 rows keeps 10,000 of them, so they are not kept as objects: each result's text (the
 * recipient, Message-ID, reply, file) is appended as UTF-8 to a buffer outside the JavaScript
 * heap, and the RowResult objects are made again only when the summary's `results` is read, at
 * the end. Kept as objects, every result was copied and then promoted by V8's young-generation
 * collections while the run went on — bytes that count towards growing the young generation
 * for good, and old-generation memory that grows with the row count.
 */
import type { RowResult, RowStatus } from './types';

const STATUSES: readonly RowStatus[] = ['written', 'sent', 'failed', 'invalid', 'already-sent', 'unknown', 'not-attempted'];
/** The length written for a field that is undefined. */
const NONE = 0xffffffff;

export class RowResults {
  private bytes = Buffer.alloc(0);
  private used = 0;
  private rows = new Int32Array(0);
  private statuses = new Uint8Array(0);
  private count = 0;
  private readonly tally: Record<RowStatus, number> = { written: 0, sent: 0, failed: 0, invalid: 0, 'already-sent': 0, unknown: 0, 'not-attempted': 0 };

  get length(): number {
    return this.count;
  }

  push(result: RowResult): void {
    if (this.count === this.rows.length) {
      const capacity = Math.max(64, 2 * this.count);
      const rows = new Int32Array(capacity);
      rows.set(this.rows);
      this.rows = rows;
      const statuses = new Uint8Array(capacity);
      statuses.set(this.statuses);
      this.statuses = statuses;
    }
    this.rows[this.count] = result.row;
    this.statuses[this.count] = STATUSES.indexOf(result.status);
    this.count++;
    this.tally[result.status]++;
    this.write(result.recipient);
    this.write(result.messageId);
    this.write(result.detail);
    this.write(result.file);
  }

  /** How many rows ended in each status. */
  counts(): Record<RowStatus, number> {
    return { ...this.tally };
  }

  /** Every result, in the order pushed (made anew from the buffer). */
  list(): RowResult[] {
    const list: RowResult[] = [];
    let at = 0;
    const read = (): string | undefined => {
      const length = this.bytes.readUInt32LE(at);
      at += 4;
      if (length === NONE) return undefined;
      const text = this.bytes.toString('utf8', at, at + length);
      at += length;
      return text;
    };
    for (let i = 0; i < this.count; i++) {
      const recipient = read() ?? '';
      const messageId = read();
      const detail = read();
      const file = read();
      list.push({ row: this.rows[i] ?? 0, status: STATUSES[this.statuses[i] ?? 0] ?? 'failed', recipient, messageId, detail, file });
    }
    return list;
  }

  private write(text: string | undefined): void {
    const length = text === undefined ? 0 : Buffer.byteLength(text, 'utf8');
    this.reserve(4 + length);
    this.bytes.writeUInt32LE(text === undefined ? NONE : length, this.used);
    this.used += 4;
    if (text !== undefined) this.used += this.bytes.write(text, this.used, 'utf8');
  }

  private reserve(more: number): void {
    if (this.used + more <= this.bytes.length) return;
    const grown = Buffer.allocUnsafeSlow(Math.max(2 * this.bytes.length, this.used + more, 16 * 1024));
    this.bytes.copy(grown, 0, 0, this.used);
    this.bytes = grown;
  }
}
