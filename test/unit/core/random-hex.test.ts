/**
 * The pooled random hex behind Message-IDs and boundaries (src/core/random-hex.ts). Bugs guarded
 * against: a pool byte handed out twice (two messages with one Message-ID), a value of the wrong
 * length at the pool's end, a request larger than the pool silently truncated.
 */
import assert from 'node:assert/strict';
import { randomHex } from '../../../src/core/random-hex';

describe('randomHex', () => {
  it('gives the asked number of bytes as hex, never the same value twice, across many pool refills', () => {
    const seen = new Set<string>();
    // 15 does not divide 4096: the pool's end falls inside a request again and again.
    for (let i = 0; i < 3000; i++) {
      const value = randomHex(15);
      assert.match(value, /^[0-9a-f]{30}$/);
      assert.ok(!seen.has(value), `repeated: ${value}`);
      seen.add(value);
    }
  });

  it('refuses more bytes than the pool holds', () => {
    assert.throws(() => randomHex(4097), RangeError);
  });
});
