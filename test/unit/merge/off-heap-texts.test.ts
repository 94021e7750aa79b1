/**
 * The off-heap text store behind a merge's results, kept rows and address index
 * (src/core/merge/off-heap-texts.ts). Guards against: a text that comes back different (an empty
 * one told apart from none, CJK, a lone surrogate in UTF-16), a forgotten text still readable,
 * and texts lost when the buffer grows.
 */
import assert from 'node:assert/strict';
import { OffHeapTexts } from '../../../src/core/merge/off-heap-texts';

describe('merge: texts kept off the heap', () => {
  it('gives back each text by its index, undefined apart from empty, across the buffer growing', () => {
    const texts = new OffHeapTexts('utf8');
    const pushed = ['', undefined, 'ann@example.test', '张三@例子.公司', 'x'.repeat(40_000), '😀'];
    const indices = pushed.map((text) => texts.push(text));
    assert.deepEqual(indices, [0, 1, 2, 3, 4, 5]);
    assert.deepEqual(indices.map((index) => texts.at(index)), pushed);
    assert.equal(texts.count, 6);
    assert.equal(texts.byteLength, Buffer.byteLength(pushed.join(''), 'utf8'));
  });

  it('forgets a text on request; UTF-16 keeps a lone surrogate exactly', () => {
    const texts = new OffHeapTexts('utf16le');
    const lone = 'a\uD800b';
    texts.push(lone);
    texts.push('kept');
    assert.equal(texts.at(0), lone);
    texts.forget(0);
    assert.equal(texts.at(0), undefined);
    assert.equal(texts.at(1), 'kept');
  });
});
