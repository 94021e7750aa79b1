import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
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
];

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
