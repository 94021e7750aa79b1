/**
 * Where `--eml` writes the composed message: a file, written atomically, or stdout.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { isAppError } from '../core/errors';
import { errnoOf } from '../core/guards';

async function statOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await stat(path);
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Writes `content` to `target` all or nothing (the composed message for `--eml`, the draft with
 * its receipt after a send — cli/receipt-file.ts): into a new temporary file beside it (same
 * folder, so the same file system), renamed over the target only once every byte is written.
 * If composing fails halfway (an attachment vanished, the disk filled up), the temporary file
 * is removed and an existing target keeps its old content — never a truncated message.
 * An existing target's permissions carry over, so a private .eml does not become readable by
 * others. A target that is not a regular file (a FIFO, /dev/stdout) is written directly.
 */
export async function writeFileAtomically(target: string, message: () => Readable): Promise<void> {
  const existing = await statOrUndefined(target);
  if (existing !== undefined && !existing.isFile()) {
    await pipeline(message(), createWriteStream(target));
    return;
  }
  const temporary = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  let created = false;
  try {
    // `wx`: never follow or reuse a file someone placed at the temporary name. The file is
    // opened before the copy starts: a stream that opened it lazily could create it after a
    // failed copy had already cleaned up, leaving a stray temporary file behind.
    const handle = await open(temporary, 'wx', existing === undefined ? 0o666 : existing.mode & 0o777);
    created = true;
    // The stream closes the handle when it ends or fails.
    await pipeline(message(), handle.createWriteStream());
    await rename(temporary, target);
  } catch (error) {
    // Not created (EEXIST): the name was taken before we could create it, so the file is not ours.
    if (created) await rm(temporary, { force: true });
    // A composing failure (an attachment gone) keeps its kind and advice; an I/O failure names
    // the file the user asked for, not the temporary one in Node's message.
    if (isAppError(error)) throw error;
    throw new Error(`Cannot write ${target}: ${errnoOf(error) ?? (error instanceof Error ? error.message : String(error))}`, { cause: error });
  }
}

/** `--eml FILE`: the composed message, all or nothing. */
export const writeEmlFile = writeFileAtomically;

/**
 * Writes the message to stdout. A reader that stops early (`| head -c 10`) closes the pipe:
 * that is its choice, not a failure, so EPIPE ends the write quietly. Returns false then.
 */
export async function writeEmlStdout(message: Readable, stdout: Writable): Promise<boolean> {
  try {
    await pipeline(message, stdout, { end: false });
    return true;
  } catch (error) {
    if (errnoOf(error) === 'EPIPE') return false;
    throw error;
  }
}
