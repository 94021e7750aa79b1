/**
 * End to end through a real MTA: the built `send-as-email` binary (dist/cli.js, a child process)
 * sends drafts with To, Cc and Bcc through Postfix (submission, STARTTLS, SASL via Dovecot);
 * every recipient's Maildir gets the message, no delivered copy names the Bcc recipient, and the
 * message read back over IMAP is byte for byte what `--eml` wrote for the same draft.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { aliceSubmissionProfile, startPostfix, useServer } from '../support/servers/index';

const ROOT = resolve(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const EPOCH = '1764424320';

interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

describe('send-as-email CLI → Postfix + Dovecot (end to end)', function () {
  this.timeout(90_000);
  const running = useServer('Postfix', () => startPostfix());
  let dir: string;
  let config: string;

  before(() => {
    const mta = running();
    execFileSync(process.execPath, [join(ROOT, 'esbuild.js')], { cwd: ROOT, stdio: 'inherit' });
    dir = mkdtempSync(join(tmpdir(), 'sae-e2e-'));
    config = join(dir, 'config.json');
    writeFileSync(
      config,
      JSON.stringify({
        defaultProfile: 'submission',
        profiles: {
          submission: aliceSubmissionProfile(mta),
          smtps: { host: 'localhost', port: mta.smtpsPort, security: 'tls', username: 'alice@example.test', tls: { ca: mta.certificate.certPath } },
        },
      }),
    );
    writeFileSync(join(dir, 'report.csv'), 'week,closed\r\n48,105\r\n');
  });

  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function cli(args: string[], password: string | undefined): CliRun {
    const env: NodeJS.ProcessEnv = { ...process.env, SOURCE_DATE_EPOCH: EPOCH };
    delete env['SEND_AS_EMAIL_PASSWORD'];
    if (password !== undefined) env['SEND_AS_EMAIL_PASSWORD'] = password;
    const result = spawnSync(process.execPath, [CLI, ...args], { env, encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  function alicePassword(): string {
    return running().user('alice').password;
  }

  it('delivers to To, Cc and Bcc; no copy names the Bcc; IMAP read-back equals --eml', async () => {
    const m = running();
    const token = `e2e-${Date.now()}`;
    const draft = join(dir, 'weekly.md');
    writeFileSync(
      draft,
      [
        '---',
        'to: Bob Li <bob@example.test>',
        `cc: ['"Lee, Carol" <carol@example.test>']`,
        'bcc: audit@example.test',
        `subject: 周报 ${token} 📈`,
        'attach: ./report.csv',
        '---',
        'Hi Bob,',
        '',
        '. this line starts with a dot',
        '',
        '| team | closed |',
        '|------|-------:|',
        '| north | 45 |',
        '',
      ].join('\n'),
    );
    const eml = join(dir, 'weekly.eml');
    const written = cli(['send', draft, '--config', config, '--eml', eml], undefined);
    assert.equal(written.status, 0, written.stderr);
    const expected = readFileSync(eml);

    const sent = cli(['send', draft, '--config', config], alicePassword());
    assert.equal(sent.status, 0, sent.stderr + sent.stdout);
    assert.match(sent.stderr, /^C: STARTTLS$/m);
    assert.match(sent.stdout, /to 3 recipient\(s\)/);
    assert.ok(!sent.stderr.includes(alicePassword()), 'password in the trace');

    for (const user of ['bob', 'carol', 'audit']) {
      const [copy] = await m.waitForDelivery(user, 1, 20_000);
      assert.ok(copy, `${user} got nothing`);
      assert.ok(copy.equals(expected), `${user}'s copy differs from --eml`);
      assert.ok(!copy.toString('utf8').toLowerCase().includes('audit@'), `${user}'s copy names the Bcc recipient`);
    }
    // The raw stored copies of the visible recipients do not name the Bcc either (only audit's
    // own Delivered-To, added by Postfix at delivery, may).
    for (const user of ['bob', 'carol']) {
      const [raw] = await m.readDelivered(user, { raw: true });
      assert.ok(raw && !raw.toString('utf8').toLowerCase().includes('audit@'), `${user}'s stored copy names the Bcc`);
    }
    const [viaImap] = await m.readViaImap('bob');
    assert.ok(viaImap?.equals(expected), 'IMAP read-back differs from --eml');
  });

  it('sends a Bcc-only plaintext draft over implicit TLS without naming anyone', async () => {
    const m = running();
    const draft = join(dir, 'bcc-only.txt');
    const token = `bcc-only-${Date.now()}`;
    writeFileSync(draft, `---\nbcc: dave@example.test\nfrom: alice@example.test\nsubject: ${token}\n---\nOnly the envelope knows.\n`);
    const sent = cli(['send', draft, '--config', config, '--profile', 'smtps', '--trace', 'off'], alicePassword());
    assert.equal(sent.status, 0, sent.stderr);
    const copy = await m.waitForMessage('dave', token, 20_000);
    const text = copy.toString('utf8');
    assert.match(text, /^To: undisclosed-recipients:;\r$/m);
    assert.ok(!text.includes('dave@'), 'the Bcc address appears in the delivered message');
  });

  it('exits 1 on a wrong password and delivers nothing', async () => {
    const m = running();
    const draft = join(dir, 'wrong.txt');
    writeFileSync(draft, '---\nto: erin@strict.test\nsubject: wrong password\n---\nx\n');
    const before = (await m.readDelivered('erin@strict.test')).length;
    const sent = cli(['send', draft, '--config', config, '--trace', 'off'], 'not-the-password');
    assert.equal(sent.status, 1);
    assert.match(sent.stderr, /Authentication failed.*535/);
    assert.equal((await m.readDelivered('erin@strict.test')).length, before);
  });

  it('exits 1 naming a refused recipient, and the accepted one gets nothing', async () => {
    const m = running();
    const draft = join(dir, 'refused.txt');
    writeFileSync(draft, '---\nto: carol@example.test, nobody@strict.test\nsubject: refused\n---\nx\n');
    const before = (await m.readDelivered('carol')).length;
    const sent = cli(['send', draft, '--config', config, '--trace', 'off'], alicePassword());
    assert.equal(sent.status, 1);
    assert.match(sent.stderr, /nobody@strict\.test \(550/);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal((await m.readDelivered('carol')).length, before);
  });
});
