/**
 * Base64 in 76-column lines, each ending in CRLF (RFC 2045 6.8: "encoded lines must not be
 * longer than 76 characters"). Incremental, so a 20 MiB file goes through chunk by chunk.
 *
 * 57 input bytes are exactly one 76-character line, so the encoder consumes whole lines only
 * and carries the 0–56 bytes left over into the next call; every line is then complete and
 * identical however the input was chunked. A chunk's whole lines are encoded with one native
 * base64 call straight into the output buffer and then spread out in place to make room for
 * the CRLFs (no string building: this runs over every byte of every attachment).
 */

export const BASE64_LINE_LENGTH = 76;
/** Input bytes per full line: 76 characters × 6 bits / 8. */
export const BYTES_PER_LINE = (BASE64_LINE_LENGTH / 4) * 3;
/** A full line on the wire: 76 characters and CRLF. */
const WIRE_LINE_LENGTH = BASE64_LINE_LENGTH + 2;
const CR = 0x0d;
const LF = 0x0a;
const EMPTY = Buffer.alloc(0);

/**
 * Every non-empty buffer this module returned, so the SMTP DATA encoder can pass them through
 * without scanning them (src/core/smtp/data-encoder.ts). What makes that sound: such a buffer
 * is one or more complete lines, each 1–76 characters of the base64 alphabet (A–Z a–z 0–9 + / =)
 * followed by CRLF, so it has no bare CR or LF, no line of it starts with "." (RFC 5321 4.5.2),
 * its first byte is not a line break, and it ends with CRLF. Membership is by identity: a copy
 * or a concatenation is not a member and gets scanned. Nothing writes into these buffers after
 * they are returned.
 */
const linesMade = new WeakSet<Uint8Array>();

/** True for a buffer returned by this module's encoders (complete CRLF-ended base64 lines). */
export function isBase64Lines(bytes: Uint8Array): boolean {
  return linesMade.has(bytes);
}

function made(lines: Buffer): Buffer {
  if (lines.length > 0) linesMade.add(lines);
  return lines;
}

/** Exact encoded size of `byteCount` bytes, arithmetic only (the file is never read for it). */
export function base64EncodedLength(byteCount: number): number {
  const characters = 4 * Math.ceil(byteCount / 3);
  return characters + 2 * Math.ceil(characters / BASE64_LINE_LENGTH);
}

export class Base64LineEncoder {
  /** Fewer than BYTES_PER_LINE bytes not yet encoded. */
  private carry: Buffer = EMPTY;

  /** Encodes every whole line `chunk` completes; keeps the 0–56 bytes left over for the next call. */
  push(chunk: Buffer): Buffer {
    let head = EMPTY;
    let rest = chunk;
    if (this.carry.length > 0) {
      const missing = BYTES_PER_LINE - this.carry.length;
      if (chunk.length < missing) {
        this.carry = Buffer.concat([this.carry, chunk]);
        return EMPTY;
      }
      head = Buffer.concat([this.carry, chunk.subarray(0, missing)]);
      rest = chunk.subarray(missing);
    }
    const restLines = Math.floor(rest.length / BYTES_PER_LINE);
    const lines = (head.length > 0 ? 1 : 0) + restLines;
    // A copy: the caller may reuse its chunk, and the carry is at most 56 bytes.
    this.carry = rest.length % BYTES_PER_LINE === 0 ? EMPTY : Buffer.from(rest.subarray(restLines * BYTES_PER_LINE));
    if (lines === 0) return EMPTY;
    const out = Buffer.allocUnsafe(lines * WIRE_LINE_LENGTH);
    let offset = 0;
    if (head.length > 0) offset = writeLines(head, out, 0);
    writeLines(rest.subarray(0, restLines * BYTES_PER_LINE), out, offset);
    return made(out);
  }

  /** Encodes the carried bytes (with padding) and ends the last line. */
  end(): Buffer {
    const tail = this.carry;
    this.carry = EMPTY;
    if (tail.length === 0) return EMPTY;
    return made(Buffer.from(`${tail.toString('base64')}\r\n`, 'ascii'));
  }
}

/**
 * Encodes `bytes` (a multiple of 57 long) as full lines into `out` at `offset`; returns the
 * offset after them. The base64 text is written packed first, then each line is moved to its
 * place from the last to the first, so no line overwrites one not yet moved.
 */
function writeLines(bytes: Buffer, out: Buffer, offset: number): number {
  const lines = bytes.length / BYTES_PER_LINE;
  const text = bytes.toString('base64');
  out.write(text, offset, text.length, 'latin1');
  for (let line = lines - 1; line >= 0; line--) {
    const from = offset + line * BASE64_LINE_LENGTH;
    const to = offset + line * WIRE_LINE_LENGTH;
    if (line > 0) out.copyWithin(to, from, from + BASE64_LINE_LENGTH);
    out[to + BASE64_LINE_LENGTH] = CR;
    out[to + BASE64_LINE_LENGTH + 1] = LF;
  }
  return offset + lines * WIRE_LINE_LENGTH;
}

/** Buffers this module returned, joined: each ends in CRLF, so the whole is still complete lines (a member). */
export function joinBase64Lines(parts: readonly Buffer[]): Buffer {
  const whole = Buffer.concat(parts);
  return parts.every((part) => part.length === 0 || linesMade.has(part)) ? made(whole) : whole;
}

/** Whole-buffer form, for bodies already in memory. */
export function encodeBase64Lines(data: Buffer): Buffer {
  const encoder = new Base64LineEncoder();
  const lines = encoder.push(data);
  const tail = encoder.end();
  return tail.length === 0 ? lines : made(Buffer.concat([lines, tail]));
}
