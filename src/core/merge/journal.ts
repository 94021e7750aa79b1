/**
 * The merge journal: one JSON object per line, appended as things happen, so a run killed at
 * any instant leaves a file that says what happened to every row it touched. For each row:
 * `started` before DATA, then `sent` after the server's 250 for the final dot, or `failed`
 * with the reply. A row whose last record is `started` may or may not have been delivered (the
 * process died between the final dot and the reply): its fate is unknown, and a re-run does not
 * send it again unless asked to.
 *
 * Durability, deliberately in two steps:
 * - Every record is written with one write(2) before `append` returns. From then on a killed
 *   process (SIGKILL, a crash, Ctrl+C) cannot lose it: the data is in the kernel's page cache,
 *   and only the machine going down (an OS crash, a power cut) could.
 * - Against that, `durable()` starts an fdatasync that covers every record written so far. The
 *   merge asks for it right after the `started` record and holds the message's end-of-data dot
 *   until it is done (run.ts): while MAIL, RCPT, DATA and the body are on the wire the disk
 *   syncs, and the server cannot accept the message before the record is on disk. So even a
 *   power cut never leaves a delivered row without its `started` record — it reads as unknown,
 *   never as unsent. Outcome records are synced by the next row's sync or by `close`: if the
 *   machine fails in between, the row reads as started, i.e. unknown and not sent again (the
 *   safe side).
 *
 * A torn last line (the process died mid-write) is ignored: its record was never complete.
 */
import { fdatasync, writeSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { errnoOf, isRecord } from '../guards';
import type { JournalRecord } from './types';

/** The last complete record of each row. */
export type JournalState = ReadonlyMap<number, JournalRecord>;

function asRecord(value: unknown): JournalRecord | undefined {
  if (!isRecord(value)) return undefined;
  const { row, state, at, to, messageId } = value;
  if (typeof row !== 'number' || typeof at !== 'string' || typeof messageId !== 'string' || !Array.isArray(to)) return undefined;
  const recipients = to.filter((t): t is string => typeof t === 'string');
  if (state === 'started') return { row, state, at, to: recipients, messageId };
  const reply = typeof value['reply'] === 'string' ? value['reply'] : '';
  if (state === 'sent') return { row, state, at, to: recipients, messageId, reply };
  if (state === 'failed') return { row, state, at, to: recipients, messageId, reply, transient: value['transient'] === true };
  return undefined;
}

export function parseJournal(text: string): JournalState {
  const state = new Map<number, JournalRecord>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      continue;
    }
    const record = asRecord(parsed);
    if (record !== undefined) state.set(record.row, record);
  }
  return state;
}

/** The journal's state; empty when the file does not exist yet. */
export async function readJournal(path: string): Promise<JournalState> {
  try {
    return parseJournal(await readFile(path, 'utf8'));
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return new Map();
    throw error;
  }
}

/** Appends records, each on its own line (see the top of this file for when they reach the disk). */
export class JournalWriter {
  /** The last fdatasync asked for; each starts after the one before it, so one covers all earlier writes. */
  private synced: Promise<void> = Promise.resolve();

  private constructor(private readonly handle: FileHandle) {}

  static async open(path: string): Promise<JournalWriter> {
    const handle = await open(path, 'a', 0o600);
    // A torn line from a killed run would swallow the next record: start on a fresh line.
    const { size } = await handle.stat();
    if (size > 0) {
      const last = Buffer.alloc(1);
      const reader = await open(path, 'r');
      try {
        await reader.read(last, 0, 1, size - 1);
      } finally {
        await reader.close();
      }
      if (last[0] !== 0x0a) await handle.write('\n');
    }
    return new JournalWriter(handle);
  }

  /**
   * Writes one record with a single write(2) (a few hundred bytes, into the page cache): it
   * survives the process being killed from the moment this returns. Synchronous on purpose —
   * an asynchronous write could still be queued when the message it records goes out.
   */
  append(record: JournalRecord): void {
    const line = Buffer.from(`${JSON.stringify(record)}\n`, 'utf8');
    let written = 0;
    while (written < line.length) written += writeSync(this.handle.fd, line, written);
  }

  /** Resolves once every record appended so far is on disk (fdatasync); rejects if the disk says no. */
  durable(): Promise<void> {
    const fd = this.handle.fd;
    const next = this.synced.then(
      () =>
        new Promise<void>((resolve, reject) => {
          fdatasync(fd, (error) => (error === null ? resolve() : reject(error)));
        }),
    );
    this.synced = next.catch(() => undefined);
    return next;
  }

  async close(): Promise<void> {
    try {
      await this.durable();
    } finally {
      await this.handle.close();
    }
  }
}
