/**
 * `send-as-email merge` against npm smtp-server in-process. Bugs guarded against (each reported
 * against mail-merge tools): a dry run that connects; one bad address stopping the whole list; a
 * run that dies half-way and cannot be resumed without sending the first rows again; a quota
 * refusal answered by hammering on row after row; a process killed between the final dot and
 * the server's reply re-sending that row on the next run.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { SMTPServerDataStream, SMTPServerSession } from 'smtp-server';
import { runCli } from '../support/cli-in-process';

interface Received {
  readonly to: readonly string[];
  readonly data: string;
}

interface Peer {
  readonly port: number;
  readonly messages: Received[];
  connections: number;
  /** Reply to the DATA of a message whose text matches, instead of accepting it. */
  refuseData: Array<{ readonly match: RegExp; readonly code: number; readonly text: string; once: boolean }>;
  /** Called when the whole message is in and before the reply; the reply waits for the promise. */
  holdReply: ((data: string) => Promise<void>) | undefined;
  close(): Promise<void>;
}

async function startPeer(): Promise<Peer> {
  const peer: Peer = { port: 0, messages: [], connections: 0, refuseData: [], holdReply: undefined, close: () => Promise.resolve() };
  const server = new SMTPServer({
    logger: false,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    closeTimeout: 200,
    onConnect(_session, callback) {
      peer.connections++;
      callback();
    },
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith('refused')) {
        const error = Object.assign(new Error('5.1.1 No such user'), { responseCode: 550 });
        callback(error);
        return;
      }
      callback();
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const data = Buffer.concat(chunks).toString('utf8');
        const refusal = peer.refuseData.find((r) => r.match.test(data));
        if (refusal !== undefined) {
          if (refusal.once) peer.refuseData.splice(peer.refuseData.indexOf(refusal), 1);
          callback(Object.assign(new Error(refusal.text), { responseCode: refusal.code }));
          return;
        }
        const accept = (): void => {
          peer.messages.push({ to: session.envelope.rcptTo.map((r) => r.address), data });
          callback(null, 'Queued');
        };
        if (peer.holdReply === undefined) accept();
        else void peer.holdReply(data).then(accept);
      });
    },
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  return Object.assign(peer, {
    port: (server.server.address() as AddressInfo).port,
    close: () => new Promise<void>((done) => server.close(() => done())),
  });
}

const DRAFT = `---
from: Ann <ann@example.test>
to: '"{{ name }}" <{{ email }}>'
subject: Hello {{ name }}
attach: common.txt
merge: people.csv
---
Dear {{ name }}, your code is **{{ code }}**.
`;

function csv(rows: ReadonlyArray<readonly [string, string, string]>): string {
  return `\uFEFFname;email;code\r\n${rows.map((r) => r.join(';')).join('\r\n')}\r\n`;
}

function subjectsOf(peer: Peer): string[] {
  return peer.messages.map((m) => /^Subject: (.*)$/m.exec(m.data)?.[1]?.trim() ?? '');
}

function journal(dir: string): Array<{ row: number; state: string }> {
  return readFileSync(join(dir, 'people.sent.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as { row: number; state: string });
}

describe('send-as-email merge (smtp-server)', () => {
  let peer: Peer;
  let dir: string;
  let config: string;

  beforeEach(async () => {
    peer = await startPeer();
    dir = mkdtempSync(join(tmpdir(), 'sae-merge-'));
    writeFileSync(join(dir, 'common.txt'), 'for everyone\n');
    writeFileSync(join(dir, 'invite.md'), DRAFT);
    config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ profiles: { local: { host: '127.0.0.1', port: peer.port, security: 'none' } } }));
  });

  afterEach(async () => {
    await peer.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const draft = (): string => join(dir, 'invite.md');

  it('a dry run writes one .eml per row, named by row and recipient, and connects to nothing', async () => {
    writeFileSync(join(dir, 'people.csv'), csv([['Ann', 'ann@example.test', 'A1'], ['张三', 'zhang@example.test', 'Z/2'], ['*Bob*', 'bob@example.test', '<b>']]));
    // No config at all: the draft has from:, so nothing is needed to write the messages.
    const run = await runCli(['merge', draft(), '--config', join(dir, 'missing-is-fine.json')]);
    assert.equal(run.code, 2, 'an explicit missing config is a config error');
    const dry = await runCli(['merge', draft()], { SEND_AS_EMAIL_CONFIG: join(dir, 'none.json') });
    assert.equal(dry.code, 0, dry.err);
    assert.equal(peer.connections, 0);
    const files = readdirSync(join(dir, 'invite.merge')).sort();
    assert.deepEqual(files, ['001-ann@example.test.eml', '002-zhang@example.test.eml', '003-bob@example.test.eml']);
    const bob = readFileSync(join(dir, 'invite.merge', files[2] ?? ''), 'utf8');
    assert.match(bob, /^To: \*Bob\* <bob@example\.test>\r$/m);
    assert.ok(bob.includes('Dear *Bob*, your code is **<b>**.'), 'text part: the value literally');
    assert.ok(bob.includes('your code is <strong>&lt;b&gt;</strong>'), 'HTML part: the value as text inside the draft\'s own markup');
    assert.match(dry.out, /3 written to .*nothing was sent/);
    assert.match(readFileSync(join(dir, 'people.report.csv'), 'utf8'), /^name,email,code,status,message-id,reply\r\nAnn,ann@example\.test,A1,written,<[^>]+>,\r\n/);
  });

  it('--limit 1 sends the first row only, over one connection', async () => {
    writeFileSync(join(dir, 'people.csv'), csv([['Ann', 'ann@example.test', 'A1'], ['Bob', 'bob@example.test', 'B2']]));
    const run = await runCli(['merge', draft(), '--send', '--limit', '1', '--config', config, '--trace', 'off']);
    assert.equal(run.code, 0, run.err);
    assert.deepEqual(peer.messages.map((m) => m.to), [['ann@example.test']]);
    assert.equal(peer.connections, 1);
  });

  it('an unknown column stops everything before a connection: FILE:LINE:COL naming the columns, exit 2', async () => {
    writeFileSync(join(dir, 'people.csv'), csv([['Ann', 'ann@example.test', 'A1']]));
    writeFileSync(draft(), DRAFT.replace('{{ code }}', '{{ cdoe }}'));
    const run = await runCli(['merge', draft(), '--send', '--config', config]);
    assert.equal(run.code, 2);
    assert.ok(run.err.includes(`${draft()}:8:33: error: no column "cdoe" in the data; its columns are: name, email, code`), run.err);
    assert.equal(peer.connections, 0);
  });

  it('a refused address fails alone; a re-run skips sent rows and does not retry a permanent failure', async () => {
    writeFileSync(join(dir, 'people.csv'), csv([['Ann', 'ann@example.test', 'A1'], ['Ref', 'refused@example.test', 'R2'], ['Cy', 'cy@example.test', 'C3']]));
    const first = await runCli(['merge', draft(), '--send', '--config', config, '--trace', 'off']);
    assert.equal(first.code, 1, first.err);
    assert.deepEqual(subjectsOf(peer), ['Hello Ann', 'Hello Cy']);
    assert.equal(peer.connections, 1, 'one connection for the run');
    assert.match(first.out, /\[2\/3\] row 2 refused@example\.test: failed: 550 .*No such user/);
    const report = readFileSync(join(dir, 'people.report.csv'), 'utf8').split('\r\n');
    assert.match(report[2] ?? '', /^Ref,refused@example\.test,R2,failed,<[^>]+>,550 /);
    const second = await runCli(['merge', draft(), '--send', '--config', config, '--trace', 'off']);
    assert.equal(second.code, 1);
    assert.equal(peer.messages.length, 2, 'nothing sent twice');
    assert.equal(peer.connections, 1, 'a re-run with nothing to send connects to nothing');
    assert.match(second.out, /row 1 ann@example\.test: already-sent/);
  });

  it('a transient refusal is retried by the re-run; a quota reply stops the run, resumable', async () => {
    writeFileSync(join(dir, 'people.csv'), csv([['Ann', 'ann@example.test', 'A1'], ['Bob', 'bob@example.test', 'B2'], ['Cy', 'cy@example.test', 'C3'], ['Di', 'di@example.test', 'D4']]));
    peer.refuseData.push({ match: /code is \*\*A1/, code: 451, text: '4.3.0 Try again later', once: true });
    peer.refuseData.push({ match: /code is \*\*C3/, code: 550, text: '5.4.5 Daily user sending quota exceeded', once: true });
    const first = await runCli(['merge', draft(), '--send', '--config', config, '--trace', 'off']);
    assert.equal(first.code, 1);
    assert.deepEqual(subjectsOf(peer), ['Hello Bob']);
    assert.match(first.out, /row 4 di@example\.test: not-attempted/);
    assert.match(first.out, /Stopped: the server reports a sending limit \(550 5\.4\.5 Daily user sending quota exceeded\)/);
    const second = await runCli(['merge', draft(), '--send', '--config', config, '--trace', 'off']);
    assert.equal(second.code, 0, second.out);
    assert.deepEqual(subjectsOf(peer), ['Hello Bob', 'Hello Ann', 'Hello Cy', 'Hello Di']);
  });

  it('killed between the final dot and the reply: that row is unknown and not sent again; every other row exactly once', async function () {
    this.timeout(60_000);
    writeFileSync(join(dir, 'people.csv'), csv([['Ann', 'ann@example.test', 'A1'], ['Bob', 'bob@example.test', 'B2'], ['Cy', 'cy@example.test', 'C3']]));
    const child = spawn(process.execPath, ['--import', 'tsx', resolve('src/cli/main.ts'), 'merge', draft(), '--send', '--config', config, '--trace', 'off'], { stdio: 'ignore' });
    const exited = new Promise<void>((done) => child.on('exit', () => done()));
    // The server has the whole of row 2's message; before it answers, the sender dies.
    let release: () => void = () => undefined;
    const released = new Promise<void>((done) => (release = done));
    peer.holdReply = async (data) => {
      if (!data.includes('B2')) return;
      child.kill('SIGKILL');
      await exited;
      release();
    };
    await exited;
    await released;
    peer.holdReply = undefined;
    // The server accepted it after all: row 2 was delivered without the sender knowing.
    await new Promise((done) => setTimeout(done, 100));
    assert.deepEqual(subjectsOf(peer), ['Hello Ann', 'Hello Bob']);
    assert.deepEqual(journal(dir).map((r) => `${r.row}:${r.state}`), ['1:started', '1:sent', '2:started']);
    const rerun = await runCli(['merge', draft(), '--send', '--config', config, '--trace', 'off']);
    assert.equal(rerun.code, 1, 'an unknown row is not a success');
    assert.match(rerun.out, /row 2 bob@example\.test: unknown/);
    assert.match(rerun.out, /1 row\(s\) are unknown/);
    assert.deepEqual(subjectsOf(peer), ['Hello Ann', 'Hello Bob', 'Hello Cy'], 'each row exactly once');
    const resend = await runCli(['merge', draft(), '--send', '--resend-unknown', '--config', config, '--trace', 'off']);
    assert.equal(resend.code, 0, resend.out);
    assert.deepEqual(subjectsOf(peer), ['Hello Ann', 'Hello Bob', 'Hello Cy', 'Hello Bob'], '--resend-unknown sends the unknown row, only it');
  });
});
