/**
 * End to end with the built CLI (dist/cli.js): Postfix delivers, then the copy goes to the
 * sender's Sent folder over IMAP on the same instance's Dovecot. The recipients' mailboxes and
 * the Sent folder hold the same bytes, with no Bcc anywhere; an IMAP failure after the send
 * leaves exit 0, a warning naming the stage, and the message kept (0600) in
 * $XDG_STATE_HOME/send-as-email/unsent-copies, which `retry-save-sent` files later.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readImapAccount } from '../support/servers/dovecot-imap';
import type { StoredMessage } from '../support/servers/dovecot-imap';
import { aliceSubmissionProfile, freePort, secretForms, startPostfix, useServer } from '../support/servers/index';

const ROOT = resolve(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');

describe('send-as-email CLI: copy in the Sent folder (Postfix + Dovecot, end to end)', function () {
  this.timeout(90_000);
  const running = useServer('Postfix', () => startPostfix());
  let dir: string;
  let state: string;

  before(function () {
    execFileSync(process.execPath, [join(ROOT, 'esbuild.js')], { cwd: ROOT, stdio: 'inherit' });
    dir = mkdtempSync(join(tmpdir(), 'sae-sent-e2e-'));
    state = join(dir, 'state');
  });

  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** A config whose IMAP side is the instance's Dovecot (plaintext on loopback) at `imapPort`. */
  function writeConfig(imapPort: number): string {
    const m = running();
    const file = join(dir, `config-${imapPort}.json`);
    writeFileSync(
      file,
      JSON.stringify({
        defaultProfile: 'work',
        profiles: {
          work: {
            ...aliceSubmissionProfile(m),
            imap: { host: 'localhost', port: imapPort, security: 'none' },
            saveSent: 'always',
          },
        },
      }),
    );
    return file;
  }

  function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
    const env: NodeJS.ProcessEnv = { ...process.env, SEND_AS_EMAIL_PASSWORD: running().user('alice').password, XDG_STATE_HOME: state };
    delete env['SOURCE_DATE_EPOCH'];
    const result = spawnSync(process.execPath, [CLI, ...args], { env, encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  function draft(name: string, token: string): string {
    const file = join(dir, name);
    writeFileSync(file, ['---', 'to: Bob <bob@example.test>', 'cc: carol@example.test', 'bcc: audit@example.test', `subject: Sent copy ${token}`, '---', 'Hello — a copy of this goes to Sent.', ''].join('\n'));
    return file;
  }

  async function sentFolder(): Promise<StoredMessage[]> {
    const m = running();
    const alice = m.user('alice');
    const { mailboxes } = await readImapAccount({ host: '127.0.0.1', port: m.imapPort, ca: undefined, user: alice.address, password: alice.password }, undefined);
    if (!mailboxes.some((box) => box.name === 'Sent')) return [];
    return (await readImapAccount({ host: '127.0.0.1', port: m.imapPort, ca: undefined, user: alice.address, password: alice.password }, 'Sent')).messages;
  }

  it('files the bytes the recipients got in Sent, \\Seen, with no Bcc anywhere; the IMAP session is traced without the password', async () => {
    const m = running();
    const token = `ok-${Date.now()}`;
    const sent = cli(['send', draft('ok.md', token), '--config', writeConfig(m.imapPort)]);
    assert.equal(sent.status, 0, sent.stderr + sent.stdout);
    assert.match(sent.stdout, /Filed a copy in "Sent" on localhost:\d+\./);
    assert.match(sent.stderr, /^C: \S+ ID \(/m);
    assert.match(sent.stderr, /^S: \S+ OK .*APPEND/im);
    assert.match(sent.stderr, /^C: (\S+ AUTHENTICATE \S+ |\S+ LOGIN )?\*\*\*\*$/m, 'the IMAP login is shown masked');
    const alice = m.user('alice');
    for (const form of secretForms(alice.address, alice.password)) assert.ok(!sent.stderr.includes(form) && !sent.stdout.includes(form), 'a form of the password is in the output');

    const [copy] = (await sentFolder()).filter((message) => message.bytes.includes(token));
    assert.ok(copy, 'no copy in Sent');
    assert.ok(copy.flags.includes('\\Seen'));
    for (const user of ['bob', 'carol', 'audit']) {
      const delivered = await m.waitForMessage(user, token, 20_000);
      assert.ok(delivered.equals(copy.bytes), `${user}'s message differs from the Sent copy`);
    }
    const text = copy.bytes.toString('utf8').toLowerCase();
    assert.ok(!/^bcc:/m.test(text) && !text.includes('audit@'), 'the Sent copy names the Bcc');
  });

  it('an IMAP failure after the send: exit 0, a warning with the stage, the message kept 0600; retry-save-sent files it', async () => {
    const m = running();
    const token = `kept-${Date.now()}`;
    const closed = await freePort();
    const sent = cli(['send', draft('kept.md', token), '--config', writeConfig(closed), '--trace', 'off']);
    assert.equal(sent.status, 0, sent.stderr + sent.stdout);
    assert.match(sent.stderr, /^send-as-email: warning: Sent, but the copy to the Sent folder failed \(stage connect\): .*ECONNREFUSED/m);
    const folder = join(state, 'send-as-email', 'unsent-copies');
    const emls = readdirSync(folder).filter((name) => name.endsWith('.eml'));
    assert.equal(emls.length, 1);
    const keptFile = join(folder, emls[0] ?? '');
    assert.ok(sent.stderr.includes(keptFile), 'the warning does not say where the message is');
    assert.equal(statSync(keptFile).mode & 0o777, 0o600);
    assert.equal(statSync(folder).mode & 0o777, 0o700);
    const delivered = await m.waitForMessage('bob', token, 20_000);
    assert.ok(readFileSync(keptFile).equals(delivered), 'the kept message differs from what was delivered');
    assert.equal((await sentFolder()).filter((message) => message.bytes.includes(token)).length, 0);

    // Still unreachable: the copy stays, exit 1.
    const again = cli(['retry-save-sent', '--config', writeConfig(closed), '--trace', 'off']);
    assert.equal(again.status, 1, again.stderr);
    assert.equal(readdirSync(folder).filter((name) => name.endsWith('.eml')).length, 1);

    const retried = cli(['retry-save-sent', '--config', writeConfig(m.imapPort), '--trace', 'off']);
    assert.equal(retried.status, 0, retried.stderr + retried.stdout);
    assert.match(retried.stdout, /Filed a copy in "Sent"/);
    assert.deepEqual(readdirSync(folder), []);
    const [copy] = (await sentFolder()).filter((message) => message.bytes.includes(token));
    assert.ok(copy?.bytes.equals(delivered), 'the retried copy differs from what was delivered');
  });
});
