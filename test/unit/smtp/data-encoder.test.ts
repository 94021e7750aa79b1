import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { Base64LineEncoder, isBase64Lines } from '../../../src/core/mime/base64-lines';
import { createDotStuffer, DataEncoder } from '../../../src/core/smtp/data-encoder';

/** Reference: normalise line ends, dot-stuff, end with CRLF.CRLF — written plainly, on the whole string. */
function reference(input: string): string {
  const lines = input.replace(/\r\n|\r|\n/g, '\n').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((line) => (line.startsWith('.') ? `.${line}` : line) + '\r\n').join('') + '.\r\n';
}

function encodeSplit(input: Buffer, cuts: readonly number[]): string {
  const encoder = new DataEncoder();
  const out: Buffer[] = [];
  let from = 0;
  for (const cut of [...cuts, input.length]) {
    out.push(encoder.encode(input.subarray(from, cut)));
    from = cut;
  }
  out.push(encoder.finish());
  return Buffer.concat(out).toString('latin1');
}

const SAMPLES = [
  '',
  'no newline at end',
  'line\r\n',
  '.\r\n',
  '.starts with dot\r\nmiddle\r\n..two dots\r\n',
  'bare LF\nbare CR\rmixed\r\n\r\n.\n.\r.x',
  'ends with CR\r',
  '\r\n.\r\n',
  'a\r\r\nb\n\rc',
  '...\n\n\n..',
  // Already in wire form (the pass-through path), and near misses of it.
  'Subject: x\r\n\r\nline one\r\nline two\r\n',
  'a\r\n.b\r\n',
  'a\r\nb\r\n.',
  'a\r\nb\rc\r\n',
  'a\r\nb\nc\r\n',
  '\na\r\n',
  'a\r\n\nb',
  'a\r\n\r',
];

/** Deterministic pseudo-random numbers (mulberry32), so a failure can be replayed. */
function prng(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('DataEncoder (dot-stuffing and CRLF normalisation)', () => {
  it('matches the reference for every sample in one chunk', () => {
    for (const sample of SAMPLES) assert.equal(encodeSplit(Buffer.from(sample), []), reference(sample), JSON.stringify(sample));
  });

  it('gives the same bytes for a split at every position', () => {
    for (const sample of SAMPLES) {
      const bytes = Buffer.from(sample);
      for (let cut = 0; cut <= bytes.length; cut++) {
        assert.equal(encodeSplit(bytes, [cut]), reference(sample), `${JSON.stringify(sample)} cut at ${cut}`);
      }
    }
  });

  it('gives the same bytes when fed one byte at a time', () => {
    for (const sample of SAMPLES) {
      const bytes = Buffer.from(sample);
      const cuts = Array.from({ length: bytes.length }, (_, i) => i);
      assert.equal(encodeSplit(bytes, cuts), reference(sample), JSON.stringify(sample));
    }
  });

  it('stuffs a dot that starts a chunk after a chunk that ended a line (RFC 5321 4.5.2)', () => {
    assert.equal(encodeSplit(Buffer.from('a\r\n.b\r\n'), [3]), 'a\r\n..b\r\n.\r\n');
    assert.equal(encodeSplit(Buffer.from('.\r\n.\r\n'), [3]), '..\r\n..\r\n.\r\n');
    assert.equal(encodeSplit(Buffer.from('a\r\n.'), [3]), 'a\r\n..\r\n.\r\n');
  });

  it('treats a CR that ends a chunk as undecided until the next chunk', () => {
    assert.equal(encodeSplit(Buffer.from('a\r\nb\r.c\r\n'), [5]), 'a\r\nb\r\n..c\r\n.\r\n');
    assert.equal(encodeSplit(Buffer.from('a\r\nb\r\n.c\r\n'), [5]), 'a\r\nb\r\n..c\r\n.\r\n');
    assert.equal(encodeSplit(Buffer.from('a\r\nb\r\nc\r\n'), [5]), 'a\r\nb\r\nc\r\n.\r\n');
  });

  it('passes a chunk that is already in wire form through without copying it', () => {
    const encoder = new DataEncoder();
    const first = Buffer.from('Subject: x\r\n\r\nbody\r\n');
    const second = Buffer.from('no dot here. more\r\nand a partial line');
    assert.equal(encoder.encode(first), first);
    assert.equal(encoder.encode(second), second);
    // The partial line is finished with a CRLF before the terminator.
    assert.equal(encoder.finish().toString(), '\r\n.\r\n');
  });

  it('matches the reference for random CR/LF/dot mixes split at random places', () => {
    const next = prng(5321);
    const pieces = ['a', 'b', '.', '.', '\r\n', '\r\n', '\r\n', '\r', '\n'];
    for (let round = 0; round < 2000; round++) {
      let text = '';
      const length = Math.floor(next() * 24);
      for (let i = 0; i < length; i++) text += pieces[Math.floor(next() * pieces.length)] ?? '';
      const bytes = Buffer.from(text);
      const cuts: number[] = [];
      for (let at = 0; at < bytes.length; at++) if (next() < 0.25) cuts.push(at);
      assert.equal(encodeSplit(bytes, cuts), reference(text), `${JSON.stringify(text)} cut at ${cuts.join(',')}`);
    }
  });

  it('gives the same bytes for chunks large enough for the indexOf scan', () => {
    // Chunks over 8 KiB are checked with indexOf rather than a regular expression.
    const pad = `${'x'.repeat(9000)}\r\n${'y'.repeat(9000)}\r\n`;
    for (const sample of SAMPLES) {
      const text = pad + sample + pad + sample;
      const bytes = Buffer.from(text);
      const at = Buffer.byteLength(pad);
      for (const cut of [at - 2, at - 1, at, at + 1, at + 2, bytes.length - 1]) {
        assert.equal(encodeSplit(bytes, [cut]), reference(text), `${JSON.stringify(sample)} cut at ${cut}`);
      }
    }
    // A large chunk that starts with a bare LF and has no CR at all.
    const bareLf = `a\r\n\n${'x'.repeat(9000)}`;
    assert.equal(encodeSplit(Buffer.from(bareLf), [3]), reference(bareLf));
    const next = prng(2920);
    const pieces = ['a'.repeat(100), 'b', '.', '\r\n', '\r\n', '\r\n', '\r\n', '\r', '\n'];
    for (let round = 0; round < 40; round++) {
      let text = '';
      while (text.length < 40_000) text += pieces[Math.floor(next() * pieces.length)] ?? '';
      if (round % 2 === 0) text = text.replace(/\r(?!\n)|(?<!\r)\n|\n\./g, '\r\n'); // wire-ready, mostly
      const bytes = Buffer.from(text);
      const cuts: number[] = [];
      for (let at = Math.floor(next() * 9000); at < bytes.length; at += 8193 + Math.floor(next() * 9000)) cuts.push(at);
      assert.equal(encodeSplit(bytes, cuts), reference(text), `round ${round}`);
    }
  });

  it('stuffs a dot only at the start of a line', () => {
    assert.equal(encodeSplit(Buffer.from('a.b\r\n.c\r\n'), []), 'a.b\r\n..c\r\n.\r\n');
  });

  it('turns a lone CR into a line end, so "\\r.\\r\\n" cannot end the data early', () => {
    assert.equal(encodeSplit(Buffer.from('x\r.\r\ny'), []), 'x\r\n..\r\ny\r\n.\r\n');
  });

  it('does not add a second CRLF when the message already ends with one', () => {
    assert.equal(encodeSplit(Buffer.from('body\r\n'), []), 'body\r\n.\r\n');
    assert.equal(encodeSplit(Buffer.from('body'), []), 'body\r\n.\r\n');
  });

  it('passes 8-bit bytes through untouched', () => {
    const input = Buffer.from('héllo 周报\r\n', 'utf8');
    assert.deepEqual(Buffer.concat([new DataEncoder().encode(input)]), input);
  });

  it('works as a stream transform', async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of Readable.from([Buffer.from('.a\n'), Buffer.from('\n.'), Buffer.from('b')]).pipe(createDotStuffer())) chunks.push(chunk as Buffer);
    assert.equal(Buffer.concat(chunks).toString(), '..a\r\n\r\n..b\r\n.\r\n');
  });
});

// The shortcut for the composer's base64 lines (isBase64Lines): such a chunk is passed through
// unscanned, so it must leave the encoder exactly as the scanning path would, whatever came
// before it (a held CR, a partial line, a line that a dot will start next).

function encodeAll(chunks: readonly Buffer[]): Buffer {
  const encoder = new DataEncoder();
  return Buffer.concat([...chunks.map((chunk) => encoder.encode(chunk)), encoder.finish()]);
}

/** Base64 lines as the composer makes them (members of isBase64Lines). */
function base64Chunk(next: () => number): Buffer {
  const chunk = new Base64LineEncoder().push(randomBytes(57 * (1 + Math.floor(next() * 3))));
  assert.ok(isBase64Lines(chunk));
  return chunk;
}

describe('DataEncoder with base64 lines from the composer', () => {
  it('gives the same bytes as scanning a copy, after every kind of chunk', () => {
    const next = prng(4552);
    const texts = ['a', '.', '.b', 'x\r', '\r', '\n', 'a\r\n', '\r\n.', 'a\nb', '.\r\n', 'tail without end'];
    for (let round = 0; round < 3000; round++) {
      const chunks: Buffer[] = [];
      const count = 1 + Math.floor(next() * 5);
      for (let i = 0; i < count; i++) {
        chunks.push(next() < 0.5 ? base64Chunk(next) : Buffer.from(texts[Math.floor(next() * texts.length)] ?? ''));
      }
      // Copies are not members, so every chunk of this run takes the scanning path.
      const scanned = encodeAll(chunks.map((chunk) => Buffer.from(chunk)));
      assert.equal(encodeAll(chunks).toString('latin1'), scanned.toString('latin1'), JSON.stringify(chunks.map((c) => c.toString('latin1'))));
    }
  });

  it('ends a held bare CR before base64 lines and stuffs a dot that starts the next chunk', () => {
    const lines = new Base64LineEncoder().push(Buffer.alloc(57));
    const text = lines.toString('latin1');
    assert.equal(encodeAll([Buffer.from('x\r'), lines]).toString('latin1'), `x\r\n${text}.\r\n`);
    assert.equal(encodeAll([Buffer.from('x'), lines, Buffer.from('.y\r\n')]).toString('latin1'), `x${text}..y\r\n.\r\n`);
  });
});
