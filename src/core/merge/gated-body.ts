/**
 * A merge message's bytes as the SMTP client should get them: in few large pieces, and with the
 * end held back until the row's journal record is on disk.
 *
 * - The composer's stream yields many small chunks (each header, each part's lines); the client
 *   writes each to the socket as it comes, one system call apiece. Gathered into pieces of up to
 *   64 KiB, an ordinary merge message (a few KiB) is one write, while a large attachment is
 *   still streamed, never held whole. A message already read into memory (run.ts reads small
 *   ones while the row before is on the wire) is one piece.
 * - The client writes the end-of-data dot when this sequence ends, so waiting for `gate` (the
 *   journal's fdatasync, journal.ts) before ending means the server cannot accept the message
 *   before its `started` record is durable — and the sync runs while MAIL, RCPT, DATA and the
 *   body are on the wire, instead of before them. If the sync fails, the sequence throws: the
 *   client closes the connection without the dot, so nothing is delivered.
 */
import type { Readable } from 'node:stream';

const PIECE = 64 * 1024;

export async function* gatedBody(source: AsyncIterable<unknown> | Uint8Array, gate: Promise<void>): AsyncGenerator<Uint8Array, void, undefined> {
  if (source instanceof Uint8Array) {
    yield source;
    await gate;
    return;
  }
  let pending: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of source) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : (chunk as Uint8Array);
    pending.push(bytes);
    size += bytes.length;
    if (size >= PIECE) {
      yield Buffer.concat(pending, size);
      pending = [];
      size = 0;
    }
  }
  if (size > 0) yield Buffer.concat(pending, size);
  await gate;
}

/**
 * A whole message read into memory (for messages known to be small), from the stream's events:
 * an async iterator would cost a promise per chunk, and the composer's stream has many.
 */
export function readAll(stream: Readable): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const pieces: Uint8Array[] = [];
    stream.on('data', (chunk: unknown) => pieces.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : (chunk as Uint8Array)));
    stream.once('end', () => resolve(Buffer.concat(pieces)));
    stream.once('error', reject);
  });
}
