/**
 * The DATA body transform (RFC 5321 4.5.2 and 2.3.8): every line ending becomes CRLF (a bare
 * LF or a bare CR is one line ending), a line that starts with "." gets a second "." so the
 * server never mistakes it for the end of the data, and the end adds a final CRLF if the
 * message lacks one, then the terminating ".\r\n".
 *
 * It works chunk by chunk with two bits of state (are we at the start of a line, did the last
 * chunk end in a CR), so a message is never held whole, and a CRLF or a leading dot split
 * across chunks comes out the same as if it had arrived in one piece.
 *
 * Most messages (anything our composer writes: CRLF lines, base64 attachments) need no change
 * at all, so each chunk is first checked (native `indexOf` scans, or one regular expression
 * for a small chunk) and, when it is already in wire form, passed through without a copy. Only
 * chunks that need a change take the byte-by-byte path. A chunk of base64 lines made by the
 * composer's encoder (most of a message with an attachment) is not even scanned: that encoder
 * vouches for its form (see isBase64Lines).
 */
import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';
import { isBase64Lines } from '../mime/base64-lines';

const CR = 0x0d;
const LF = 0x0a;
const DOT = 0x2e;
/** A dot right after a line break: a line that RFC 5321 4.5.2 says must be stuffed. */
const LINE_START_DOT = Buffer.from('\n.');
/** A bare CR (also one ending the chunk), a bare LF (also one starting it), or a dot starting a line. */
const NEEDS_CHANGE = /\r(?!\n)|(?<!\r)\n|\n\./;
/** Chunks up to this size are checked with NEEDS_CHANGE on their latin1 text (one byte, one character). */
const SMALL_CHUNK = 8 * 1024;
const CRLF = Buffer.from('\r\n');
const TERMINATOR = Buffer.from('.\r\n');

export class DataEncoder {
  private atLineStart = true;
  private pendingCr = false;

  /** Encodes one chunk; the result may be shorter or longer than the input, or the input itself. */
  encode(chunk: Uint8Array): Buffer {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (bytes.length === 0) return bytes;
    if (!this.pendingCr && isBase64Lines(bytes)) {
      // Whole base64 lines, each ending in CRLF, none starting with "." and the first not
      // starting with a line break: valid after any chunk that did not end in a held CR (that
      // CR would be bare, which the general path turns into a line end).
      this.atLineStart = true;
      return bytes;
    }
    if (this.isWireReady(bytes)) {
      // Nothing to change; the state after it is simply "did it end with its CRLF".
      this.atLineStart = bytes[bytes.length - 1] === LF;
      return bytes;
    }
    return this.encodeBytes(bytes);
  }

  /** The bytes that close the DATA: a CRLF if the message did not end with one, then ".\r\n". */
  finish(): Buffer {
    const needsCrlf = this.pendingCr || !this.atLineStart;
    this.pendingCr = false;
    this.atLineStart = true;
    return needsCrlf ? Buffer.concat([CRLF, TERMINATOR]) : Buffer.from(TERMINATOR);
  }

  /**
   * True when `bytes` can go out unchanged: no CR held from the previous chunk, no dot at the
   * start of a line (also not at the chunk's start when the previous chunk ended a line), every
   * CR immediately followed by LF and every LF immediately preceded by CR, and no CR at the very
   * end (its LF would be in the next chunk, so whether it is a bare CR is not known yet).
   */
  private isWireReady(bytes: Buffer): boolean {
    const last = bytes.length - 1;
    if (this.pendingCr || bytes[last] === CR) return false;
    if (this.atLineStart && bytes[0] === DOT) return false;
    // One regular expression over a small chunk costs far less than a native call per line
    // (a 600-byte message would take 60 indexOf calls); a large one is scanned with indexOf.
    if (bytes.length <= SMALL_CHUNK) return !NEEDS_CHANGE.test(bytes.toString('latin1'));
    if (bytes.indexOf(LINE_START_DOT) !== -1) return false;
    // Walk the line ends: in a CRLF-only chunk the next CR is always right before the next LF.
    let from = 0;
    for (;;) {
      const lf = bytes.indexOf(LF, from);
      const cr = bytes.indexOf(CR, from);
      if (lf === -1) return cr === -1;
      // A bare CR before this LF, or a bare LF (at index 0 there is no CR before it at all).
      if (lf === 0 || cr !== lf - 1) return false;
      from = lf + 1;
    }
  }

  /** The general path, byte by byte, for chunks that need line ends fixed or dots stuffed. */
  private encodeBytes(chunk: Buffer): Buffer {
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
