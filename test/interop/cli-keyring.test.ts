/**
 * The command line keeps its OAuth grant in the OS keyring where one is running: a private
 * session bus with GNOME Keyring's Secret Service (temporary keyrings), the real OAuth chain
 * (authorization server → Postfix → Dovecot oauth2 passdb). Without a session bus, the 0600
 * file is used. Every output is searched for every secret the server handed out.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli-in-process';
import type { CliRun } from '../support/cli-in-process';
import { useServer } from '../support/servers/index';
import { startOAuthChain } from '../support/servers/oauth-chain';
import { startSecretService } from '../support/servers/secret-service';

describe('send-as-email login keeps the grant in the Secret Service keyring (GNOME Keyring, private bus)', function () {
  this.timeout(90_000);
  const running = useServer('The OAuth chain', () => startOAuthChain({ accessTokenSeconds: 60 }));
  const keyring = useServer('The Secret Service', () => startSecretService());
  let dir: string;
  let config: string;
  let grantsFile: string;
  const printed: string[] = [];

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'sae-keyring-e2e-'));
    config = join(dir, 'config.json');
    grantsFile = join(dir, 'xdg', 'send-as-email', 'oauth-grants.json');
    const c = running();
    const oauth = { provider: 'custom', authorizeUrl: c.authServer.authorizeUrl, tokenUrl: c.authServer.tokenUrl, clientId: c.clientId, scopes: ['https://mail.example.test/smtp'] };
    const profile = { host: 'localhost', port: c.port, security: 'starttls', username: c.user.address, from: `Alice <${c.user.address}>`, tls: { ca: c.postfix.certificate.certPath }, auth: 'oauth2', oauth };
    writeFileSync(config, JSON.stringify({ defaultProfile: 'oauth', profiles: { oauth: profile } }));
  });

  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function cli(argv: string[], bus: string | undefined, onOut?: (line: string) => void): Promise<CliRun> {
    const env = { XDG_CONFIG_HOME: join(dir, 'xdg'), DBUS_SESSION_BUS_ADDRESS: bus, DISPLAY: undefined, WAYLAND_DISPLAY: undefined, SEND_AS_EMAIL_PASSWORD: undefined };
    const run = await runCli(['--config', config, ...argv], env, onOut);
    printed.push(run.out, run.err);
    return run;
  }

  async function login(bus: string | undefined): Promise<CliRun> {
    let landed: Promise<number> | undefined;
    const run = await cli(['login', '--profile', 'oauth'], bus, (line) => {
      if (!line.startsWith(running().authServer.authorizeUrl)) return;
      landed = (async () => {
        const first = await fetch(line, { redirect: 'manual' });
        const location = first.headers.get('location');
        assert.ok(location !== null && location.startsWith('http://127.0.0.1:'));
        const landing = await fetch(location);
        await landing.text();
        return landing.status;
      })();
    });
    assert.ok(landed, 'login printed no authorization URL');
    assert.equal(await landed, 200);
    return run;
  }

  /** Whether the keyring holds a grant (its tokens are never printed). */
  async function keyringHoldsGrant(): Promise<boolean> {
    // `search` prints label and secret on stdout (attributes go to stderr, not captured).
    const found = await keyring().tool(['search', '--all', 'service', 'send-as-email']);
    return found.code === 0 && /^label = Send as Email sign-in \(/m.test(found.stdout) && /^secret = \{"type":"send-as-email\/oauth2-grant".*"refreshToken":"/m.test(found.stdout);
  }

  it('login stores the grant in the keyring, says so, and writes no sign-in file', async () => {
    const run = await login(keyring().address);
    assert.equal(run.code, 0, run.err);
    assert.match(run.out, /^Signed in: profile "oauth" .*; stored in the Secret Service keyring$/m);
    assert.equal(await keyringHoldsGrant(), true);
    assert.equal(existsSync(grantsFile), false);
  });

  it('a send authenticates with the grant from the keyring', async () => {
    const subject = `keyring-${Date.now()}`;
    writeFileSync(join(dir, 'draft.md'), ['---', 'to: Bob <bob@example.test>', `subject: ${subject}`, '---', '', 'Body.', ''].join('\n'));
    const run = await cli(['send', join(dir, 'draft.md'), '--profile', 'oauth', '--trace', 'messages', '--no-receipt'], keyring().address);
    assert.equal(run.code, 0, run.err);
    assert.match(run.err, /^S: 235 /m);
    await running().postfix.waitForMessage('bob', subject);
  });

  it('logout clears it from the keyring', async () => {
    const run = await cli(['logout', '--profile', 'oauth'], keyring().address);
    assert.equal(run.code, 0, run.err);
    assert.match(run.out, /^Signed out: profile "oauth"/m);
    assert.equal(await keyringHoldsGrant(), false);
    const again = await cli(['logout', '--profile', 'oauth'], keyring().address);
    assert.match(again.out, /was not signed in/);
  });

  it('without a session bus, login falls back to the 0600 file', async () => {
    const run = await login(undefined);
    assert.equal(run.code, 0, run.err);
    assert.match(run.out, new RegExp(`stored in ${grantsFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    assert.equal(existsSync(grantsFile), true);
    assert.equal(await keyringHoldsGrant(), false);
    // With the keyring back, a grant still in the file is read (keyring first, then the file), and logout removes it.
    const out = await cli(['logout', '--profile', 'oauth'], keyring().address);
    assert.match(out.out, /^Signed out: profile "oauth"/m);
    assert.doesNotMatch(readFileSync(grantsFile, 'utf8'), /oauth2-grant/);
  });

  it('no token, code or verifier appears in anything printed', () => {
    const all = printed.join('\n');
    assert.deepEqual([...running().authServer.secrets].filter((s) => all.includes(s)), []);
  });
});
