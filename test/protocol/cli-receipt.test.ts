/**
 * The receipt and the resend guard on the command line, against npm smtp-server (STARTTLS +
 * AUTH): after a send the draft gains `sent:` and `message-id:` and is otherwise byte for byte
 * what it was; a second send is refused (exit 2, nothing reaches the server) unless --resend,
 * which sends with a new Message-ID and updates the receipt. Bug guarded against: the double
 * send — a file-based draft looks the same after sending, so sending it again was one command.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli-in-process';
import { makeCertificate, requireAuth, startSmtpServer } from '../support/smtp-server-peer';
import type { PeerServer } from '../support/smtp-server-peer';

const PASSWORD = 'receipt-Secret-4k!';
const ENV = { SEND_AS_EMAIL_PASSWORD: PASSWORD };
const DRAFT = '\uFEFF---\r\n# weekly\r\nto: Bob <bob@example.test>\r\ncc: carol@example.test\r\nsubject: Plans   # keep this comment\r\n---\r\nHello\r\n';
const RECEIPT = /sent: (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)\r\nmessage-id: "(<[^"]+>)"\r\n/;

function messageIdOf(data: Buffer): string {
  return /^Message-ID: (<[^>]+>)\r$/m.exec(data.toString('latin1'))?.[1] ?? '';
}

describe('send-as-email receipt and resend guard', () => {
  let dir: string;
  let server: PeerServer;
  let config: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sae-receipt-'));
    const cert = makeCertificate();
    writeFileSync(join(dir, 'ca.pem'), cert.cert);
    server = await startSmtpServer(requireAuth(cert, 'ann', PASSWORD));
    config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({
      profiles: { local: { host: 'localhost', port: server.port, security: 'starttls', username: 'ann', from: 'Ann <ann@example.test>', tls: { ca: join(dir, 'ca.pem') } } },
    }));
  });

  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function draft(name: string, text: string = DRAFT): string {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  }

  it('writes the receipt after the send; nothing else in the file changes, permissions kept', async () => {
    const path = draft('weekly.md');
    chmodSync(path, 0o600);
    const sent = await runCli(['send', path, '--config', config, '--trace', 'off'], ENV);
    assert.equal(sent.code, 0, sent.err);
    const delivered = server.messages.at(-1);
    assert.ok(delivered);
    const after = readFileSync(path, 'utf8');
    const match = RECEIPT.exec(after);
    assert.ok(match, after);
    assert.equal(match[2], messageIdOf(delivered.data), 'the receipt names the Message-ID that was sent');
    assert.ok(Math.abs(Date.parse(match[1] ?? '') - Date.now()) < 10 * 60_000, 'sent: is the time of the send');
    assert.equal(after.replace(RECEIPT, ''), DRAFT, 'only the receipt lines were added');
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(dir).filter((name) => name.includes('weekly')), ['weekly.md'], 'no temporary file left');

    const checked = await runCli(['check', path]);
    assert.equal(checked.code, 0, checked.err);
    assert.equal(checked.err, `${path}:6:1: note: sent on ${match[1] ?? ''} as ${match[2] ?? ''}`);
  });

  it('refuses a second send (exit 2, nothing sent) unless --resend, which gets a new Message-ID', async () => {
    const path = draft('twice.md');
    const epoch = { ...ENV, SOURCE_DATE_EPOCH: '1764424320' };
    assert.equal((await runCli(['send', path, '--config', config, '--trace', 'off'], epoch)).code, 0);
    const first = readFileSync(path, 'utf8');
    const firstId = RECEIPT.exec(first)?.[2];
    const count = server.messages.length;
    const connections = server.connections;

    const again = await runCli(['send', path, '--config', config, '--trace', 'off'], epoch);
    assert.equal(again.code, 2);
    assert.match(again.err, /^send-as-email: Sent on \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ to bob@example\.test, carol@example\.test — send again\?$/m);
    assert.match(again.err, /--resend/);
    assert.equal(server.messages.length, count, 'nothing was delivered');
    assert.equal(server.connections, connections, 'the refusal does not even connect');
    assert.equal(readFileSync(path, 'utf8'), first);

    const resent = await runCli(['send', path, '--config', config, '--trace', 'off', '--resend'], epoch);
    assert.equal(resent.code, 0, resent.err);
    assert.equal(server.messages.length, count + 1);
    const secondId = messageIdOf(server.messages.at(-1)?.data ?? Buffer.alloc(0));
    // Even with SOURCE_DATE_EPOCH (ids derived from the draft), the draft's own message-id is
    // never reused: a resend is a new message (RFC 5322 3.6.4).
    assert.notEqual(secondId, firstId);
    const second = readFileSync(path, 'utf8');
    assert.equal(RECEIPT.exec(second)?.[2], secondId, 'the receipt is updated in place');
    assert.equal(second.replace(RECEIPT, ''), DRAFT);
  });

  it('--no-receipt leaves the file alone; --eml never needs --resend', async () => {
    const path = draft('quiet.txt');
    const sent = await runCli(['send', path, '--config', config, '--trace', 'off', '--no-receipt'], ENV);
    assert.equal(sent.code, 0, sent.err);
    assert.equal(readFileSync(path, 'utf8'), DRAFT);

    const sentBefore = draft('eml.txt', DRAFT.replace('subject:', 'sent: 2026-12-01T08:00:00Z\r\nsubject:'));
    const written = await runCli(['send', sentBefore, '--config', config, '--eml', join(dir, 'x.eml')], ENV);
    assert.equal(written.code, 0, written.err);
  });

  it('warns but still succeeds when the draft cannot be rewritten after the send', async () => {
    const path = draft('gone.txt');
    // The draft is replaced by something without front matter while the message is sent: the
    // send counts, the file is not touched, and stderr says why there is no receipt.
    const server2Count = server.messages.length;
    const original = server.messages.push.bind(server.messages);
    server.messages.push = (...items) => {
      writeFileSync(path, 'no front matter any more\n');
      return original(...items);
    };
    try {
      const sent = await runCli(['send', path, '--config', config, '--trace', 'off'], ENV);
      assert.equal(sent.code, 0, sent.err);
      assert.equal(server.messages.length, server2Count + 1);
      assert.match(sent.err, /warning: the message was sent, but no receipt was written: the draft .* no longer has front matter/);
      assert.equal(readFileSync(path, 'utf8'), 'no front matter any more\n');
    } finally {
      server.messages.push = original;
    }
  });
});
