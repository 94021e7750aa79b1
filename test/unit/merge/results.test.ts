/**
 * The merge's per-row results (results.ts), kept outside the heap until the summary. Guards
 * against: a result whose text comes back different (CJK, an empty reply told apart from none),
 * counts that disagree with the list, and the pushed objects kept again (a 10,000-row run held
 * them all, objects that V8 copied and promoted while the run went on).
 */
import assert from 'node:assert/strict';
import { RowResults } from '../../../src/core/merge/results';
import type { RowResult } from '../../../src/core/merge/types';

describe('merge results kept for the summary', () => {
  it('gives back every result as it was pushed, with the counts', () => {
    const pushed: RowResult[] = [
      { row: 1, status: 'sent', recipient: 'ann@example.test', messageId: '<1.abc@example.test>', detail: '250 2.0.0 Ok: queued as 4F2', file: undefined },
      { row: 2, status: 'invalid', recipient: '', messageId: undefined, detail: 'email: a value is missing', file: undefined },
      { row: 3, status: 'written', recipient: '张三@例子.公司', messageId: '<3.def@例子.公司>', detail: '', file: '/tmp/out/003-张三@例子.公司.eml' },
      { row: 7, status: 'not-attempted', recipient: 'bob@example.test', messageId: undefined, detail: undefined, file: undefined },
      { row: 8, status: 'unknown', recipient: '😀@example.test', messageId: '<8@x>', detail: 'started on 2026-12-02T10:00:00.000Z, no reply recorded', file: undefined },
    ];
    const results = new RowResults();
    for (const r of pushed) results.push(r);
    assert.equal(results.length, 5);
    assert.deepEqual(results.list(), pushed);
    assert.deepEqual(results.counts(), { written: 1, sent: 1, failed: 0, invalid: 1, 'already-sent': 0, unknown: 1, 'not-attempted': 1 });
  });

  it('keeps 20,000 results as text, not as the objects pushed', () => {
    const results = new RowResults();
    const first: RowResult = { row: 1, status: 'sent', recipient: 'p1@example.test', messageId: '<1@example.test>', detail: '250 ok', file: undefined };
    results.push(first);
    for (let i = 2; i <= 20_000; i++) {
      results.push({ row: i, status: i % 2 === 0 ? 'sent' : 'failed', recipient: `p${i}@example.test`, messageId: `<${i.toString(36)}.0123456789abcdef@example.test>`, detail: `250 2.0.0 Ok: queued as ${i.toString(16)}`, file: undefined });
    }
    const list = results.list();
    assert.equal(list.length, 20_000);
    assert.deepEqual(list[0], first);
    assert.notEqual(list[0], first, 'the pushed object itself was kept');
    assert.deepEqual(list[19_999], { row: 20_000, status: 'sent', recipient: 'p20000@example.test', messageId: '<ffk.0123456789abcdef@example.test>', detail: '250 2.0.0 Ok: queued as 4e20', file: undefined });
    assert.deepEqual([results.counts().sent, results.counts().failed], [10_001, 9_999]);
  });
});
