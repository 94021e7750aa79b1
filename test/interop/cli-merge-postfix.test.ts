/**
 * Mail merge end to end through a real MTA: Postfix submission (STARTTLS, SASL via Dovecot),
 * delivery to Maildirs, and the sender's Sent folder on Dovecot over IMAP.
 *
 * - 50 rows with CJK names and a per-row attachment: each recipient's mailbox holds exactly one
 *   message, with its own name, code and attachment; the Sent folder holds one copy per row.
 * - A refused address (Postfix's 550 5.1.1 at RCPT) fails alone; the rest are delivered.
 * - A run killed with SIGKILL mid-way and run again delivers every row exactly once; a row whose
 *   outcome the killed run never learnt is reported "unknown" and not sent again. (The exact
 *   window between the final dot and the reply is driven deterministically in
 *   test/protocol/cli-merge.test.ts, where the server holds its reply; here the kill lands
 *   wherever the run is.)
 * - A dry run connects to nothing: the config names no reachable server at all.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { simpleParser } from 'mailparser';
import { runCli } from '../support/cli-in-process';
import { readImapAccount } from '../support/servers/dovecot-imap';
import { aliceSubmissionProfile, freePort, startPostfix, useServer } from '../support/servers/index';

const ROWS = 50;
const PEOPLE = Array.from({ length: ROWS }, (_, i) => `p${String(i + 1).padStart(2, '0')}`);
const SURNAMES = ['张', '王', '李', '赵', '陈', '刘', '佐藤', '김'];

function nameOf(i: number): string {
  return `${SURNAMES[i % SURNAMES.length] ?? ''}${i + 1}号`;
}

const DRAFT = `---
to: '"{{ Name }}" <{{ email }}>'
subject: 合并 {{ name }} {{ token }}
attach: files/{{ file }}
merge: people.csv
headers:
  X-Merge-Token: {{ token }}
---
你好 {{ name }}, your code is **{{ code }}**.
`;

describe('mail merge: CLI → Postfix + Dovecot (50 rows, kill and resume, refusal, dry run)', function () {
  this.timeout(240_000);
  const running = useServer('Postfix', () => startPostfix({ localParts: ['alice', ...PEOPLE] }));
  let dir: string;

  before(function () {
    dir = mkdtempSync(join(tmpdir(), 'sae-merge-e2e-'));
  });

  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** A folder with the draft, per-row attachments and a CSV (semicolons, BOM, CRLF) of `people`. */
  function project(name: string, token: string, people: ReadonlyArray<{ readonly email: string; readonly index: number }>): string {
    const folder = join(dir, name);
    const files = join(folder, 'files');
    mkdirSync(files, { recursive: true });
    const lines = ['\uFEFFName;Email;Code;File;Token'];
    for (const { email, index } of people) {
      const file = `附件-${index + 1}.txt`;
      writeFileSync(join(files, file), `attachment of ${nameOf(index)} ${token}\n`);
      lines.push(`${nameOf(index)};${email};C-${index + 1};${file};${token}`);
    }
    writeFileSync(join(folder, 'people.csv'), `${lines.join('\r\n')}\r\n`);
    writeFileSync(join(folder, 'invite.md'), DRAFT);
    return folder;
  }

  function config(folder: string, sentCopy: boolean): string {
    const m = running();
    const file = join(folder, 'config.json');
    writeFileSync(
      file,
      JSON.stringify({
        profiles: {
          alice: {
            ...aliceSubmissionProfile(m),
            ...(sentCopy ? { imap: { host: 'localhost', port: m.imapPort, security: 'none' }, saveSent: 'always' } : { saveSent: 'never' }),
          },
        },
      }),
    );
    return file;
  }

  function env(): Record<string, string> {
    return { SEND_AS_EMAIL_PASSWORD: running().user('alice').password };
  }

  async function withToken(user: string, token: string): Promise<string[]> {
    return (await running().readDelivered(user)).map((b) => b.toString('utf8')).filter((text) => text.includes(token));
  }

  /** Waits until `count` messages with the token have arrived over all users (Postfix delivers asynchronously). */
  async function waitForAll(users: readonly string[], token: string, count: number): Promise<Map<string, string[]>> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const found = new Map<string, string[]>();
      let total = 0;
      for (const user of users) {
        const messages = await withToken(user, token);
        found.set(user, messages);
        total += messages.length;
      }
      if (total >= count || Date.now() > deadline) return found;
      await new Promise((done) => setTimeout(done, 250));
    }
  }

  it('50 rows with CJK names and per-row attachments: one message each, with its own values; one copy each in Sent', async () => {
    const token = `merge50-${Date.now()}`;
    const folder = project('fifty', token, PEOPLE.map((p, index) => ({ email: `${p}@example.test`, index })));
    const run = await runCli(['merge', join(folder, 'invite.md'), '--send', '--config', config(folder, true), '--trace', 'off'], env());
    assert.equal(run.code, 0, run.err + run.out);
    assert.match(run.out, new RegExp(`Merge: ${ROWS} row\\(s\\): ${ROWS} sent`));
    const found = await waitForAll(PEOPLE, token, ROWS);
    for (const [index, person] of PEOPLE.entries()) {
      const messages = found.get(person) ?? [];
      assert.equal(messages.length, 1, `${person} has ${messages.length} messages`);
      const parsed = await simpleParser(messages[0] ?? '');
      assert.equal(parsed.subject, `合并 ${nameOf(index)} ${token}`);
      assert.equal(parsed.to !== undefined && !Array.isArray(parsed.to) ? parsed.to.value[0]?.name : '', nameOf(index));
      assert.equal(parsed.text?.trim(), `你好 ${nameOf(index)}, your code is **C-${index + 1}**.`, `${person}: not its own values`);
      assert.deepEqual(parsed.attachments.map((a) => [a.filename, a.content.toString('utf8')]), [[`附件-${index + 1}.txt`, `attachment of ${nameOf(index)} ${token}\n`]]);
    }
    const alice = running().user('alice');
    const sent = await readImapAccount({ host: '127.0.0.1', port: running().imapPort, ca: undefined, user: alice.address, password: alice.password }, 'Sent');
    assert.equal(sent.messages.filter((m) => m.bytes.includes(token)).length, ROWS, 'one Sent copy per row');
    const report = readFileSync(join(folder, 'people.report.csv'), 'utf8');
    assert.equal(report.split('\r\n').filter((line) => line.includes(',sent,')).length, ROWS);
  });

  it('a refused address fails alone', async () => {
    const token = `refused-${Date.now()}`;
    const m = running();
    const folder = project('refused', token, [
      { email: 'p01@example.test', index: 0 },
      { email: `nobody@${m.strictDomain}`, index: 1 },
      { email: 'p03@example.test', index: 2 },
    ]);
    const run = await runCli(['merge', join(folder, 'invite.md'), '--send', '--config', config(folder, false), '--trace', 'off'], env());
    assert.equal(run.code, 1, run.out);
    assert.match(run.out, /row 2 nobody@strict\.test: failed: 550 5\.1\.1/);
    const found = await waitForAll(['p01', 'p03'], token, 2);
    assert.equal(found.get('p01')?.length, 1);
    assert.equal(found.get('p03')?.length, 1);
  });

  it('killed with SIGKILL mid-way, then run again: every row exactly once; unknown rows reported, not re-sent', async () => {
    const token = `killed-${Date.now()}`;
    const folder = project('killed', token, PEOPLE.map((p, index) => ({ email: `${p}@example.test`, index })));
    const configFile = config(folder, false);
    const journal = join(folder, 'people.sent.jsonl');
    const child = spawn(process.execPath, ['--import', 'tsx', resolve('src/cli/main.ts'), 'merge', join(folder, 'invite.md'), '--send', '--config', configFile, '--trace', 'off'], {
      stdio: 'ignore',
      env: { ...process.env, ...env() },
    });
    const exited = new Promise<void>((done) => child.on('exit', () => done()));
    // Kill once about half the rows have started: wherever the run is at that instant.
    for (;;) {
      const started = existsSync(journal) ? readFileSync(journal, 'utf8').split('\n').filter((l) => l.includes('"started"')).length : 0;
      if (started >= ROWS / 2) break;
      await new Promise((done) => setTimeout(done, 5));
    }
    child.kill('SIGKILL');
    await exited;
    const lastStates = new Map<number, string>();
    for (const line of readFileSync(journal, 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      try {
        const record = JSON.parse(line) as { row: number; state: string };
        lastStates.set(record.row, record.state);
      } catch {
        // A torn last line: the record was never complete.
      }
    }
    assert.ok(lastStates.size < ROWS, 'the kill came mid-way');
    const unknownRows = [...lastStates].filter(([, state]) => state === 'started').map(([row]) => row);

    const rerun = await runCli(['merge', join(folder, 'invite.md'), '--send', '--config', configFile, '--trace', 'off'], env());
    for (const row of unknownRows) assert.match(rerun.out, new RegExp(`row ${row} p${String(row).padStart(2, '0')}@example\\.test: unknown`));
    assert.equal(rerun.code, unknownRows.length === 0 ? 0 : 1, rerun.out);
    const found = await waitForAll(PEOPLE, token, ROWS - unknownRows.length);
    // Let any late delivery of the killed run arrive before counting.
    await new Promise((done) => setTimeout(done, 1500));
    for (const [index, person] of PEOPLE.entries()) {
      const count = (await withToken(person, token)).length;
      if (unknownRows.includes(index + 1)) assert.ok(count <= 1, `${person} (unknown) has ${count}`);
      else assert.equal(count, 1, `${person} has ${count} messages`);
    }
    assert.ok(found.size === ROWS);
  });

  it('a dry run connects to nothing (no server is listening at the profile\'s port)', async () => {
    const token = `dry-${Date.now()}`;
    const folder = project('dry', token, [{ email: 'p01@example.test', index: 0 }]);
    const closed = await freePort();
    const file = join(folder, 'config.json');
    writeFileSync(file, JSON.stringify({ profiles: { alice: { host: '127.0.0.1', port: closed, security: 'none', from: 'Alice <alice@example.test>' } } }));
    const run = await runCli(['merge', join(folder, 'invite.md'), '--config', file]);
    assert.equal(run.code, 0, run.err);
    assert.deepEqual(readdirSync(join(folder, 'invite.merge')), ['001-p01@example.test.eml']);
    assert.equal((await withToken('p01', token)).length, 0);
  });
});
