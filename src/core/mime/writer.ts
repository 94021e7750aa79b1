/**
 * Turns segments into a byte stream. Files are read with fs.createReadStream and encoded
 * chunk by chunk (base64-lines.ts), so memory stays bounded by the read chunk size whatever
 * the attachment's size. Each call makes a fresh stream, so preview, .eml and send all get
 * the same bytes.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { Base64LineEncoder } from './base64-lines';
import { ComposeError, fileChanged, fileUnreadable } from './errors';
import type { FileSegment, Segment } from './tree';

/** Read size for attachments: each yielded chunk is about 4/3 of this plus line breaks. */
const READ_CHUNK_SIZE = 64 * 1024;

async function* encodeFile(file: FileSegment): AsyncGenerator<Buffer> {
  const encoder = new Base64LineEncoder();
  let read = 0;
  try {
    for await (const chunk of createReadStream(file.path, { highWaterMark: READ_CHUNK_SIZE })) {
      const bytes = chunk as Buffer;
      read += bytes.length;
      if (read > file.size) {
        throw fileChanged(file, file.size, read);
      }
      yield encoder.push(bytes);
    }
  } catch (error) {
    if (error instanceof ComposeError) {
      throw error;
    }
    throw fileUnreadable(file, error);
  }
  if (read !== file.size) {
    throw fileChanged(file, file.size, read);
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
