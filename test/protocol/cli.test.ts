/**
 * The `send-as-email` command line, in-process (`main(argv, io)`), against npm smtp-server over
 * STARTTLS with AUTH: exit statuses, `FILE:LINE:COL` problems, the trace on stderr, `--eml`
 * giving the exact bytes a send delivers, and nothing reaching the server for bad input.
 */
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli as run } from '../support/cli-in-process';
import { makeCertificate, requireAuth, startSmtpServer } from '../support/smtp-server-peer';
import type { PeerServer } from '../support/smtp-server-peer';

const PASSWORD = 'cli-Secret-9f3!';

describe('send-as-email command line', () => {
  let dir: string;
  let server: PeerServer;
  let config: string;
  /** The test server's certificate fingerprint, as `openssl x509 -fingerprint -sha256` shows it. */
  let fingerprint: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sae-cli-'));
    const cert = makeCertificate();
    fingerprint = new X509Certificate(cert.cert).fingerprint256;
    writeFileSync(join(dir, 'ca.pem'), cert.cert);
    server = await startSmtpServer({
      ...requireAuth(cert, 'ann', PASSWORD),
      onRcptTo(address, _session, callback) {
        if (address.address.startsWith('nobody@')) callback(Object.assign(new Error('5.1.1 No such user'), { responseCode: 550 }));
        else callback();
      },
    });
    config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({
      defaultProfile: 'local',
      profiles: {
        local: { host: 'localhost', port: server.port, security: 'starttls', username: 'ann', from: 'Ann <ann@example.test>', tls: { ca: join(dir, 'ca.pem') } },
        other: { host: 'localhost', port: server.port, security: 'starttls', username: 'ann', tls: { ca: join(dir, 'ca.pem') } },
      },
    }));
    writeFileSync(join(dir, 'note.txt'), 'attached\n');
  });

  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function draft(name: string, text: string): string {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  }

  it('check prints FILE:LINE:COL for each problem and exits 2 on errors', async () => {
    const path = draft('bad.md', '---\nto: bob@example.test, not-an-address\nsubject: hi\nattach: ./missing.pdf\n---\nbody\n');
    const result = await run(['check', path]);
    assert.equal(result.code, 2);
    const lines = result.err.split('\n');
    assert.ok(lines.some((l) => l.startsWith(`${path}:2:`) && l.includes(': error: ') && l.includes('not-an-address')), result.err);
    assert.ok(lines.some((l) => l.startsWith(`${path}:4:9: error: `) && l.includes('missing.pdf')), result.err);
  });

  it('check exits 0 on a clean draft and still prints warnings', async () => {
    const path = draft('warn.txt', '---\nto: bob@example.test\nsubjet: typo\n---\nbody\n');
    const result = await run(['check', path]);
    assert.equal(result.code, 0);
    assert.match(result.err, new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:1: warning: `, 'm'));
  });

  it('exits 2 with the usage for bad usage', async () => {
    for (const argv of [[], ['frobnicate'], ['send'], ['send', 'a', 'b'], ['send', 'x.md', '--bogus'], ['send', 'x.md', '--trace', 'loud']]) {
      const result = await run(argv);
      assert.equal(result.code, 2, argv.join(' '));
      assert.match(result.err, /Usage:/);
    }
  });

  it('sends over STARTTLS with AUTH, and --eml wrote exactly the delivered bytes', async () => {
    const path = draft('ok.md', '---\nto: Bob <bob@example.test>\nbcc: audit@example.test\nsubject: 周报\nattach: note.txt\n---\n# Hi\n\n. dotted line\n');
    const eml = join(dir, 'ok.eml');
    const env = { SOURCE_DATE_EPOCH: '1764424320', SEND_AS_EMAIL_PASSWORD: PASSWORD };
    const before = server.connections;
    const written = await run(['send', path, '--config', config, '--eml', eml], env);
    assert.equal(written.code, 0, written.err);
    assert.equal(server.connections, before, '--eml must not connect');
    const sent = await run(['send', path, '--config', config], env);
    assert.equal(sent.code, 0, sent.err);
    assert.match(sent.out, /^Sent <[0-9a-f]{32}@example\.test> to 2 recipient\(s\)/);
    const received = server.messages.at(-1);
    assert.ok(received);
    assert.deepEqual(received.to, ['bob@example.test', 'audit@example.test']);
    assert.ok(received.data.equals(readFileSync(eml)), 'delivered bytes differ from --eml');
    assert.doesNotMatch(received.data.toString('latin1').split('\r\n\r\n')[0] ?? '', /^bcc:/im);
    // The trace on stderr: C:/S: lines, STARTTLS, AUTH redacted, no password in any form.
    assert.match(sent.err, /^C: STARTTLS$/m);
    assert.match(sent.err, /^S: 235 /m);
    assert.match(sent.err, /^C: AUTH PLAIN \*+$/m);
    for (const form of [PASSWORD, Buffer.from(PASSWORD).toString('base64'), Buffer.from(`\0ann\0${PASSWORD}`).toString('base64')]) {
      assert.ok(!sent.err.includes(form) && !sent.out.includes(form), 'password leaked into output');
    }
  });

  it('--eml needs no profile when the draft has "from:", even with several and no default', async () => {
    const several = join(dir, 'several.json');
    const raw = JSON.parse(readFileSync(config, 'utf8')) as { profiles: unknown };
    writeFileSync(several, JSON.stringify({ profiles: raw.profiles }));
    const path = draft('from.txt', '---\nfrom: Zed <zed@example.test>\nto: bob@example.test\nsubject: x\n---\nhello\n');
    const eml = join(dir, 'from.eml');
    const before = server.connections;
    const written = await run(['send', path, '--config', several, '--eml', eml]);
    assert.equal(written.code, 0, written.err);
    assert.match(readFileSync(eml, 'utf8'), /^From: Zed <zed@example\.test>\r$/m);
    assert.equal(server.connections, before);
    // Sending still has to choose: several profiles and no default is a usage error.
    const sent = await run(['send', path, '--config', several], { SEND_AS_EMAIL_PASSWORD: PASSWORD });
    assert.equal(sent.code, 2);
    assert.match(sent.err, /several profiles/i);
  });

  it('--trace off prints no transcript', async () => {
    const path = draft('quiet.txt', '---\nto: bob@example.test\nsubject: quiet\n---\nhello\n');
    const result = await run(['send', path, '--config', config, '--trace', 'off'], { SEND_AS_EMAIL_PASSWORD: PASSWORD });
    assert.equal(result.code, 0, result.err);
    assert.equal(result.err, '');
  });

  it('exits 1 with one readable line when the password is wrong', async () => {
    const path = draft('auth.txt', '---\nto: bob@example.test\nsubject: x\n---\nhello\n');
    const result = await run(['send', path, '--config', config, '--trace', 'off'], { SEND_AS_EMAIL_PASSWORD: 'wrong-password' });
    assert.equal(result.code, 1);
    assert.equal(result.err.split('\n').length, 1);
    assert.match(result.err, /^send-as-email: Authentication failed.*535/);
    assert.doesNotMatch(result.err, /at .*\.ts:\d+/, 'no stack trace');
    // Issue 7.13: the CLI's advice names its own steps, never the extension's commands.
    assert.match(result.err, /SEND_AS_EMAIL_PASSWORD/);
    assert.doesNotMatch(result.err, /Set SMTP Password/);
  });

  it('exits 1 naming each refused recipient, and delivers nothing to anyone', async () => {
    const path = draft('refused.txt', '---\nto: bob@example.test, nobody@example.test\nsubject: x\n---\nhello\n');
    const delivered = server.messages.length;
    const result = await run(['send', path, '--config', config, '--trace', 'off'], { SEND_AS_EMAIL_PASSWORD: PASSWORD });
    assert.equal(result.code, 1);
    assert.match(result.err, /nobody@example\.test \(550/);
    // With PIPELINING the DATA command was already on the wire; the client sends no content and
    // drops the transaction, so the accepted recipient gets nothing (see src/core/smtp/client.ts).
    assert.equal(server.messages.length, delivered);
  });

  it('exits 2 and connects to nothing for a bad draft, an unknown profile, a missing password, no sender or a bad SOURCE_DATE_EPOCH', async () => {
    const before = server.connections;
    const bad = draft('bad2.txt', '---\nto: [\n---\n');
    assert.equal((await run(['send', bad, '--config', config], { SEND_AS_EMAIL_PASSWORD: PASSWORD })).code, 2);
    const good = draft('good.txt', '---\nto: bob@example.test\nsubject: x\n---\nhello\n');
    const unknown = await run(['send', good, '--config', config, '--profile', 'nope'], { SEND_AS_EMAIL_PASSWORD: PASSWORD });
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /no profile "nope".*known: local, other/i);
    const noPassword = await run(['send', good, '--config', config], { SEND_AS_EMAIL_PASSWORD: undefined });
    assert.equal(noPassword.code, 2);
    assert.match(noPassword.err, /SEND_AS_EMAIL_PASSWORD/);
    const noSender = await run(['send', good, '--config', config, '--profile', 'other'], { SEND_AS_EMAIL_PASSWORD: PASSWORD });
    assert.equal(noSender.code, 2);
    assert.match(noSender.err, /No sender/);
    const badEpoch = await run(['send', good, '--config', config], { SEND_AS_EMAIL_PASSWORD: PASSWORD, SOURCE_DATE_EPOCH: 'yesterday' });
    assert.equal(badEpoch.code, 2);
    assert.match(badEpoch.err, /SOURCE_DATE_EPOCH/);
    // Checked before the password is asked for (here: before the missing password is noticed).
    const badEpochFirst = await run(['send', good, '--config', config], { SEND_AS_EMAIL_PASSWORD: undefined, SOURCE_DATE_EPOCH: 'yesterday' });
    assert.match(badEpochFirst.err, /SOURCE_DATE_EPOCH/);
    assert.equal(server.connections, before);
  });

  it('test-profile connects, secures, authenticates and lists what the server offers', async () => {
    const result = await run(['test-profile', '--config', config, '--trace', 'off'], { SEND_AS_EMAIL_PASSWORD: PASSWORD });
    assert.equal(result.code, 0, result.err);
    assert.match(result.out, /secure: yes; authenticated with (PLAIN|LOGIN)/);
    assert.match(result.out, /^ {2}PIPELINING$/m);
  });

  it('test-profile shows the server certificate fingerprint, ready to pin', async () => {
    const result = await run(['test-profile', '--config', config, '--trace', 'off'], { SEND_AS_EMAIL_PASSWORD: PASSWORD });
    assert.equal(result.code, 0, result.err);
    assert.match(result.out, /^ {2}TLS: TLSv1\.[23], certificate verified$/m);
    assert.ok(result.out.includes(`  certificate SHA-256: ${fingerprint}\n`), result.out);
    assert.ok(result.out.includes(`"tls": { "fingerprint": "${fingerprint}" }`), result.out);
  });

  it('a profile pinned to that fingerprint works without the CA; another pin fails and shows the real one', async () => {
    const pinned = join(dir, 'pinned.json');
    const other = fingerprint.replace(/^../, fingerprint.startsWith('00') ? '01' : '00');
    const profile = (pin: string): Record<string, unknown> => ({ host: 'localhost', port: server.port, security: 'starttls', username: 'ann', tls: { fingerprint: pin } });
    writeFileSync(pinned, JSON.stringify({ profiles: { good: profile(fingerprint), bad: profile(other) } }));
    const good = await run(['test-profile', '--config', pinned, '--profile', 'good', '--trace', 'off'], { SEND_AS_EMAIL_PASSWORD: PASSWORD });
    assert.equal(good.code, 0, good.err);
    const bad = await run(['test-profile', '--config', pinned, '--profile', 'bad', '--trace', 'off'], { SEND_AS_EMAIL_PASSWORD: PASSWORD });
    assert.equal(bad.code, 1, bad.err);
    assert.match(bad.err, /tls\.fingerprint/);
    assert.ok(bad.err.includes(fingerprint), bad.err);
  });

  // Issue 7.3: pinning replaces allowSelfSigned, so a server whose certificate does not verify
  // must still show its fingerprint — else the advice "pin it" is a dead end.
  it('test-profile shows the fingerprint of a certificate that does not verify, to pin it', async () => {
    const untrusted = join(dir, 'untrusted.json');
    writeFileSync(untrusted, JSON.stringify({ profiles: { self: { host: 'localhost', port: server.port, security: 'starttls', username: 'ann' } } }));
    const result = await run(['test-profile', '--config', untrusted, '--trace', 'off'], { SEND_AS_EMAIL_PASSWORD: PASSWORD });
    assert.equal(result.code, 1, result.err);
    assert.match(result.err, /"fingerprint"/);
    assert.ok(result.err.includes(fingerprint), result.err);
  });

  it('--version prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
    const result = await run(['--version']);
    assert.equal(result.code, 0);
    assert.equal(result.out, version);
  });
});
