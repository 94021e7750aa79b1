/**
 * The plan's checked rows, reused by the send (src/core/merge/checked-rows.ts). Bugs guarded
 * against: the send checking every row a second time; kept rows growing without bound on a long
 * list; a row handed out twice; a file removed between the plan and the send taking the whole
 * merge down instead of failing its row alone.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CheckedDraft } from '../../../src/core/compose-draft';
import { randomIdentity } from '../../../src/core/identity';
import { CheckedRows } from '../../../src/core/merge/checked-rows';
import { RowReuse } from '../../../src/core/merge/render';
import type { RowCheck } from '../../../src/core/merge/render';
import { parseMergeData } from '../../../src/core/merge/data';
import { planMerge } from '../../../src/core/merge/plan';
import { runMerge } from '../../../src/core/merge/run';
import { makeDraft } from '../../support/mime-drafts';

/** A row's check as checkRow gives it: the checked draft, and the same draft with its body value still a marker. */
function checkedRow(row: number, bodyCharacters: number, body = `${'x'.repeat(bodyCharacters)} \uE0000\uE001`): RowCheck {
  const marked: CheckedDraft = { draft: makeDraft({ body }), markdown: undefined, warnings: [] };
  return { row, checked: marked, problems: [], recipients: ['a@example.test'], marked: { checked: marked, values: ['Ann'] } };
}

describe('merge: the plan\'s checked rows, reused by the send', () => {
  it('hands each kept row out once, as a copy: nothing of the check\'s own objects is held', () => {
    const rows = new CheckedRows(new RowReuse());
    rows.keep(1, checkedRow(1, 10));
    assert.equal(rows.take(1)?.checked?.draft.body, `${'x'.repeat(10)} Ann`, 'the body value put back');
    assert.equal(rows.take(1), undefined);
    assert.equal(rows.take(2), undefined);
    const check = checkedRow(4, 10);
    rows.keep(4, check);
    const taken = rows.take(4)?.checked?.draft;
    assert.notEqual(taken?.to, check.marked?.checked.draft.to, 'made anew, not the parser\'s array');
    assert.deepEqual(taken?.to, check.marked?.checked.draft.to);
  });

  it('keeps rows while its budget lasts, then none: a list of any length holds at most 2 MiB of them', () => {
    const rows = new CheckedRows(new RowReuse());
    // About 600 KB of JSON each, bodies that differ (the first row's is kept once, as the shared
    // body): the budget of 2 MiB holds rows 2 to 4 besides.
    for (const row of [1, 2, 3, 4, 5]) rows.keep(row, checkedRow(row, 0, `${row}${'x'.repeat(600_000)}`));
    assert.equal(rows.take(5), undefined, 'over the budget: not kept');
    assert.ok(rows.take(1) !== undefined);
    assert.ok(rows.take(2) !== undefined);
    rows.keep(6, checkedRow(6, 10));
    assert.equal(rows.take(6), undefined, 'the budget is spent once');
    assert.equal(rows.take(4)?.checked?.draft.body.slice(0, 2), '4x');
  });

  it('keeps the body that rows share once, not in every row: a thousand rows of a 10 KB body fit', () => {
    const rows = new CheckedRows(new RowReuse());
    const body = `${'x'.repeat(10_000)} \uE0000\uE001`;
    for (let row = 1; row <= 1000; row++) rows.keep(row, checkedRow(row, 0, body));
    assert.equal(rows.take(1000)?.checked?.draft.body, `${'x'.repeat(10_000)} Ann`);
    assert.equal(rows.take(1)?.checked?.draft.body, `${'x'.repeat(10_000)} Ann`);
  });

  describe('with a plan and a run', () => {
    let dir = '';
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'sae-merge-checked-'));
      for (const name of ['a', 'b', 'c']) writeFileSync(join(dir, `${name}.txt`), `file ${name}\n`);
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('the plan keeps what it checked; a file removed after the plan fails its row alone', async () => {
      const text = '---\nfrom: A <a@example.test>\nto: "{{ email }}"\nsubject: Yours\nattach: "{{ file }}"\n---\nHello\n';
      const source = { format: 'markdown' as const, baseDir: dir };
      const data = await parseMergeData('email,file\nann@example.test,a.txt\nbob@example.test,b.txt\ncy@example.test,c.txt\n', 'csv');
      const plan = await planMerge({ source: { ...source, text }, data, limit: undefined });
      assert.equal(plan.fatal, false);
      unlinkSync(join(dir, 'b.txt'));
      const summary = await runMerge({ plan, source, mode: 'dry-run', outDir: join(dir, 'out'), session: undefined, senderProfile: undefined, ratePerMinute: undefined, journalPath: undefined, resendUnknown: false, identity: (_row, _text, sender) => randomIdentity(sender), signal: undefined });
      assert.deepEqual(summary.results.map((r) => r.status), ['written', 'invalid', 'written']);
      assert.match(summary.results[1]?.detail ?? '', /b\.txt/);
      assert.equal(plan.checkedRows?.take(1), undefined, 'the send took the plan\'s rows');
    });
  });
});
