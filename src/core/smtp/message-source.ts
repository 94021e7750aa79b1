/** Turns every accepted MessageSource into one async sequence of byte chunks. */
import type { MessageSource } from './types';

/** Strings and buffers are sliced so progress and backpressure work the same as for streams. */
const SLICE = 64 * 1024;

export async function* messageChunks(source: MessageSource): AsyncGenerator<Uint8Array, void, undefined> {
  if (typeof source === 'string' || source instanceof Uint8Array) {
    const bytes = typeof source === 'string' ? Buffer.from(source, 'utf8') : source;
    for (let offset = 0; offset < bytes.length; offset += SLICE) yield bytes.subarray(offset, offset + SLICE);
    return;
  }
  // Readable streams are async iterables; in object or string mode they may yield strings.
  for await (const chunk of source as AsyncIterable<unknown>) {
    if (chunk instanceof Uint8Array) yield chunk;
    else if (typeof chunk === 'string') yield Buffer.from(chunk, 'utf8');
    else throw new TypeError(`message stream yielded ${typeof chunk}, expected bytes`);
  }
}
