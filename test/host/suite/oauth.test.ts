// OAuth 2.0 profiles in a real VS Code: signing in through a VS Code authentication provider
// (the path `provider: "microsoft"` takes; here a test provider registered by this suite stands in
// for VS Code's built-in Microsoft one) and through the loopback redirect against a local
// authorization server (`provider: "custom"`, the "browser" driven over HTTP); the sign-in kept
// in SecretStorage under the profile's own key; sends that authenticate with XOAUTH2 against an
// in-process smtp-server that checks every token with the authorization server (RFC 7662); a
// refresh after the server refuses a token; "Sign In Again" after a revoked grant; signing out;
// and a tokenCommand from an untrusted workspace that never runs.
//
// The browser and the Microsoft provider id are replaced through the extension API's test hooks,
// which exist only in development/test mode. VS Code refuses to show its "wants to sign in"
// dialog in a test run, so the suite grants the extension access to the test account the way the
// Accounts menu does (the sign-in request command VS Code registers for a getSession without
// createIfNone); the extension's own getSession then finds an allowed session.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { SendAsEmailApi } from '../../../src/host/api';
import type { OAuthTestHooks } from '../../../src/host/oauth/environment';
import { readSettings } from '../../../src/host/settings';
import { startAuthorizationServer } from '../../support/oauth/authorization-server';
import type { AuthorizationServer } from '../../support/oauth/authorization-server';
import { EXTENSION_ID, activateExtension, clearUserSettings, openDraft, readLogUntil, run, setUserSetting, until } from './support/extension';
import { answering } from './support/dialogs';
import { startMailServer } from './support/mail-server';
import type { MailServer } from './support/mail-server';

const USERNAME = 'ann@host-test.local';
const FROM = 'Ann Lee <ann@host-test.local>';
const TEST_PROVIDER = 'send-as-email-test-microsoft';
const CLIENT_ID = '00000000-1111-2222-3333-444444444444';

/** Whether the authorization server says the token is active (RFC 7662), as a real SMTP server asks. */
async function introspect(auth: AuthorizationServer, token: string): Promise<boolean> {
  const response = await fetch(auth.introspectUrl, { method: 'POST', body: new URLSearchParams({ token }) });
  const body = (await response.json()) as { active?: unknown };
  return body.active === true;
}

function draftText(subject: string): string {
  return `---\nto: bob@example.com\nsubject: ${subject}\n---\nHi Bob,\n`;
}

async function resetSettings(): Promise<void> {
  await clearUserSettings('profiles', 'defaultProfile', 'confirmBeforeSend', 'trace');
}

/** A stand-in for VS Code's Microsoft provider: sessions whose access tokens the authorization server issued. */
class TestAuthenticationProvider implements vscode.AuthenticationProvider {
  private readonly changed = new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>();
  readonly onDidChangeSessions = this.changed.event;
  readonly sessions: vscode.AuthenticationSession[] = [];
  readonly requestedScopes: string[][] = [];

  constructor(private readonly issue: () => string) {}

  getSessions(scopes: readonly string[] | undefined): Promise<vscode.AuthenticationSession[]> {
    const wanted = scopes === undefined ? undefined : [...scopes].sort().join(' ');
    return Promise.resolve(this.sessions.filter((s) => wanted === undefined || [...s.scopes].sort().join(' ') === wanted));
  }

  createSession(scopes: readonly string[]): Promise<vscode.AuthenticationSession> {
    this.requestedScopes.push([...scopes]);
    const session = { id: `session-${this.sessions.length + 1}`, accessToken: this.issue(), account: { id: 'ann-account', label: USERNAME }, scopes: [...scopes] };
    this.sessions.push(session);
    this.changed.fire({ added: [session], removed: [], changed: [] });
    return Promise.resolve(session);
  }

  removeSession(id: string): Promise<void> {
    const index = this.sessions.findIndex((s) => s.id === id);
    const [removed] = index < 0 ? [] : this.sessions.splice(index, 1);
    if (removed !== undefined) this.changed.fire({ added: [], removed: [removed], changed: [] });
    return Promise.resolve();
  }
}

/**
 * Lets this extension use the test account without VS Code's consent dialog (which a test run
 * refuses to show): a getSession without createIfNone registers the Accounts menu's sign-in
 * request as a command; running it creates the session and records the extension as allowed.
 */
async function allowAccess(scopes: readonly string[]): Promise<void> {
  await vscode.authentication.getSession(TEST_PROVIDER, scopes, {});
  let request: string | undefined;
  await until(async () => {
    request = (await vscode.commands.getCommands(true)).find((id) => id.startsWith(`${TEST_PROVIDER}:`) && id.toLowerCase().includes(EXTENSION_ID));
    return request !== undefined;
  }, 'the Accounts menu sign-in request');
  await vscode.commands.executeCommand(request ?? '');
}

describe('oauth: signing in with a VS Code authentication provider (provider "microsoft")', function () {
  this.timeout(60_000);
  let api: SendAsEmailApi;
  let hooks: OAuthTestHooks;
  let auth: AuthorizationServer;
  let server: MailServer;
  let provider: TestAuthenticationProvider;
  let registration: vscode.Disposable;
  const PROFILE = 'ms';
  const scopes = ['https://outlook.office.com/SMTP.Send', 'offline_access', `VSCODE_CLIENT_ID:${CLIENT_ID}`, 'VSCODE_TENANT:common'];

  before(async () => {
    api = await activateExtension();
    assert.ok(api.oauth.testHooks, 'the test hooks are missing: the extension does not run in test mode');
    hooks = api.oauth.testHooks;
    auth = await startAuthorizationServer({ clientId: CLIENT_ID, username: USERNAME, accessTokenSeconds: 600 });
    server = await startMailServer(USERNAME, 'no-password-is-used', { acceptToken: (token) => introspect(auth, token) });
    provider = new TestAuthenticationProvider(() => auth.issueAccessToken(600));
    registration = vscode.authentication.registerAuthenticationProvider(TEST_PROVIDER, 'Test Microsoft', provider);
    hooks.setMicrosoftProvider(TEST_PROVIDER);
    await setUserSetting('profiles', {
      [PROFILE]: { host: '127.0.0.1', port: server.port, security: 'starttls', username: USERNAME, from: FROM, tls: { ca: server.caPath }, auth: 'oauth2', oauth: { provider: 'microsoft', clientId: CLIENT_ID } },
    });
    await setUserSetting('defaultProfile', PROFILE);
    await setUserSetting('confirmBeforeSend', false);
  });

  after(async () => {
    hooks?.setMicrosoftProvider(undefined);
    registration?.dispose();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await resetSettings();
    await server?.close();
    await auth?.close();
  });

  it('signs in through the provider with the SMTP scope, the application and the tenant, and keeps it under the profile\'s own key', async () => {
    assert.equal(await api.oauth.isSignedIn(PROFILE), false);
    await allowAccess(scopes);
    const outcome = await run('sendAsEmail.signIn', { profile: PROFILE });
    assert.deepEqual(outcome, { status: 'stored', profile: PROFILE });
    assert.deepEqual(provider.requestedScopes.map((s) => [...s].sort()), [[...scopes].sort()]);
    const key = (await api.oauth.grantKeyFor(PROFILE)) ?? '';
    assert.match(key, new RegExp(`^oauth2 smtp:${USERNAME}@127\\.0\\.0\\.1:${server.port} starttls ca=[0-9a-f]{64}$`));
    // A distinct key: the sign-in and a password of the same account never overwrite each other.
    assert.equal(key, `oauth2 ${(await api.secretKeyFor(PROFILE)) ?? ''}`);
    assert.equal(await api.hasStoredPassword(PROFILE), false);
    assert.equal(await api.oauth.isSignedIn(PROFILE), true);
  });

  it('sends with the provider\'s access token over XOAUTH2, and logs the step without the token', async () => {
    const before = server.received.length;
    await openDraft('oauth-ms.md', draftText('Signed in with Microsoft'));
    const outcome = await run('sendAsEmail.send');
    assert.equal(outcome.status, 'sent', JSON.stringify(outcome));
    assert.equal(server.received.length, before + 1);
    assert.equal(server.received.at(-1)?.user, USERNAME);
    const log = await readLogUntil(api, (text) => /AUTH XOAUTH2/.test(text) && text.includes('getting the access token for'), 'the send in the log');
    assert.match(log, new RegExp(`getting the access token for ${USERNAME}@127\\.0\\.0\\.1 from VS Code's "${TEST_PROVIDER}" account`));
    for (const secret of auth.secrets) assert.ok(!log.includes(secret), 'an access token is in the protocol log');
  });

  it('signs out; the next send asks to sign in first, and Escape sends nothing', async () => {
    assert.deepEqual(await run('sendAsEmail.signOut', { profile: PROFILE }), { status: 'forgotten', profile: PROFILE });
    assert.equal(await api.oauth.isSignedIn(PROFILE), false);
    const before = server.received.length;
    await openDraft('oauth-ms-2.md', draftText('After signing out'));
    const { result, shown } = await answering('showInformationMessage', () => undefined, () => run('sendAsEmail.send'));
    assert.deepEqual(result, { status: 'cancelled' });
    assert.equal(shown.length, 1, JSON.stringify(shown));
    assert.match(shown[0]?.message ?? '', new RegExp(`^Sign in to Microsoft as ${USERNAME} to send with profile "${PROFILE}"\\?$`));
    assert.equal(server.received.length, before);
  });

  it('the first send without a sign-in asks, signs in when told to, then sends', async () => {
    const before = server.received.length;
    await openDraft('oauth-ms-3.md', draftText('Signed in on the way'));
    const { result } = await answering('showInformationMessage', (s) => (s.buttons.includes('Sign In') ? 'Sign In' : undefined), () => run('sendAsEmail.send'));
    assert.equal(result.status, 'sent', JSON.stringify(result));
    assert.equal(server.received.length, before + 1);
    assert.equal(await api.oauth.isSignedIn(PROFILE), true);
  });

  it('counts the profile as not signed in once the account is signed out of VS Code itself', async () => {
    for (const session of [...provider.sessions]) await provider.removeSession(session.id);
    await until(async () => !(await api.oauth.isSignedIn(PROFILE)), 'the profile to count as signed out');
    await openDraft('oauth-ms-4.md', draftText('Account gone'));
    const { result, shown } = await answering('showInformationMessage', () => undefined, () => run('sendAsEmail.send'));
    assert.deepEqual(result, { status: 'cancelled' });
    assert.match(shown[0]?.message ?? '', /^Sign in to Microsoft as /);
  });
});

describe('oauth: signing in through the loopback redirect (provider "custom")', function () {
  this.timeout(60_000);
  let api: SendAsEmailApi;
  let hooks: OAuthTestHooks;
  let auth: AuthorizationServer;
  let server: MailServer;
  const opened: string[] = [];
  const PROFILE = 'custom';

  before(async () => {
    api = await activateExtension();
    assert.ok(api.oauth.testHooks, 'the test hooks are missing: the extension does not run in test mode');
    hooks = api.oauth.testHooks;
    auth = await startAuthorizationServer({ clientId: 'loopback-client', username: USERNAME, accessTokenSeconds: 600 });
    server = await startMailServer(USERNAME, 'no-password-is-used', { acceptToken: (token) => introspect(auth, token) });
    // The "browser": follows the authorization server's redirect to the extension's loopback listener.
    hooks.setOpenBrowser(async (url) => {
      opened.push(url);
      const approval = await fetch(url, { redirect: 'manual' });
      const location = approval.headers.get('location');
      assert.ok(location, `no redirect from ${url}`);
      await (await fetch(location)).text();
    });
    await setUserSetting('profiles', {
      [PROFILE]: {
        host: '127.0.0.1',
        port: server.port,
        security: 'starttls',
        username: USERNAME,
        from: FROM,
        tls: { ca: server.caPath },
        auth: 'oauth2',
        oauth: { provider: 'custom', authorizeUrl: auth.authorizeUrl, tokenUrl: auth.tokenUrl, clientId: 'loopback-client', scopes: ['smtp'] },
      },
    });
    await setUserSetting('defaultProfile', PROFILE);
    await setUserSetting('confirmBeforeSend', false);
  });

  after(async () => {
    hooks?.setOpenBrowser(undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await resetSettings();
    await server?.close();
    await auth?.close();
  });

  it('signs in: the browser goes to the authorization endpoint with PKCE and state, and the grant is kept under the profile\'s key', async () => {
    const outcome = await run('sendAsEmail.signIn', { profile: PROFILE });
    assert.deepEqual(outcome, { status: 'stored', profile: PROFILE });
    assert.equal(opened.length, 1);
    const request = new URL(opened[0] ?? '');
    assert.equal(`${request.origin}${request.pathname}`, auth.authorizeUrl);
    assert.equal(request.searchParams.get('code_challenge_method'), 'S256');
    assert.match(request.searchParams.get('state') ?? '', /^\S{16,}$/);
    assert.match(request.searchParams.get('redirect_uri') ?? '', /^http:\/\/127\.0\.0\.1:\d+\/$/);
    assert.equal(auth.counters.codeExchanges, 1);
    assert.match((await api.oauth.grantKeyFor(PROFILE)) ?? '', new RegExp(`^oauth2 smtp:${USERNAME}@127\\.0\\.0\\.1:${server.port} starttls ca=`));
    assert.equal(await api.oauth.isSignedIn(PROFILE), true);
  });

  it('sends; when the server refuses a token it ended early, refreshes once and sends, with no token in the log', async () => {
    const before = server.received.length;
    await openDraft('oauth-custom.md', draftText('First with the loopback grant'));
    assert.equal((await run('sendAsEmail.send')).status, 'sent');
    assert.equal(auth.counters.refreshes, 0);
    auth.expireAccessTokens();
    await openDraft('oauth-custom-2.md', draftText('After a refused token'));
    const outcome = await run('sendAsEmail.send');
    assert.equal(outcome.status, 'sent', JSON.stringify(outcome));
    assert.equal(auth.counters.refreshes, 1);
    assert.equal(server.received.length, before + 2);
    const log = await readLogUntil(api, (text) => text.includes('refreshing the access token for'), 'the refresh in the log');
    assert.match(log, new RegExp(`refreshing the access token for ${USERNAME}@127\\.0\\.0\\.1`));
    for (const secret of auth.secrets) assert.ok(!log.includes(secret), 'a token, code or verifier is in the protocol log');
  });

  it('pinning the server\'s certificate keeps the sign-in: the grant moves to the pinned key, the next send needs no browser', async () => {
    const unpinned = vscode.workspace.getConfiguration('sendAsEmail').inspect('profiles')?.globalValue;
    const exchanges = auth.counters.codeExchanges;
    const before = server.received.length;
    try {
      const tested = await run('sendAsEmail.testProfile', { profile: PROFILE, pin: true });
      assert.equal(tested.status, 'tested', JSON.stringify(tested));
      if (tested.status === 'tested') assert.equal(tested.pinned, true);
      await until(async () => (await api.oauth.grantKeyFor(PROFILE))?.includes(' pin=') === true, 'the pinned grant key');
      assert.equal(await api.oauth.isSignedIn(PROFILE), true, 'pinning the certificate signed the profile out');
      await openDraft('oauth-custom-pinned.md', draftText('After pinning the certificate'));
      const sent = await run('sendAsEmail.send');
      assert.equal(sent.status, 'sent', JSON.stringify(sent));
      assert.equal(server.received.length, before + 1);
      assert.equal(auth.counters.codeExchanges, exchanges, 'the send signed in again through the browser');
    } finally {
      await setUserSetting('profiles', unpinned);
    }
  });

  it('Set SMTP Password… stores no password for it and points to Sign In to SMTP Profile…', async () => {
    const { result, shown } = await answering('showInformationMessage', () => undefined, () => run('sendAsEmail.setPassword', { profile: PROFILE, password: 'not-for-oauth' }));
    assert.equal(result.status, 'unavailable', JSON.stringify(result));
    assert.equal(await api.hasStoredPassword(PROFILE), false);
    assert.deepEqual(shown.map((s) => s.message), [`Profile "${PROFILE}" signs in with OAuth — use "Sign In to SMTP Profile…".`]);
    assert.deepEqual(shown[0]?.buttons, ['Sign In']);
  });

  it('a revoked grant fails the send with "Sign In Again", which signs in and sends', async () => {
    const before = server.received.length;
    auth.revokeAll();
    auth.expireAccessTokens();
    await openDraft('oauth-custom-3.md', draftText('After a revoked grant'));
    const { result, shown } = await answering('showErrorMessage', (s) => (s.buttons.includes('Sign In Again') ? 'Sign In Again' : undefined), () => run('sendAsEmail.send'));
    assert.equal(result.status, 'failed', JSON.stringify(result));
    if (result.status === 'failed') assert.match(result.advice, /Sign In to SMTP Profile/);
    assert.ok(shown.some((s) => s.buttons.includes('Sign In Again')), JSON.stringify(shown));
    // The button signed in through the browser again and sent the same message.
    await until(() => server.received.length === before + 1, 'the send after signing in again', 20_000);
    assert.equal(auth.counters.codeExchanges, 2);
    assert.equal(auth.counters.refusedRefreshes, 1);
  });

  it('signs out: the stored grant is deleted', async () => {
    assert.deepEqual(await run('sendAsEmail.signOut', { profile: PROFILE }), { status: 'forgotten', profile: PROFILE });
    assert.equal(await api.oauth.isSignedIn(PROFILE), false);
  });
});

describe('oauth: a tokenCommand from an untrusted workspace is never run', function () {
  this.timeout(60_000);
  let api: SendAsEmailApi;
  let server: MailServer;
  let marker: string;

  before(async () => {
    api = await activateExtension();
    server = await startMailServer(USERNAME, 'no-password-is-used', { acceptToken: () => Promise.resolve(false) });
    marker = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'send-as-email-token-command-')), 'ran');
    const helper = {
      host: '127.0.0.1',
      port: server.port,
      security: 'starttls',
      username: USERNAME,
      tls: { ca: server.caPath },
      auth: 'oauth2',
      // Leaves a mark when it runs, and prints a token the server refuses.
      oauth: { tokenCommand: [process.execPath, '-e', `require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran'); process.stdout.write('helper-token')`] },
    };
    await vscode.workspace.getConfiguration('sendAsEmail').update('profiles', { helper }, vscode.ConfigurationTarget.Workspace);
    await until(() => vscode.workspace.getConfiguration('sendAsEmail').inspect<Record<string, unknown>>('profiles')?.workspaceValue?.['helper'] !== undefined, 'the workspace profile');
  });

  after(async () => {
    await vscode.workspace.getConfiguration('sendAsEmail').update('profiles', undefined, vscode.ConfigurationTarget.Workspace);
    await resetSettings();
    await server?.close();
    fs.rmSync(path.dirname(marker), { recursive: true, force: true });
  });

  it('runs it when the workspace is trusted, and not at all when it is not', async () => {
    // Trusted (as code-server runs): the workspace profile is used and its helper runs.
    const trusted = await run('sendAsEmail.testProfile', { profile: 'helper' });
    assert.equal(trusted.status, 'failed', JSON.stringify(trusted));
    assert.ok(fs.existsSync(marker), 'the trusted workspace\'s tokenCommand did not run');
    fs.rmSync(marker);

    const original = Object.getOwnPropertyDescriptor(vscode.workspace, 'isTrusted');
    assert.ok(original);
    Object.defineProperty(vscode.workspace, 'isTrusted', { get: () => false, configurable: true });
    try {
      // A settings change makes the extension read its settings again, now untrusted.
      await setUserSetting('trace', 'verbose');
      assert.ok(readSettings(vscode.workspace.getConfiguration('sendAsEmail'), false).hiddenByTrust.includes('helper'));
      const tested = await run('sendAsEmail.testProfile', { profile: 'helper' });
      assert.equal(tested.status, 'unavailable', JSON.stringify(tested));
      const signIn = await run('sendAsEmail.signIn', { profile: 'helper' });
      assert.equal(signIn.status, 'unavailable', JSON.stringify(signIn));
      assert.equal(await api.oauth.isSignedIn('helper'), false);
      assert.ok(!fs.existsSync(marker), 'an untrusted workspace made the editor run its tokenCommand');
    } finally {
      Object.defineProperty(vscode.workspace, 'isTrusted', original);
      await setUserSetting('trace', 'messages');
    }
  });
});
