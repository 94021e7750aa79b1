/**
 * The base64 line encoder as the streaming writer drives it: one input buffer reused for every
 * read, and every buffer it returns vouched for as complete CRLF base64 lines (which the SMTP
 * DATA encoder then passes through without scanning).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Base64LineEncoder, encodeBase64Lines, isBase64Lines } from '../../../src/core/mime/base64-lines';

/** Reference: one base64 string cut into 76-character lines, each ended with CRLF. */
function reference(data: Buffer): string {
  return (data.toString('base64').match(/.{1,76}/g) ?? []).map((line) => `${line}\r\n`).join('');
}

/** Chunk sizes that leave every possible carry (0–56 bytes) and cross line ends in every way. */
const SIZES = [1, 2, 3, 5, 56, 57, 58, 113, 114, 115, 1000, 4096, 57 * 100 + 13];

describe('Base64LineEncoder with a reused input buffer', () => {
  it('gives the reference bytes when the caller overwrites its chunk after every push', () => {
    const data = randomBytes(20_000);
    for (const size of SIZES) {
      const encoder = new Base64LineEncoder();
      const reused = Buffer.alloc(size);
      const out: Buffer[] = [];
      for (let offset = 0; offset < data.length; offset += size) {
        const length = data.copy(reused, 0, offset, offset + size);
        out.push(encoder.push(reused.subarray(0, length)));
        // What the next read does to the buffer: anything kept from it without a copy changes.
        reused.fill(0x2e);
      }
      out.push(encoder.end());
      assert.equal(Buffer.concat(out).toString('latin1'), reference(data), `chunks of ${size}`);
    }
  });
});

describe('isBase64Lines', () => {
  it('holds for every non-empty buffer the encoder returns, each being complete CRLF base64 lines', () => {
    const data = randomBytes(10_000);
    for (const size of SIZES) {
      const encoder = new Base64LineEncoder();
      const pieces: Buffer[] = [];
      for (let offset = 0; offset < data.length; offset += size) pieces.push(encoder.push(data.subarray(offset, offset + size)));
      pieces.push(encoder.end());
      for (const piece of pieces.filter((p) => p.length > 0)) {
        assert.ok(isBase64Lines(piece), `a piece of chunks of ${size}`);
        assert.match(piece.toString('latin1'), /^(?:[A-Za-z0-9+/=]{1,76}\r\n)+$/);
      }
    }
    assert.ok(isBase64Lines(encodeBase64Lines(randomBytes(1000))));
  });

  it('does not hold for copies, other buffers or the empty result', () => {
    const lines = new Base64LineEncoder().push(randomBytes(57 * 3));
    assert.ok(isBase64Lines(lines));
    assert.ok(!isBase64Lines(Buffer.from(lines)));
    assert.ok(!isBase64Lines(lines.subarray(0, 78)));
    assert.ok(!isBase64Lines(Buffer.from('QUJD\r\n')));
    assert.ok(!isBase64Lines(new Base64LineEncoder().push(Buffer.alloc(10))));
  });
});
