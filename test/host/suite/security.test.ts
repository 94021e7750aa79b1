// What a hostile draft or workspace can and cannot do, in a real VS Code: the confirmation shows
// every file that leaves (inline images too, and a file outside the workspace by its real path),
// an untrusted workspace cannot switch the confirmation off, and a workspace profile that weakens
// the connection for the same user, host and port does not get the stored password.
//
// The dialogs are captured, not clicked: the suite runs in the extension's own host, where
// `vscode.window` and `vscode.workspace` are the very objects the extension calls, so replacing
// `showWarningMessage` or `showInputBox` for one test sees exactly what the user would see.
// code-server runs with --disable-workspace-trust; `workspace.isTrusted` is an accessor on that
// same object, so a test can make the extension see an untrusted workspace (see withUntrusted).
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { SendAsEmailApi } from '../../../src/host/api';
import { readSettings } from '../../../src/host/settings';
import { answering, replacing } from './support/dialogs';
import { EXTENSION_ID, activateExtension, openDraft, run, setUserSetting, until, workspaceFolder } from './support/extension';
import { startMailServer } from './support/mail-server';
import type { MailServer } from './support/mail-server';

const USERNAME = 'ann@host-test.local';

interface Captured {
  readonly message: string;
  readonly detail: string | undefined;
  readonly modal: boolean;
}

/** Runs `body` with every warning captured and answered with Escape (so a send is cancelled). */
async function capturingWarnings<R>(body: () => Promise<R>): Promise<{ result: R; warnings: Captured[] }> {
  const warnings: Captured[] = [];
  const fake = (message: string, ...rest: unknown[]): Thenable<undefined> => {
    const options = rest[0] as { modal?: boolean; detail?: string } | undefined;
    const isOptions = typeof options === 'object' && options !== null;
    warnings.push({ message, detail: isOptions ? options.detail : undefined, modal: isOptions && options.modal === true });
    return Promise.resolve(undefined);
  };
  const result = await replacing(vscode.window, 'showWarningMessage', { value: fake, writable: true }, body);
  return { result, warnings };
}

/** The extension sees an untrusted workspace while `body` runs (settings are re-read on change). */
async function withUntrusted<R>(body: () => Promise<R>): Promise<R> {
  return replacing(vscode.workspace, 'isTrusted', { get: () => false }, body);
}

/** Opens a draft in the workspace (see openDraft) and returns its URI. */
async function openDraftUri(name: string, text: string): Promise<vscode.Uri> {
  return (await openDraft(name, text)).document.uri;
}

async function setWorkspaceSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('sendAsEmail').update(key, value, vscode.ConfigurationTarget.Workspace);
  const expected = JSON.stringify(value);
  await until(() => JSON.stringify(vscode.workspace.getConfiguration('sendAsEmail').inspect(key)?.workspaceValue) === expected, `workspace setting ${key}`);
}

describe('security: what a draft or a workspace cannot hide or weaken', function () {
  this.timeout(60_000);
  let api: SendAsEmailApi;
  let outside: string;
  // Nothing listens here: every test stops before connecting (at the confirmation or the password).
  const profile = { host: '127.0.0.1', port: 9, security: 'starttls', username: USERNAME, from: 'Ann Lee <ann@host-test.local>' };

  before(async () => {
    api = await activateExtension();
    outside = fs.mkdtempSync(path.join(os.tmpdir(), 'send-as-email-outside-'));
    await setUserSetting('profiles', { local: profile });
    await setUserSetting('defaultProfile', 'local');
    await setUserSetting('confirmBeforeSend', true);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const configuration = vscode.workspace.getConfiguration('sendAsEmail');
    for (const key of ['profiles', 'defaultProfile', 'confirmBeforeSend']) {
      await configuration.update(key, undefined, vscode.ConfigurationTarget.Workspace);
      await configuration.update(key, undefined, vscode.ConfigurationTarget.Global);
    }
    fs.rmSync(outside, { recursive: true, force: true });
  });

  it('lists every attachment and inline image with its size, a file outside the workspace by its real path, From and Reply-To, escaped', async () => {
    const extensionPath = vscode.extensions.getExtension(EXTENSION_ID)?.extensionPath ?? '';
    fs.copyFileSync(path.join(extensionPath, 'test', 'fixtures', 'mime', 'files', 'chart.png'), path.join(workspaceFolder(), 'chart.png'));
    // The attack: a harmless-looking name in the workspace that is a link to a private file.
    const secret = path.join(outside, 'id_rsa');
    fs.writeFileSync(secret, 'PRIVATE KEY '.repeat(100));
    const link = path.join(workspaceFolder(), 'report.pdf');
    fs.rmSync(link, { force: true });
    fs.symlinkSync(secret, link);

    const uri = await openDraftUri(
      'hostile.md',
      '---\nto: bob@example.com\nbcc: hidden@example.com\nreply-to: Mallory <mallory@example.com>\nsubject: Quarterly r\u202Etrops\nattach: ./report.pdf\n---\nHi\n\n![chart](chart.png)\n',
    );
    const { result, warnings } = await capturingWarnings(() => run('sendAsEmail.send', { uri }));
    assert.deepEqual(result, { status: 'cancelled' });
    const modal = warnings.find((w) => w.modal);
    assert.ok(modal, `no confirmation was shown: ${JSON.stringify(warnings)}`);
    const detail = modal.detail ?? '';
    assert.match(modal.message, /Quarterly r\\u202etrops/, 'the subject\'s bidi control is not shown escaped');
    assert.doesNotMatch(modal.message + detail, /\u202e/);
    assert.match(detail, /^From: Ann Lee <ann@host-test\.local>$/m);
    assert.match(detail, /^Reply-To: Mallory <mallory@example\.com>$/m);
    assert.match(detail, /^Bcc \(1\): hidden@example\.com$/m);
    // Named after the link's target, and shown by the target's real path: it is outside the workspace.
    assert.ok(detail.includes(`id_rsa (1.2 KiB), outside the workspace: ${fs.realpathSync(secret)}`), detail);
    assert.match(detail, /^Inline images \(1\):$/m);
    assert.match(detail, /^ {2}chart\.png \(\d+(\.\d)? (B|KiB)\)$/m, detail);
  });

  it('asks before sending in an untrusted workspace whose settings say confirmBeforeSend: false, and says it ignored them', async () => {
    const uri = await openDraftUri('plain.md', '---\nto: bob@example.com\nsubject: Trust\n---\nHi\n');
    await setWorkspaceSetting('confirmBeforeSend', false);
    // Trusted (as code-server runs): the workspace may switch the confirmation off, so nothing
    // is asked and the send goes on to the server (none listens: it fails after the password).
    await setUserSetting('profiles', { local: { ...profile, username: undefined } });
    const trusted = await capturingWarnings(() => run('sendAsEmail.send', { uri }));
    assert.equal(trusted.warnings.filter((w) => w.modal).length, 0, 'a trusted workspace\'s confirmBeforeSend: false was not honoured');
    assert.equal(trusted.result.status, 'failed', JSON.stringify(trusted.result));

    const untrusted = await withUntrusted(() =>
      capturingWarnings(async () => {
        // A settings change makes the extension read its settings again, now untrusted.
        await setUserSetting('profiles', { local: profile });
        return run('sendAsEmail.send', { uri });
      }),
    );
    assert.deepEqual(untrusted.result, { status: 'cancelled' });
    assert.equal(untrusted.warnings.filter((w) => w.modal).length, 1, 'the untrusted workspace switched the confirmation off');
    const told = untrusted.warnings.filter((w) => !w.modal && /untrusted/.test(w.message));
    assert.equal(told.length, 1, JSON.stringify(untrusted.warnings));
    assert.match(told[0]?.message ?? '', /sendAsEmail\.confirmBeforeSend/);

    // The same reader on the same real layers, as the extension calls it.
    const layers = readSettings(vscode.workspace.getConfiguration('sendAsEmail'), false);
    assert.equal(layers.confirmBeforeSend, true);
    assert.deepEqual(layers.ignored, ['confirmBeforeSend']);
    await setWorkspaceSetting('confirmBeforeSend', undefined);
  });

  it('asks for the password again when a workspace profile weakens TLS for the same user, host and port', async () => {
    await run('sendAsEmail.setPassword', { profile: 'local', password: 'stored-for-starttls' });
    const safeKey = await api.secretKeyFor('local');
    assert.equal(await api.hasStoredPassword('local'), true);

    // The attack: same user, host and port, but plaintext with AUTH allowed.
    await setWorkspaceSetting('profiles', { local: { ...profile, security: 'none', allowPlaintextAuth: true } });
    await until(async () => (await api.secretKeyFor('local')) !== safeKey, 'the weakened profile to be read');
    assert.match((await api.secretKeyFor('local')) ?? '', / none plaintext-auth$/);
    assert.equal(await api.hasStoredPassword('local'), false, 'the stored password is offered to the weakened profile');

    const prompts: string[] = [];
    const fakeInput = (options: vscode.InputBoxOptions | undefined): Thenable<undefined> => {
      prompts.push(`${options?.title ?? ''} | ${options?.prompt ?? ''}`);
      return Promise.resolve(undefined);
    };
    const outcome = await replacing(vscode.window, 'showInputBox', { value: fakeInput, writable: true }, () =>
      run('sendAsEmail.testProfile', { profile: 'local' }),
    );
    assert.deepEqual(outcome, { status: 'cancelled' });
    assert.equal(prompts.length, 1, 'the password was not asked for again');
    assert.match(prompts[0] ?? '', /SMTP password for profile "local"/);

    await setWorkspaceSetting('profiles', undefined);
    await until(async () => (await api.secretKeyFor('local')) === safeKey, 'the user profile again');
    assert.equal(await api.hasStoredPassword('local'), true);
    await run('sendAsEmail.forgetPassword', { profile: 'local' });
  });
});

describe('security: a send refused for an unverified certificate offers to pin it', function () {
  this.timeout(60_000);
  const PASSWORD = 'pin-after-failure-Pa55';
  let api: SendAsEmailApi;
  let server: MailServer;

  before(async () => {
    api = await activateExtension();
    server = await startMailServer(USERNAME, PASSWORD);
    // No `tls.ca`: the server's self-signed certificate cannot be verified.
    await setUserSetting('profiles', { selfsigned: { host: '127.0.0.1', port: server.port, security: 'starttls', username: USERNAME, from: 'Ann Lee <ann@host-test.local>' } });
    await setUserSetting('defaultProfile', 'selfsigned');
    await setUserSetting('confirmBeforeSend', false);
    await run('sendAsEmail.setPassword', { profile: 'selfsigned', password: PASSWORD });
  });

  after(async () => {
    await run('sendAsEmail.forgetPassword', { profile: 'selfsigned' });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const key of ['profiles', 'defaultProfile', 'confirmBeforeSend']) await setUserSetting(key, undefined);
    await server?.close();
  });

  it('shows the certificate\'s SHA-256 with "Pin This Certificate"; pinned, the password kept, the next send goes through', async () => {
    const expected = new X509Certificate(fs.readFileSync(server.caPath)).fingerprint256;
    await openDraft('pin-after-failure.md', '---\nto: bob@example.com\nsubject: Self-signed\n---\nHi\n');
    const { result, shown } = await answering('showErrorMessage', (s) => (s.buttons.includes('Pin This Certificate') ? 'Pin This Certificate' : undefined), () => run('sendAsEmail.send'));
    assert.equal(result.status, 'failed', JSON.stringify(result));
    if (result.status === 'failed') assert.equal(result.kind, 'tls');
    assert.equal(server.received.length, 0);
    assert.equal(shown.length, 1, JSON.stringify(shown));
    assert.ok(shown[0]?.message.includes(`Certificate SHA-256: ${expected}`), JSON.stringify(shown));
    assert.deepEqual(shown[0]?.buttons, ['Pin This Certificate', 'Open Protocol Log']);

    const pinned = (): unknown => (vscode.workspace.getConfiguration('sendAsEmail').inspect<Record<string, { tls?: { fingerprint?: string } }>>('profiles')?.globalValue ?? {})['selfsigned']?.tls?.fingerprint;
    await until(() => pinned() === expected, 'the pin in the user settings');
    await until(async () => (await api.secretKeyFor('selfsigned'))?.includes(' pin=') === true, 'the pinned key');
    assert.equal(await api.hasStoredPassword('selfsigned'), true, 'pinning lost the stored password');

    await openDraft('pin-after-failure-2.md', '---\nto: bob@example.com\nsubject: Pinned\n---\nHi\n');
    const again = await run('sendAsEmail.send');
    assert.equal(again.status, 'sent', JSON.stringify(again));
    assert.equal(server.received.length, 1);
  });

  it('offers no pin when the profile already pins another certificate (that may be an interception)', async () => {
    await setUserSetting('profiles', {
      selfsigned: { host: '127.0.0.1', port: server.port, security: 'starttls', username: USERNAME, from: 'Ann Lee <ann@host-test.local>', tls: { fingerprint: '00'.repeat(32) } },
    });
    await until(async () => (await api.secretKeyFor('selfsigned'))?.includes(` pin=${'00'.repeat(32)}`) === true, 'the other pin to be read');
    await run('sendAsEmail.setPassword', { profile: 'selfsigned', password: PASSWORD });
    await openDraft('pin-mismatch.md', '---\nto: bob@example.com\nsubject: Mismatch\n---\nHi\n');
    const { result, shown } = await answering('showErrorMessage', () => undefined, () => run('sendAsEmail.send'));
    assert.equal(result.status, 'failed', JSON.stringify(result));
    assert.deepEqual(shown.map((s) => s.buttons), [['Open Protocol Log']]);
  });
});
