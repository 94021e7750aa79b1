/**
 * The merge's send path, piece by piece. Bugs guarded against: the end-of-data dot written
 * before the row's `started` record is on disk (a power cut could then lose the record of a
 * delivered message, and a re-run would send it twice); a journal record still queued when the
 * process is killed; a composed message written to the socket in dozens of small writes; a
 * constant `attach:` re-checked on disk for every row, or blanked so that a row's problem
 * moves to another line.
 */
import assert from 'node:assert/strict';
import { pbkdf2 } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { checkRow, JournalWriter, parseJournal, parseMergeData, planMerge, RowReuse, scanTemplate } from '../../../src/core/merge';
import { withoutConstantAttach } from '../../../src/core/merge/constant-attach';
import { gatedBody, readAll } from '../../../src/core/merge/gated-body';
import type { MergeRow } from '../../../src/core/merge';

function row(values: Record<string, string>, number = 1): MergeRow {
  return { number, values: new Map(Object.entries(values)) };
}

describe('merge send path', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sae-merge-send-'));
    writeFileSync(join(dir, 'a.txt'), 'file a');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  describe('the body handed to the SMTP client', () => {
    it('does not end (the client writes the final dot at the end) before the gate opens', async () => {
      let open: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => (open = resolve));
      const body = gatedBody(Readable.from([Buffer.from('a\r\n'), Buffer.from('b\r\n')]), gate);
      const first = await body.next();
      assert.equal(Buffer.from(first.value ?? []).toString(), 'a\r\nb\r\n', 'small chunks gathered into one piece');
      let ended = false;
      const end = body.next().then((r) => (ended = r.done === true));
      await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal(ended, false, 'still waiting for the journal');
      open();
      await end;
      assert.equal(ended, true);
    });

    it('a message read ahead is one piece, also held until the gate; a failed sync fails the body', async () => {
      const bytes = await readAll(Readable.from(['x\r\n', Buffer.from('y\r\n')]));
      assert.equal(bytes.toString(), 'x\r\ny\r\n');
      const failing = gatedBody(bytes, Promise.reject(new Error('EIO: fdatasync')));
      assert.equal((await failing.next()).value, bytes);
      await assert.rejects(failing.next(), /EIO/);
    });

    it('pieces stay at most 64 KiB: a large attachment is streamed, not held', async () => {
      const chunks = Array.from({ length: 40 }, () => Buffer.alloc(4096, 0x61));
      const sizes: number[] = [];
      for await (const piece of gatedBody(Readable.from(chunks), Promise.resolve())) sizes.push(piece.length);
      assert.deepEqual(sizes, [65536, 65536, 32768]);
    });
  });

  describe('the journal', () => {
    it('a record is in the file when append returns (nothing queued for a killed process to lose)', async () => {
      const path = join(dir, 'j.jsonl');
      const writer = await JournalWriter.open(path);
      // Every thread of libuv's pool busy: a write queued there (an asynchronous one) could not
      // have happened yet when the file is read below.
      const busy = Array.from({ length: 16 }, () => new Promise((resolve) => pbkdf2('p', 's', 200_000, 32, 'sha256', resolve)));
      writer.append({ row: 1, state: 'started', at: 't', to: ['a@example.test'], messageId: '<1@x>' });
      assert.equal(parseJournal(readFileSync(path, 'utf8')).get(1)?.state, 'started');
      await Promise.all(busy);
      writer.append({ row: 1, state: 'sent', at: 't', to: ['a@example.test'], messageId: '<1@x>', reply: '250 ok' });
      await writer.durable();
      assert.equal(parseJournal(readFileSync(path, 'utf8')).get(1)?.state, 'sent');
      await writer.close();
    });
  });

  describe('a constant attach:', () => {
    const draft = '---\nsubject: S\nattach:\n  - a.txt\nto: "{{ email }}"\n---\nHi {{ name }}\n';

    it('is blanked out line for line; with a placeholder in it, or none at all, nothing is blanked', async () => {
      const reduced = await withoutConstantAttach(scanTemplate(draft));
      assert.equal(reduced?.text, '---\nsubject: S\n\n\nto: "{{ email }}"\n---\nHi {{ name }}\n');
      assert.deepEqual(reduced.placeholders.map((p) => `${p.name}@${p.start.line}:${p.start.column}`), ['email@5:6', 'name@7:4']);
      assert.equal(await withoutConstantAttach(scanTemplate('---\nto: a@example.test\nattach: "{{ file }}"\n---\nx\n')), undefined);
      assert.equal(await withoutConstantAttach(scanTemplate('---\nto: "{{ email }}"\n---\nx\n')), undefined);
    });

    it('is checked with the first row only; every row still carries the file, and a row problem keeps its line', async () => {
      const reuse = new RowReuse();
      const first = await checkRow(scanTemplate(draft), row({ email: 'a@example.test', name: 'A' }), { text: draft, format: 'markdown', baseDir: dir }, reuse);
      assert.deepEqual(first.checked?.draft.attachments.map((a) => a.filename), ['a.txt']);
      unlinkSync(join(dir, 'a.txt'));
      const second = await checkRow(scanTemplate(draft), row({ email: 'b@example.test', name: 'B' }, 2), { text: draft, format: 'markdown', baseDir: dir }, reuse);
      assert.deepEqual(second.checked?.draft.attachments.map((a) => a.filename), ['a.txt'], 'not looked up on disk again');
      const bad = await checkRow(scanTemplate(draft), row({ email: 'bad', name: 'C' }, 3), { text: draft, format: 'markdown', baseDir: dir }, reuse);
      const errors = bad.problems.filter((p) => p.problem.severity === 'error');
      assert.deepEqual(errors.map((p) => (p.where === 'row' ? p.problem.start.line : 0)), [5]);
    });

    it('in a plan: a file missing from the start is still the draft\'s error, once', async () => {
      const plan = await planMerge({ source: { text: draft.replace('a.txt', 'gone.txt'), format: 'markdown', baseDir: dir }, data: await parseMergeData('email,name\na@example.test,A\nb@example.test,B\n', 'csv'), limit: undefined });
      assert.equal(plan.fatal, true);
      assert.equal(plan.problems.filter((p) => p.where === 'draft').length, 1);
    });
  });
});
