/**
 * A merge whose `attach:` is the same for every row reads that file once for the whole run
 * (src/core/mime/attachment-cache.ts through RowReuse): every row's message carries the same
 * bytes, even when the file is changed while the merge runs, and a per-row `attach:` is still
 * read per row. Bugs guarded against: the shared file re-read for every message (thousands of
 * opens and reads, and two versions sent if it changes mid-run); a per-row file taken from the
 * cache of another row.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { randomIdentity } from '../../../src/core/identity';
import { readMergeData } from '../../../src/core/merge/data';
import { planMerge } from '../../../src/core/merge/plan';
import { runMerge } from '../../../src/core/merge/run';

async function dryRun(dir: string, draft: string, onRow: (index: number) => void): Promise<Map<string, string>> {
  const source = { format: 'markdown' as const, baseDir: dir };
  const plan = await planMerge({ source: { ...source, text: draft }, data: await readMergeData(join(dir, 'people.csv')), limit: undefined });
  assert.equal(plan.fatal, false, JSON.stringify(plan.problems));
  const out = join(dir, 'out');
  const summary = await runMerge(
    { plan, source, mode: 'dry-run', outDir: out, session: undefined, senderProfile: undefined, ratePerMinute: undefined, journalPath: undefined, resendUnknown: false, identity: (_row, _text, sender) => randomIdentity(sender), signal: undefined },
    { onRow: (index) => onRow(index) },
  );
  assert.equal(summary.counts.written, 3);
  const attached = new Map<string, string>();
  for (const file of readdirSync(out).sort()) {
    const parsed = await simpleParser(readFileSync(join(out, file)));
    attached.set(file.slice(0, 3), parsed.attachments.map((a) => a.content.toString('utf8')).join('|'));
  }
  return attached;
}

describe('merge: a shared attachment is read once per run', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sae-merge-shared-'));
    writeFileSync(join(dir, 'people.csv'), 'email,file\nann@example.test,a.txt\nbob@example.test,b.txt\ncy@example.test,c.txt\n');
    for (const name of ['a', 'b', 'c']) writeFileSync(join(dir, `${name}.txt`), `file ${name}\n`);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('gives every row the bytes the file had for the first row, though it changed after that row', async () => {
    writeFileSync(join(dir, 'terms.txt'), 'version 1\n');
    const draft = '---\nfrom: A <a@example.test>\nto: "{{ email }}"\nsubject: Terms\nattach: terms.txt\n---\nHello\n';
    const attached = await dryRun(dir, draft, (index) => {
      // Same size, other text: only a fresh read would notice.
      if (index === 1) writeFileSync(join(dir, 'terms.txt'), 'version 2\n');
    });
    assert.deepEqual([...attached.values()], ['version 1\n', 'version 1\n', 'version 1\n']);
  });

  it('still reads a per-row attachment for its own row', async () => {
    const draft = '---\nfrom: A <a@example.test>\nto: "{{ email }}"\nsubject: Yours\nattach: "{{ file }}"\n---\nHello\n';
    const attached = await dryRun(dir, draft, () => undefined);
    assert.deepEqual([...attached.values()], ['file a\n', 'file b\n', 'file c\n']);
  });
});
