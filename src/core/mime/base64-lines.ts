/**
 * Base64 in 76-column lines, each ending in CRLF (RFC 2045 6.8: "encoded lines must not be
 * longer than 76 characters"). Incremental, so a 20 MiB file goes through chunk by chunk:
 * up to two bytes that do not make a whole 3-byte group are carried into the next chunk, and
 * the column is carried so lines stay exactly 76 wide across chunk edges.
 */

export const BASE64_LINE_LENGTH = 76;

/** Exact encoded size of `byteCount` bytes, arithmetic only (the file is never read for it). */
export function base64EncodedLength(byteCount: number): number {
  const characters = 4 * Math.ceil(byteCount / 3);
  return characters + 2 * Math.ceil(characters / BASE64_LINE_LENGTH);
}

export class Base64LineEncoder {
  private carry: Buffer = Buffer.alloc(0);
  private column = 0;

  /** Encodes what it can of `chunk`; keeps the 0–2 bytes left over for the next call. */
  push(chunk: Buffer): Buffer {
    const data = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    const whole = data.length - (data.length % 3);
    this.carry = Buffer.from(data.subarray(whole));
    return this.wrap(data.subarray(0, whole).toString('base64'));
  }

  /** Encodes the carried bytes (with padding) and ends the last line. */
  end(): Buffer {
    const tail = this.wrap(this.carry.toString('base64'));
    this.carry = Buffer.alloc(0);
    const close = this.column > 0 ? Buffer.from('\r\n', 'ascii') : Buffer.alloc(0);
    this.column = 0;
    return Buffer.concat([tail, close]);
  }

  private wrap(encoded: string): Buffer {
    const pieces: string[] = [];
    let offset = 0;
    while (offset < encoded.length) {
      const take = Math.min(BASE64_LINE_LENGTH - this.column, encoded.length - offset);
      pieces.push(encoded.slice(offset, offset + take));
      offset += take;
      this.column += take;
      if (this.column === BASE64_LINE_LENGTH) {
        pieces.push('\r\n');
        this.column = 0;
      }
    }
    return Buffer.from(pieces.join(''), 'ascii');
  }
}

/** Whole-buffer form, for bodies already in memory. */
export function encodeBase64Lines(data: Buffer): Buffer {
  const encoder = new Base64LineEncoder();
  return Buffer.concat([encoder.push(data), encoder.end()]);
}
