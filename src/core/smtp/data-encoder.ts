/**
 * The DATA body transform (RFC 5321 4.5.2 and 2.3.8): every line ending becomes CRLF (a bare
 * LF or a bare CR is one line ending), a line that starts with "." gets a second "." so the
 * server never mistakes it for the end of the data, and the end adds a final CRLF if the
 * message lacks one, then the terminating ".\r\n".
 *
 * It works chunk by chunk with two bits of state (are we at the start of a line, did the last
 * chunk end in a CR), so a message is never held whole, and a CRLF or a leading dot split
 * across chunks comes out the same as if it had arrived in one piece.
 */
import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';

const CR = 0x0d;
const LF = 0x0a;
const DOT = 0x2e;
const CRLF = Buffer.from('\r\n');
const TERMINATOR = Buffer.from('.\r\n');

export class DataEncoder {
  private atLineStart = true;
  private pendingCr = false;

  /** Encodes one chunk; the result may be shorter or longer than the input. */
  encode(chunk: Uint8Array): Buffer {
    // Worst case every byte doubles ("\n" → "\r\n", "." → ".."), plus a held-back CR.
    const out = Buffer.allocUnsafe(chunk.length * 2 + 2);
    let n = 0;
    let atLineStart = this.atLineStart;
    let pendingCr = this.pendingCr;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i] as number;
      if (pendingCr) {
        pendingCr = false;
        out[n++] = CR;
        out[n++] = LF;
        atLineStart = true;
        if (byte === LF) continue; // CRLF: already written.
        // A bare CR ended the line; the current byte starts the next one.
      }
      if (byte === CR) {
        pendingCr = true;
      } else if (byte === LF) {
        out[n++] = CR;
        out[n++] = LF;
        atLineStart = true;
      } else {
        if (atLineStart && byte === DOT) out[n++] = DOT;
        out[n++] = byte;
        atLineStart = false;
      }
    }
    this.atLineStart = atLineStart;
    this.pendingCr = pendingCr;
    return out.subarray(0, n);
  }

  /** The bytes that close the DATA: a CRLF if the message did not end with one, then ".\r\n". */
  finish(): Buffer {
    const needsCrlf = this.pendingCr || !this.atLineStart;
    this.pendingCr = false;
    this.atLineStart = true;
    return needsCrlf ? Buffer.concat([CRLF, TERMINATOR]) : Buffer.from(TERMINATOR);
  }
}

/** The same encoder as a stream transform (usable on its own, e.g. to write an SMTP-ready copy). */
export function createDotStuffer(): Transform {
  const encoder = new DataEncoder();
  return new Transform({
    transform(chunk: Buffer | string, _encoding: BufferEncoding, callback: TransformCallback): void {
      callback(null, encoder.encode(typeof chunk === 'string' ? Buffer.from(chunk) : chunk));
    },
    flush(callback: TransformCallback): void {
      callback(null, encoder.finish());
    },
  });
}
