/**
 * Runs a checked merge plan: one row at a time, each rendered, checked and composed only when
 * its turn comes (nothing is held for the rows after it, so memory does not grow with the list).
 *
 * - Dry run: one `.eml` per row into the out folder, named by row number and recipient.
 * - Send: one SMTP connection for the run (connection.ts), at most `ratePerMinute` messages a
 *   minute, and the journal (journal.ts): `started` before DATA (and on disk before the final
 *   dot), `sent` after the 250, `failed` with the reply. Rows the journal already has as sent
 *   are skipped; rows left `started` are "unknown" and not sent again unless `resendUnknown`;
 *   failed rows are tried again only when their failure was transient (4xx). A permanent
 *   refusal (5xx, a bad address) fails that row alone; a quota reply stops the run (quota.ts).
 *   A 421 or a dropped connection before the message was complete reopens the connection and
 *   tries the row once more; a drop after the final dot leaves the row unknown (it may have
 *   been delivered).
 */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { composeDraft, resolveSender } from '../compose-draft';
import type { CheckedDraft, DraftSource } from '../compose-draft';
import { replyText } from '../explain';
import { ComposeError } from '../mime/errors';
import type { ComposedMessage } from '../mime/types';
import { isSmtpError } from '../smtp/errors';
import type { AnySmtpError } from '../smtp/errors';
import { localized, renderText } from '../text';
import { MergeConnection } from './connection';
import { gatedBody, readAll } from './gated-body';
import { JournalWriter, readJournal } from './journal';
import type { JournalState } from './journal';
import { isQuotaReply, replyOf } from './quota';
import { checkRow, RowReuse } from './render';
import { RowResults } from './results';
import type { JournalRecord, MergeCallbacks, MergeRow, MergeRunOptions, MergeSummary, RowResult, RowStatus } from './types';

/** A file name for a row's .eml: its number, then the recipient with anything unsafe made `_`. */
export function rowFileName(row: number, width: number, recipient: string): string {
  const safe = recipient.replace(/[^\p{L}\p{N}@._+-]/gu, '_').replace(/^\.+/, '_').slice(0, 80);
  return `${String(row).padStart(width, '0')}-${safe === '' ? 'row' : safe}.eml`;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (ms <= 0 || signal?.aborted === true) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Spaces message starts `60 / rate` seconds apart. */
class Pacer {
  private next = 0;
  constructor(private readonly perMinute: number | undefined) {}
  async wait(signal: AbortSignal | undefined): Promise<void> {
    if (this.perMinute === undefined) return;
    const now = Date.now();
    await sleep(this.next - now, signal);
    this.next = Math.max(now, this.next) + 60_000 / this.perMinute;
  }
}

function result(row: number, status: RowStatus, recipient: string, extra: Partial<Pick<RowResult, 'messageId' | 'detail' | 'file'>> = {}): RowResult {
  return { row, status, recipient, messageId: extra.messageId, detail: extra.detail, file: extra.file };
}

function errorText(error: unknown): string {
  if (isSmtpError(error)) {
    const reply = replyOf(error);
    return reply === undefined ? renderText(error.text) : replyText(reply);
  }
  if (error instanceof Error && 'text' in error) return renderText((error as Error & { text: ReturnType<typeof localized> }).text);
  return error instanceof Error ? error.message : String(error);
}

/** What the journal says about a row before this run touches it, or undefined to go ahead. */
function fromJournal(record: JournalRecord | undefined, recipient: string, resendUnknown: boolean): RowResult | undefined {
  if (record === undefined) return undefined;
  if (record.state === 'sent') return result(record.row, 'already-sent', recipient, { messageId: record.messageId, detail: record.reply });
  if (record.state === 'started') {
    return resendUnknown ? undefined : result(record.row, 'unknown', recipient, { messageId: record.messageId, detail: renderText(localized('started on {0}, no reply recorded: it may have been delivered', record.at)) });
  }
  return record.transient ? undefined : result(record.row, 'failed', recipient, { messageId: record.messageId, detail: record.reply });
}

/** A failure that a fresh connection may cure: 421, a dropped connection or a timeout, before the message was complete. */
function wantsReconnect(error: AnySmtpError): boolean {
  if (error.kind === 'reply') return error.reply.code === 421;
  return (error.kind === 'connection' || error.kind === 'timeout') && error.stage !== 'message';
}

/** The message may have been accepted: the connection went after the body was (being) written. */
function outcomeUnknown(error: AnySmtpError): boolean {
  return (error.kind === 'connection' || error.kind === 'timeout' || error.kind === 'protocol') && error.stage === 'message';
}

/** A row ready to go out, or its result when there is nothing to send. */
type Prepared =
  | RowResult
  | {
      readonly recipient: string;
      readonly message: ComposedMessage;
      readonly checked: CheckedDraft;
      readonly to: readonly string[];
      /** Send mode, a small message: its bytes, read while the row before was on the wire. */
      readonly bytes: Buffer | undefined;
    };

/**
 * Send mode reads a message up to this size into memory while the row before it is sent (one
 * row ahead, so memory stays flat): its attachments are read off the critical path, and a file
 * that cannot be read fails the row before anything is sent rather than in the middle of DATA
 * (which would leave the row's outcome unknown).
 */
const READ_AHEAD_BYTES = 256 * 1024;

class Runner {
  /** Kept compactly until the summary (results.ts). */
  private readonly results = new RowResults();
  private journal: JournalState = new Map();
  private writer: JournalWriter | undefined;
  private connection: MergeConnection | undefined;
  private readonly pacer: Pacer;
  /** The body checked and rendered once for all rows (render.ts): the plan's, when it lends it. */
  private readonly reuse: RowReuse;
  /** The draft's source with the template's text: one object for every row's check. */
  private readonly draftSource: DraftSource;
  private stoppedByQuota: string | undefined;
  private readonly width: number;

  constructor(
    private readonly options: MergeRunOptions,
    private readonly callbacks: MergeCallbacks,
  ) {
    this.pacer = new Pacer(options.ratePerMinute);
    this.draftSource = { ...options.source, text: options.plan.template.text };
    this.reuse = options.plan.checkedRows?.reuse ?? new RowReuse();
    this.width = Math.max(3, String(options.plan.rows.at(-1)?.number ?? 0).length);
  }

  async run(): Promise<MergeSummary> {
    const { options } = this;
    if (options.mode === 'send') {
      if (options.journalPath === undefined || options.session === undefined) throw new Error('runMerge: send needs a journal and a session');
      this.journal = await readJournal(options.journalPath);
      this.connection = new MergeConnection(options.session);
    } else {
      if (options.outDir === undefined) throw new Error('runMerge: a dry run needs an out folder');
      await mkdir(options.outDir, { recursive: true });
    }
    const rows = options.plan.rows;
    try {
      // The next row is rendered, checked and composed while this one is on the wire: one row
      // ahead, never more, so memory stays flat.
      let ahead: Promise<Prepared> | undefined;
      for (const [index, row] of rows.entries()) {
        const stopped = this.stoppedByQuota !== undefined || options.signal?.aborted === true;
        this.callbacks.onRowStart?.(index + 1, rows.length, row);
        const prepared = ahead ?? this.prepare(row);
        const next = rows[index + 1];
        ahead = next === undefined || stopped ? undefined : this.prepare(next);
        ahead?.catch(() => undefined);
        const outcome = stopped ? result(row.number, 'not-attempted', this.recipientGuess(row)) : await this.finish(row, await prepared);
        this.results.push(outcome);
        this.callbacks.onRow?.(index + 1, rows.length, outcome);
      }
    } finally {
      await this.connection?.close();
      await this.writer?.close();
    }
    return this.summary();
  }

  /** The row's first error found by the plan, one line. */
  private planProblem(row: number): string | undefined {
    for (const p of this.options.plan.problems) {
      if (p.problem.severity !== 'error') continue;
      if (p.where === 'row' && p.row === row) return p.problem.message;
      if (p.where === 'data' && p.problem.row === row) return `${p.problem.column === undefined ? '' : `${p.problem.column}: `}${renderText(p.problem.text)}`;
    }
    return undefined;
  }

  /** The first value that looks like an address, for rows that never got rendered. */
  private recipientGuess(row: MergeRow): string {
    return [...row.values.values()].find((v) => /^[^\s@]+@[^\s@]+$/.test(v.trim()))?.trim() ?? '';
  }

  /** Everything before the row's message goes out: the result when there is nothing to send. */
  private async prepare(row: MergeRow): Promise<Prepared> {
    const { options } = this;
    if (options.plan.badRows.has(row.number)) return result(row.number, 'invalid', this.recipientGuess(row), { detail: this.planProblem(row.number) });
    const recorded = fromJournal(this.journal.get(row.number), this.recipientGuess(row), options.resendUnknown);
    if (recorded !== undefined) return recorded;
    // The plan's own check when it kept it (checked-rows.ts), else the row is checked again now.
    const checked = options.plan.checkedRows?.take(row.number) ?? (await checkRow(options.plan.template, row, this.draftSource, this.reuse));
    if (checked.checked === undefined) {
      // Something changed since the plan (a file removed): this row fails alone.
      const first = checked.problems[0];
      const detail = first === undefined ? '' : first.where === 'data' ? renderText(first.problem.text) : first.problem.message;
      return result(row.number, 'invalid', this.recipientGuess(row), { detail });
    }
    const draft = checked.checked.draft;
    // Results are kept as text outside the heap (results.ts), so the address, a slice of the
    // row's whole rendered draft, holds nothing once the row is done.
    const recipient = draft.to[0]?.address ?? draft.cc[0]?.address ?? draft.bcc[0]?.address ?? '';
    const sender = resolveSender(draft, options.senderProfile).address;
    let message: ComposedMessage;
    try {
      message = await composeDraft(checked.checked, options.identity(row, options.plan.template.text, sender), options.senderProfile, await this.reuse.attachmentCacheFor(options.plan.template));
    } catch (error) {
      // A file removed or changed since it was checked: this row fails alone.
      if (!(error instanceof ComposeError)) throw error;
      return result(row.number, 'invalid', recipient, { detail: errorText(error) });
    }
    let bytes: Buffer | undefined;
    if (options.mode === 'send' && message.size <= READ_AHEAD_BYTES) {
      try {
        bytes = message.inMemory() ?? (await readAll(message.stream()));
      } catch (error) {
        return result(row.number, 'invalid', recipient, { messageId: message.messageId, detail: errorText(error) });
      }
    }
    return { recipient, message, checked: checked.checked, to: checked.recipients, bytes };
  }

  private async finish(row: MergeRow, prepared: Prepared): Promise<RowResult> {
    if ('status' in prepared) return prepared;
    if (this.options.mode === 'dry-run') return this.write(row, prepared.recipient, prepared.message);
    return this.send(row, prepared.recipient, prepared.message, prepared.checked, prepared.to, prepared.bytes);
  }

  private async write(row: MergeRow, recipient: string, message: ComposedMessage): Promise<RowResult> {
    const file = join(this.options.outDir ?? '.', rowFileName(row.number, this.width, recipient));
    await pipeline(message.stream(), createWriteStream(file));
    return result(row.number, 'written', recipient, { messageId: message.messageId, file });
  }

  /** Appends one record (write(2): safe from a killed process on return); returns the writer for `durable()`. */
  private async record(record: JournalRecord): Promise<JournalWriter> {
    if (this.writer === undefined) this.writer = await JournalWriter.open(this.options.journalPath ?? '');
    this.writer.append(record);
    return this.writer;
  }

  private async send(row: MergeRow, recipient: string, message: ComposedMessage, checked: CheckedDraft, to: readonly string[], bytes: Buffer | undefined): Promise<RowResult> {
    const { options } = this;
    const connection = this.connection as MergeConnection;
    await this.pacer.wait(options.signal);
    // Each record is written out field by field: in V8 11.3 an object spread and then given a
    // property its source lacks (`{ ...base, state }`) is promoted out of the young generation at
    // every collection, and a merge makes three a row (measured: 81 → 27 KB promoted per scavenge).
    const messageId = message.messageId;
    for (let attempt = 1; ; attempt++) {
      const client = await connection.client();
      const writer = await this.record({ row: row.number, state: 'started', at: new Date().toISOString(), to, messageId });
      // The record is written; its fdatasync runs while the envelope and body are on the wire,
      // and the end-of-data dot waits for it (journal.ts, gated-body.ts).
      const durable = writer.durable();
      durable.catch(() => undefined);
      try {
        const sent = await client.send(
          { from: message.envelope.from, to: message.envelope.to, size: message.size, eightBit: message.envelope.eightBit, smtpUtf8: message.envelope.smtpUtf8 },
          gatedBody(bytes ?? message.stream(), durable),
          options.signal === undefined ? {} : { signal: options.signal },
        );
        const reply = replyText(sent.reply);
        await this.record({ row: row.number, state: 'sent', at: new Date().toISOString(), to, messageId, reply });
        await this.callbacks.afterSend?.(message, checked, row);
        return result(row.number, 'sent', recipient, { messageId: message.messageId, detail: reply });
      } catch (error) {
        if (!isSmtpError(error)) throw error;
        const detail = errorText(error);
        if (outcomeUnknown(error)) {
          await connection.close();
          return result(row.number, 'unknown', recipient, { messageId: message.messageId, detail });
        }
        if (wantsReconnect(error)) {
          await connection.close();
          if (attempt === 1) {
            this.callbacks.onNotice?.(localized('The connection was lost ({0}); reconnecting.', detail));
            continue;
          }
        }
        // Nothing was delivered (the refusal came before or instead of the 250).
        const reply = replyOf(error);
        const quota = reply !== undefined && isQuotaReply(reply);
        // A quota refusal is a 5xx, but the row is worth trying again once the limit resets.
        await this.record({ row: row.number, state: 'failed', at: new Date().toISOString(), to, messageId, reply: detail, transient: error.transient || quota });
        if (quota) this.stoppedByQuota = detail;
        else if (error.kind === 'auth' || error.kind === 'tls' || error.kind === 'unsupported' || error.kind === 'aborted') throw error;
        return result(row.number, 'failed', recipient, { messageId: message.messageId, detail });
      }
    }
  }

  private summary(): MergeSummary {
    const counts = this.results.counts();
    const bad = counts.failed + counts.invalid + counts.unknown + counts['not-attempted'];
    const kept = this.results;
    let results: readonly RowResult[] | undefined;
    return {
      // Made from the compact store when first read (the report, the summary line), not before.
      get results(): readonly RowResult[] {
        results ??= kept.list();
        return results;
      },
      counts,
      stoppedByQuota: this.stoppedByQuota,
      cancelled: this.options.signal?.aborted === true,
      exitCode: bad === 0 ? 0 : 1,
    };
  }
}

/** Runs the plan (which must not be `fatal`). Throws only for what stops the whole run: an authentication, TLS or setup failure. */
export async function runMerge(options: MergeRunOptions, callbacks: MergeCallbacks = {}): Promise<MergeSummary> {
  if (options.plan.fatal) throw new Error('runMerge: the plan has errors; nothing may run');
  return new Runner(options, callbacks).run();
}
