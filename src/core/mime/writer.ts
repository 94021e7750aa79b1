/**
 * Turns segments into a byte stream. Files are read through a FileHandle into one reused
 * input buffer and encoded chunk by chunk (base64-lines.ts), so memory stays bounded by the
 * read size whatever the attachment's size. Each call makes a fresh stream, so preview, .eml
 * and send all get the same bytes.
 */
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { BYTES_PER_LINE, Base64LineEncoder, joinBase64Lines } from './base64-lines';
import { fileChanged, fileUnreadable } from './errors';
import type { FileSegment, Segment } from './tree';

/**
 * Bytes per read: a whole number of base64 lines (so no bytes are carried from one read to the
 * next), 85.5 KiB; each encoded chunk is 78/57 of it, 117 KiB. The size is measured (bench/README.md,
 * scenarios 4 and 5): the chunk's base64 text (114 KiB) then still fits V8's young generation
 * (objects up to 128 KiB), which is cheap to allocate and frees the chunks already written at
 * each minor GC. Reads of 228 KiB made the text a large object and measured slower; over about
 * 1 MB it becomes an external string, which no longer triggers those GCs (peak RSS grew).
 */
const READ_SIZE = 1536 * BYTES_PER_LINE;

/**
 * A small file gets a buffer its own size, not READ_SIZE: a mail merge composes thousands of
 * messages with the same small attachment, and an 85.5 KiB buffer for each would pile up as
 * external memory faster than the garbage collector returns it. One byte more than the file, in
 * whole lines, so a file that grew since it was measured shows it in the first read.
 */
function readSizeFor(size: number): number {
  return Math.min(READ_SIZE, Math.ceil((size + 1) / BYTES_PER_LINE) * BYTES_PER_LINE);
}

/** Opens `file` for reading; any failure is a ComposeError naming it. */
async function openFile(file: FileSegment): Promise<FileHandle> {
  try {
    return await open(file.path, 'r');
  } catch (error) {
    throw fileUnreadable(file, error);
  }
}

/** Fills `input` from the file's current position; returns the bytes read (0 at its end). */
async function readInto(handle: FileHandle, input: Buffer, file: FileSegment): Promise<number> {
  try {
    return (await handle.read(input, 0, input.length, null)).bytesRead;
  } catch (error) {
    throw fileUnreadable(file, error);
  }
}

async function* encodeFile(file: FileSegment): AsyncGenerator<Buffer> {
  const encoder = new Base64LineEncoder();
  const handle = await openFile(file);
  // Only a failed open or read becomes a ComposeError: an error thrown in at a `yield` (the
  // consumer stopped early: Readable.from's AbortError, a failed pipe) passes through as it is.
  try {
    // One buffer for every read of this file: the encoder copies out of it (its carry too)
    // before the next read. A fresh buffer per read, as fs.createReadStream makes, costs CPU.
    const input = Buffer.allocUnsafe(readSizeFor(file.size));
    let read = 0;
    for (;;) {
      const bytesRead = await readInto(handle, input, file);
      if (bytesRead === 0) break;
      read += bytesRead;
      if (read > file.size) throw fileChanged(file, file.size, read);
      yield encoder.push(input.subarray(0, bytesRead));
    }
    if (read !== file.size) throw fileChanged(file, file.size, read);
  } finally {
    // Closed before the stream ends or fails, so no descriptor outlives it.
    await handle.close().catch(() => undefined);
  }
  yield encoder.end();
}

async function* generate(segments: readonly Segment[]): AsyncGenerator<Buffer> {
  for (const segment of segments) {
    if (Buffer.isBuffer(segment)) {
      yield segment;
    } else if (segment.encoded !== undefined) {
      yield segment.encoded;
    } else {
      yield* encodeFile(segment);
    }
  }
}

/** A file read to its end and encoded as base64 lines, in one buffer (for files known to be small). */
export async function readEncodedFile(file: FileSegment): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of encodeFile(file)) chunks.push(chunk);
  return joinBase64Lines(chunks);
}

/** The whole message when no part is still on disk, else undefined: no stream needed. */
export function segmentsInMemory(segments: readonly Segment[]): Buffer | undefined {
  const buffers: Buffer[] = [];
  for (const segment of segments) {
    const bytes = Buffer.isBuffer(segment) ? segment : segment.encoded;
    if (bytes === undefined) return undefined;
    buffers.push(bytes);
  }
  return Buffer.concat(buffers);
}

export function streamSegments(segments: readonly Segment[]): Readable {
  return Readable.from(generate(segments), { objectMode: false });
}
