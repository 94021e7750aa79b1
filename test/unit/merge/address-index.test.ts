/**
 * The plan's index of addresses seen (address-index.ts), kept outside the heap. Guards against
 * a duplicate missed or invented (a To address in two rows must be warned about, never two
 * different ones), and against text that does not survive the buffer (CJK, an emoji, a lone
 * surrogate).
 */
import assert from 'node:assert/strict';
import { AddressIndex } from '../../../src/core/merge/address-index';

describe('merge plan: the index of addresses seen', () => {
  it('finds each address again with the row that named it first, and counts it', () => {
    const index = new AddressIndex();
    const addresses = ['a@example.test', '张三@例子.公司', '😀@example.test', 'lone\ud800@example.test', ''];
    addresses.forEach((address, i) => assert.equal(index.note(address, i + 1), undefined));
    addresses.forEach((address, i) => assert.equal(index.note(address, 10 + i), i + 1));
    assert.equal(index.note('a@example.test', 20), 1);
    assert.deepEqual(
      [...index.entries()].map((e) => [e.address, e.first, e.count]),
      [
        ['a@example.test', 1, 3],
        ['张三@例子.公司', 2, 2],
        ['😀@example.test', 3, 2],
        ['lone\ud800@example.test', 4, 2],
        ['', 5, 2],
      ],
    );
  });

  it('tells 20,000 addresses apart as the table grows', () => {
    const index = new AddressIndex();
    for (let row = 1; row <= 20_000; row++) assert.equal(index.note(`p${row}@example.test`, row), undefined);
    for (let row = 1; row <= 20_000; row += 997) assert.equal(index.note(`p${row}@example.test`, 30_000), row);
    assert.equal(index.note('P1@example.test', 30_001), undefined);
    assert.equal([...index.entries()].length, 20_001);
  });
});
