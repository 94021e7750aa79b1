/**
 * The merge journal: one JSON object per line, appended as things happen and synced to disk
 * before each message's data is sent, so a run killed at any instant leaves a file that says
 * what happened to every row it touched. For each
 * row: `started` before DATA, then `sent` after the server's 250 for the final dot, or
 * `failed` with the reply. A row whose last record is `started` may or may not have been
 * delivered (the process died between the final dot and the reply): its fate is unknown, and a
 * re-run does not send it again unless asked to.
 *
 * A torn last line (the process died mid-write) is ignored: its record was never complete.
 */
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

/** Appends records, each on its own line. */
export class JournalWriter {
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
   * Appends one record. A `started` record is on disk (fdatasync) before this returns: it must
   * survive anything that happens once DATA is sent. An outcome record is written at once but
   * synced by the next `started` record or by `close` — if the machine fails in between, the row
   * reads as started, i.e. unknown and not sent again: the safe side, for half the syncs.
   */
  async append(record: JournalRecord): Promise<void> {
    await this.handle.write(`${JSON.stringify(record)}\n`);
    if (record.state === 'started') await this.handle.datasync();
  }

  async close(): Promise<void> {
    try {
      await this.handle.datasync();
    } finally {
      await this.handle.close();
    }
  }
}
