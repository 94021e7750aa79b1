import assert from 'node:assert/strict';
import { applyEdits, linesBetween } from '../../../src/core/text-offsets';

describe('text offsets: one line splitter for the draft edits (receipt, attach:)', () => {
  it('splits at CRLF, LF and a lone CR, with content end and end after the break', () => {
    const text = 'a\r\nbb\rc\n\ndd';
    assert.deepEqual(linesBetween(text, 0, text.length), [
      { start: 0, contentEnd: 1, end: 3, content: 'a' },
      { start: 3, contentEnd: 5, end: 6, content: 'bb' },
      { start: 6, contentEnd: 7, end: 8, content: 'c' },
      { start: 8, contentEnd: 8, end: 9, content: '' },
      { start: 9, contentEnd: 11, end: 11, content: 'dd' },
    ]);
  });

  it('takes only the lines that start inside the range', () => {
    const text = '---\nto: a\nsubject: b\n---\nbody\n';
    assert.deepEqual(
      linesBetween(text, 4, 21).map((line) => line.content),
      ['to: a', 'subject: b'],
    );
  });

  it('gives no line for an empty range or the end of the text', () => {
    assert.deepEqual(linesBetween('a\n', 2, 2), []);
    assert.deepEqual(linesBetween('', 0, 0), []);
  });

  it('applies edits given in any order by their offsets in the original text', () => {
    assert.equal(applyEdits('hello world', [{ start: 6, end: 11, text: 'there' }, { start: 0, end: 0, text: '> ' }]), '> hello there');
  });
});
