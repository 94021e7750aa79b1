/**
 * OAuth 2.0 end to end, all on loopback, through the chain a provider runs: the command line
 * signs in with the authorization code + PKCE flow (the "browser" is an HTTP client following
 * the printed URL to the CLI's 127.0.0.1 redirect), then sends through Postfix, whose SASL
 * goes to a Dovecot that checks every token at the authorization server (RFC 7662). Tokens live
 * 3 seconds, so refreshing is real; revoking the grant shows what a user sees when a sign-in
 * is no longer valid. Every output is searched for every secret the server handed out.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli-in-process';
import type { CliRun } from '../support/cli-in-process';
import { useServer } from '../support/servers/index';
import { startOAuthChain } from '../support/servers/oauth-chain';
import { sleep } from '../support/servers/processes';

describe('send-as-email login + OAuth 2.0 → Postfix + Dovecot oauth2 passdb (end to end)', function () {
  this.timeout(90_000);
  const running = useServer('The OAuth chain', () => startOAuthChain({ accessTokenSeconds: 3 }));
  let dir: string;
  let config: string;
  let grantsFile: string;
  let tokenFile: string;
  /** Everything the CLI printed, for the leak check at the end. */
  const printed: string[] = [];

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'sae-oauth-e2e-'));
    config = join(dir, 'config.json');
    grantsFile = join(dir, 'xdg', 'send-as-email', 'oauth-grants.json');
    tokenFile = join(dir, 'token.txt');
    const helper = join(dir, 'print-token.js');
    // A tokenCommand helper: prints the token a test put in token.txt; fails loudly without one.
    writeFileSync(
      helper,
      `const fs = require('node:fs');\ntry { process.stdout.write(fs.readFileSync(${JSON.stringify(tokenFile)}, 'utf8') + '\\n'); }\ncatch { process.stderr.write('helper: not signed in (run helper login)\\n'); process.exit(3); }\n`,
    );
    const c = running();
    const base = { host: 'localhost', port: c.port, security: 'starttls', username: c.user.address, from: `Alice <${c.user.address}>`, tls: { ca: c.postfix.certificate.certPath } };
    const oauth = { provider: 'custom', authorizeUrl: c.authServer.authorizeUrl, tokenUrl: c.authServer.tokenUrl, clientId: c.clientId, scopes: ['https://mail.example.test/smtp'] };
    writeFileSync(
      config,
      JSON.stringify({
        defaultProfile: 'oauth',
        profiles: {
          oauth: { ...base, auth: 'oauth2', oauth },
          xoauth2: { ...base, auth: 'xoauth2', oauth },
          oauthbearer: { ...base, auth: 'oauthbearer', oauth },
          helper: { ...base, auth: 'oauth2', oauth: { tokenCommand: [process.execPath, helper] } },
          // Signs in as alice (the server's only user) but names bob: Dovecot refuses the token.
          otheruser: { ...base, username: `bob@${c.postfix.domain}`, auth: 'oauth2', oauth },
        },
      }),
    );
  });

  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** The CLI in this process, with its own config folder and no display (no browser is started). */
  async function cli(argv: string[], onOut?: (line: string) => void): Promise<CliRun> {
    const env = { XDG_CONFIG_HOME: join(dir, 'xdg'), DISPLAY: undefined, WAYLAND_DISPLAY: undefined, SEND_AS_EMAIL_PASSWORD: undefined, DBUS_SESSION_BUS_ADDRESS: undefined };
    const run = await runCli(['--config', config, ...argv], env, onOut);
    printed.push(run.out, run.err);
    return run;
  }

  /** The browser: open the authorization URL, follow its redirect to the CLI's loopback listener. */
  async function browse(url: string): Promise<number> {
    const first = await fetch(url, { redirect: 'manual' });
    const location = first.headers.get('location');
    assert.equal(first.status, 302, `authorization endpoint answered ${first.status}`);
    assert.ok(location !== null && location.startsWith('http://127.0.0.1:'), `redirect to ${location ?? 'nowhere'}`);
    const landing = await fetch(location);
    await landing.text();
    return landing.status;
  }

  async function login(profile: string): Promise<CliRun> {
    let landed: Promise<number> | undefined;
    const run = await cli(['login', '--profile', profile], (line) => {
      if (line.startsWith(running().authServer.authorizeUrl)) landed = browse(line);
    });
    assert.ok(landed, `login printed no authorization URL: ${run.out} ${run.err}`);
    assert.equal(await landed, 200);
    return run;
  }

  function draft(subject: string): string {
    const file = join(dir, `${subject}.md`);
    writeFileSync(file, ['---', `to: Bob <bob@example.test>`, `subject: ${subject}`, '---', '', `Body of ${subject}.`, ''].join('\n'));
    return file;
  }

  async function send(profile: string, subject: string, trace = 'messages'): Promise<CliRun> {
    return cli(['send', draft(subject), '--profile', profile, '--trace', trace, '--no-receipt']);
  }

  it('login prints the authorization URL, completes through the loopback redirect and keeps the grant in a 0600 file', async () => {
    const c = running();
    const before = c.authServer.counters.codeExchanges;
    const run = await login('oauth');
    assert.equal(run.code, 0, run.err);
    assert.match(run.out, /^Signed in: profile "oauth"/m);
    assert.equal(c.authServer.counters.codeExchanges, before + 1);
    assert.equal(statSync(grantsFile).mode & 0o777, 0o600);
    assert.equal(statSync(join(dir, 'xdg', 'send-as-email')).mode & 0o777, 0o700);
  });

  it('sends with OAUTHBEARER, which Postfix offers beside XOAUTH2 and the profile prefers', async () => {
    const subject = `oauthbearer-${Date.now()}`;
    const run = await send('oauth', subject);
    assert.equal(run.code, 0, run.err);
    assert.match(run.err, /^S: 250-AUTH (XOAUTH2 OAUTHBEARER|OAUTHBEARER XOAUTH2)$/m);
    assert.match(run.err, /^C: AUTH OAUTHBEARER \*\*\*\*$/m);
    assert.match(run.err, /^S: 235 /m);
    await running().postfix.waitForMessage('bob', subject);
  });

  for (const [profile, mechanism] of [
    ['xoauth2', 'XOAUTH2'],
    ['oauthbearer', 'OAUTHBEARER'],
  ] as const) {
    it(`"auth": "${profile}" uses ${mechanism} only`, async () => {
      const subject = `${profile}-${Date.now()}`;
      const run = await send(profile, subject);
      assert.equal(run.code, 0, run.err);
      assert.match(run.err, new RegExp(`^C: AUTH ${mechanism} \\*\\*\\*\\*$`, 'm'));
      await running().postfix.waitForMessage('bob', subject);
    });
  }

  it('test-profile authenticates with the stored sign-in and asks for no password', async () => {
    const run = await cli(['test-profile', '--profile', 'oauth']);
    assert.equal(run.code, 0, run.err);
    assert.match(run.out, /authenticated with OAUTHBEARER/);
    assert.doesNotMatch(run.err, /Password for/);
  });

  it('after the access token has expired, the next send refreshes it first', async () => {
    const c = running();
    await sleep(3200);
    const before = c.authServer.counters.refreshes;
    const subject = `refreshed-${Date.now()}`;
    const run = await send('oauth', subject);
    assert.equal(run.code, 0, run.err);
    assert.equal(c.authServer.counters.refreshes, before + 1);
    assert.match(run.err, new RegExp(`^\\*: refreshing the access token for ${c.user.address}@localhost$`, 'm'));
    // Refreshed before AUTH: the server took the first token offered.
    assert.equal(run.err.match(/^C: AUTH /gm)?.length, 1);
    await c.postfix.waitForMessage('bob', subject);
  });

  it('a token the server refuses early (334 error JSON, then 535) is refreshed once and AUTH is retried once', async () => {
    const c = running();
    // A token our clock calls fresh for a minute, so only the server's refusal can renew it.
    c.authServer.setAccessTokenSeconds(120);
    await login('oauth');
    c.authServer.setAccessTokenSeconds(3);
    c.authServer.expireAccessTokens();
    const before = c.authServer.counters.refreshes;
    const subject = `retried-${Date.now()}`;
    const run = await send('oauth', subject);
    assert.equal(run.code, 0, run.err);
    assert.equal(c.authServer.counters.refreshes, before + 1);
    // RFC 7628 3.2.3: the error challenge is answered with ^A (AQ==), then the 535 comes.
    assert.match(run.err, /^S: 334 eyJ[A-Za-z0-9+/=]+$/m);
    assert.match(run.err, /^C: AQ==$/m);
    assert.match(run.err, /^S: 535 /m);
    assert.equal(run.err.match(/^C: AUTH OAUTHBEARER \*\*\*\*$/gm)?.length, 2);
    await c.postfix.waitForMessage('bob', subject);
  });

  it('a revoked grant ends with exit 1 and advice to log in again; nothing is delivered', async () => {
    const c = running();
    c.authServer.revokeAll();
    c.authServer.expireAccessTokens();
    const delivered = (await c.postfix.readDelivered('bob')).length;
    const run = await send('oauth', `revoked-${Date.now()}`);
    assert.equal(run.code, 1, run.err);
    assert.match(run.err, /send-as-email login --profile oauth/);
    assert.match(run.err, /invalid_grant/);
    assert.doesNotMatch(run.err, /^C: MAIL FROM/m);
    await sleep(300);
    assert.equal((await c.postfix.readDelivered('bob')).length, delivered);
    // The dead grant is gone: the next send says "not signed in" without asking the server.
    const again = await send('oauth', `revoked-again-${Date.now()}`);
    assert.equal(again.code, 1);
    assert.match(again.err, /is not signed in/);
  });

  it('a token for another account is refused, renewed once, refused again: exit 1 with token advice, nothing sent', async () => {
    const c = running();
    await login('otheruser');
    const before = c.authServer.counters.refreshes;
    const run = await send('otheruser', `other-${Date.now()}`);
    assert.equal(run.code, 1, run.err);
    assert.equal(c.authServer.counters.refreshes, before + 1);
    assert.equal(run.err.match(/^C: AUTH OAUTHBEARER \*\*\*\*$/gm)?.length, 2);
    assert.match(run.err, /refused the access token: .*"username" is the account that signed in.*send-as-email login --profile otheruser/);
    // Dovecot's RFC 7628 error challenge, decoded for the user.
    assert.match(run.err, /the token was refused: status invalid_token/);
    assert.doesNotMatch(run.err, /^C: MAIL FROM/m);
  });

  it('a sign-in the user declines ends login with exit 1, the server\'s error and what to check', async () => {
    running().authServer.denyNext();
    let landed: Promise<number> | undefined;
    const run = await cli(['login', '--profile', 'oauth'], (line) => {
      if (line.startsWith(running().authServer.authorizeUrl)) landed = browse(line);
    });
    assert.equal(await landed, 400);
    assert.equal(run.code, 1);
    assert.match(run.err, /access_denied/);
    assert.match(run.err, /consent/);
  });

  it('logout removes the grant', async () => {
    await login('oauth');
    const grants = (): number => readFileSync(grantsFile, 'utf8').split('oauth2-grant').length - 1;
    const before = grants();
    const run = await cli(['logout', '--profile', 'oauth']);
    assert.equal(run.code, 0, run.err);
    assert.match(run.out, /Signed out: profile "oauth"/);
    assert.equal(grants(), before - 1);
    const send2 = await send('oauth', `logged-out-${Date.now()}`);
    assert.equal(send2.code, 1);
    assert.match(send2.err, /is not signed in.*send-as-email login --profile oauth/);
  });

  it('a tokenCommand profile sends with the token its helper prints; a failing helper shows its error, exit 1', async () => {
    const c = running();
    const failing = await send('helper', `helper-missing-${Date.now()}`);
    assert.equal(failing.code, 1);
    assert.match(failing.err, /helper: not signed in \(run helper login\)/);
    assert.match(failing.err, /exit status 3/);
    writeFileSync(tokenFile, c.authServer.issueAccessToken(60));
    const subject = `helper-${Date.now()}`;
    const run = await send('helper', subject);
    assert.equal(run.code, 0, run.err);
    assert.match(run.err, /^\*: running the token command for /m);
    await c.postfix.waitForMessage('bob', subject);
  });

  it('no access token, refresh token, code, verifier or SASL blob appears in anything printed, even at --trace verbose', async () => {
    const c = running();
    await login('oauth');
    const run = await send('oauth', `verbose-${Date.now()}`, 'verbose');
    assert.equal(run.code, 0, run.err);
    const secrets = [...c.authServer.secrets];
    assert.ok(secrets.length > 10, 'the server handed out tokens, codes and verifiers');
    const user = c.user.address;
    const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
    const blobs = secrets.flatMap((token) => [
      b64(`user=${user}\u0001auth=Bearer ${token}\u0001\u0001`),
      b64(`n,a=${user},\u0001host=localhost\u0001port=${c.port}\u0001auth=Bearer ${token}\u0001\u0001`),
    ]);
    const all = printed.join('\n');
    assert.deepEqual([...secrets, ...blobs].filter((s) => all.includes(s)), []);
  });
});
