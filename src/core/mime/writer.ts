/**
 * Turns segments into a byte stream. Files are read with fs.createReadStream and encoded
 * chunk by chunk (base64-lines.ts), so memory stays bounded by the read chunk size whatever
 * the attachment's size. Each call makes a fresh stream, so preview, .eml and send all get
 * the same bytes.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { Base64LineEncoder } from './base64-lines';
import { ComposeError } from './errors';
import type { FileSegment, Segment } from './tree';

/** Read size for attachments: each yielded chunk is about 4/3 of this plus line breaks. */
const READ_CHUNK_SIZE = 64 * 1024;

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function* encodeFile(file: FileSegment): AsyncGenerator<Buffer> {
  const encoder = new Base64LineEncoder();
  let read = 0;
  const changed = (): ComposeError =>
    new ComposeError(
      'file-changed',
      `The ${file.label} changed while the message was being sent: expected ${file.size} bytes, read ${read} (${file.path}).`,
      file.path,
    );
  try {
    for await (const chunk of createReadStream(file.path, { highWaterMark: READ_CHUNK_SIZE })) {
      const bytes = chunk as Buffer;
      read += bytes.length;
      if (read > file.size) {
        throw changed();
      }
      yield encoder.push(bytes);
    }
  } catch (error) {
    if (error instanceof ComposeError) {
      throw error;
    }
    throw new ComposeError('file-unreadable', `Cannot read the ${file.label} (${file.path}): ${describe(error)}`, file.path);
  }
  if (read !== file.size) {
    throw changed();
  }
  yield encoder.end();
}

async function* generate(segments: readonly Segment[]): AsyncGenerator<Buffer> {
  for (const segment of segments) {
    if (Buffer.isBuffer(segment)) {
      yield segment;
    } else {
      yield* encodeFile(segment);
    }
  }
}

export function streamSegments(segments: readonly Segment[]): Readable {
  return Readable.from(generate(segments), { objectMode: false });
}
