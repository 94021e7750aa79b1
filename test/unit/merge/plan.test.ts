/**
 * planMerge: everything checked before anything is sent. Bugs guarded against: a draft error
 * reported once per row (or not at all until row 212), one bad row stopping the list, the same
 * person mailed twice unnoticed, a fixed Cc silently receiving every message of the merge.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatMergeProblem, parseMergeData, planMerge } from '../../../src/core/merge';

describe('merge plan', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'sae-merge-plan-'));
    writeFileSync(join(dir, 'a.txt'), 'a');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  async function plan(draft: string, csv: string, limit?: number): Promise<{ fatal: boolean; bad: number[]; lines: string[] }> {
    const result = await planMerge({ source: { text: draft, format: 'markdown', baseDir: dir }, data: await parseMergeData(csv, 'csv'), limit });
    return { fatal: result.fatal, bad: [...result.badRows].sort(), lines: result.problems.map((p) => formatMergeProblem(p, 'd.md', 'p.csv')) };
  }

  it('a row with a bad address or a missing attachment fails alone; the draft is fine', async () => {
    const result = await plan('---\nsubject: S\nto: "{{ email }}"\nattach: "{{ file }}"\n---\nHi\n', 'email,file\na@example.test,a.txt\nbad,a.txt\nc@example.test,gone.txt\n');
    assert.equal(result.fatal, false);
    assert.deepEqual(result.bad, [2, 3]);
    assert.equal(result.lines.length, 2);
    assert.match(result.lines[0] ?? '', /^p\.csv:2: error: .*bad.* \(d\.md:3\)$/);
    assert.match(result.lines[1] ?? '', /^p\.csv:3: error: .*gone\.txt.* \(d\.md:4\)$/);
  });

  it('a problem on a line without a placeholder is the draft\'s: reported once, at FILE:LINE:COL, fatal', async () => {
    const result = await plan('---\nsubject: S\nto: "{{ email }}"\nattach: missing.pdf\n---\nHi\n', 'email\na@example.test\nb@example.test\n');
    assert.equal(result.fatal, true);
    assert.equal(result.lines.length, 1);
    assert.match(result.lines[0] ?? '', /^d\.md:4:\d+: error: .*missing\.pdf/);
  });

  it('warns about a recipient in two rows and a fixed Cc; --limit checks only the rows it takes', async () => {
    const draft = '---\nsubject: S\nto: "{{ email }}"\ncc: boss@example.test\n---\nHi\n';
    const result = await plan(draft, 'email\na@example.test\nb@example.test\nA@example.test\n');
    assert.equal(result.fatal, false);
    assert.deepEqual(result.lines, [
      'p.csv:3: warning: a@example.test also receives the message of row 1',
      'p.csv:1: warning: boss@example.test is a copy recipient (Cc/Bcc) of 3 messages: a fixed Cc or Bcc receives every message of the merge',
    ]);
    const limited = await plan(draft.replace('cc: boss@example.test\n', ''), 'email\na@example.test\nbad\n', 1);
    assert.deepEqual(limited, { fatal: false, bad: [], lines: [] });
  });

  it('an image in the body is checked (per row when its path holds a value)', async () => {
    const fixed = await plan('---\nsubject: S\nto: "{{ email }}"\n---\n![x](nothere.png)\n', 'email\na@example.test\nb@example.test\n');
    assert.equal(fixed.fatal, true);
    assert.equal(fixed.lines.length, 1);
    const perRow = await plan('---\nsubject: S\nto: "{{ email }}"\n---\n![x]({{ image }})\n', 'email,image\na@example.test,a.txt\nb@example.test,none.png\n');
    assert.deepEqual(perRow.bad, [1, 2], 'a.txt is not an image; none.png does not exist');
  });

  it('data without rows, or with a broken header, is fatal', async () => {
    assert.equal((await plan('---\nsubject: S\nto: "{{ email }}"\n---\nx', 'email\n')).fatal, true);
    assert.equal((await plan('---\nsubject: S\nto: "{{ email }}"\n---\nx', 'email,email\nx,y\n')).fatal, true);
  });
});
