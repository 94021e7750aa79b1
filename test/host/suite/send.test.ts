// Sending for real from a real VS Code: the active editor's draft (unsaved edits included) goes
// over STARTTLS with AUTH to an in-process smtp-server whose certificate the profile trusts
// through tls.ca (verification stays on). The password lives in SecretStorage under a key bound
// to user, host, port and how safely the server is reached (security mode, CA); the protocol log
// on disk shows the session and never the password.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { SendAsEmailApi } from '../../../src/host/api';
import { readHostTestEnvironment, findOutputChannelLogs } from '../host-environment';
import { activateExtension, clearUserSettings, openDraft, readLogUntil, run, setUserSetting, until, workspaceFolder } from './support/extension';
import { REFUSED_RECIPIENT, startMailServer } from './support/mail-server';
import type { MailServer } from './support/mail-server';

const USERNAME = 'ann@host-test.local';
// Distinctive, so a leak into any log is unmistakable.
const PASSWORD = 'Pa55-host-suite-SECRET-9f3c';
const PROFILE = 'local';

describe('sending from the editor', function () {
  this.timeout(60_000);
  let server: MailServer;
  let api: SendAsEmailApi;

  const profileSettings = (host: string): Record<string, unknown> => ({
    [PROFILE]: {
      host,
      port: server.port,
      security: 'starttls',
      username: USERNAME,
      from: 'Ann Lee <ann@host-test.local>',
      tls: { ca: server.caPath },
    },
  });

  before(async () => {
    api = await activateExtension();
    server = await startMailServer(USERNAME, PASSWORD);
    await setUserSetting('profiles', profileSettings('127.0.0.1'));
    await setUserSetting('defaultProfile', PROFILE);
    await setUserSetting('confirmBeforeSend', false);
    await setUserSetting('trace', 'messages');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await clearUserSettings('profiles', 'defaultProfile', 'confirmBeforeSend', 'trace');
    await server?.close();
  });

  it('stores the password in SecretStorage under a key bound to user, host, port and connection safety', async () => {
    assert.equal(await api.hasStoredPassword(PROFILE), false);
    const outcome = await run('sendAsEmail.setPassword', { profile: PROFILE, password: PASSWORD });
    assert.deepEqual(outcome, { status: 'stored', profile: PROFILE });
    assert.match((await api.secretKeyFor(PROFILE)) ?? '', new RegExp(`^smtp:${USERNAME}@127\\.0\\.0\\.1:${server.port} starttls ca=[0-9a-f]{64}$`));
    assert.equal(await api.hasStoredPassword(PROFILE), true);
  });

  it('does not offer the stored password once the profile points at another host', async () => {
    // "localhost" reaches the same server, but it is another host name: a different key.
    await setUserSetting('profiles', profileSettings('localhost'));
    await until(async () => (await api.secretKeyFor(PROFILE))?.startsWith(`smtp:${USERNAME}@localhost:${server.port} `) === true, 'the new key');
    assert.equal(await api.hasStoredPassword(PROFILE), false);
    await setUserSetting('profiles', profileSettings('127.0.0.1'));
    await until(async () => (await api.secretKeyFor(PROFILE))?.startsWith(`smtp:${USERNAME}@127.0.0.1:${server.port} `) === true, 'the old key');
    assert.equal(await api.hasStoredPassword(PROFILE), true);
  });

  it('sends the active editor draft, unsaved edits included, over STARTTLS with AUTH', async () => {
    const editor = await openDraft('send-me.md', '---\nto: Bob Li <bob@example.com>\ncc: carol@example.com\nbcc: audit@example.com\nsubject: Saved subject\n---\nHi Bob,\n');
    await editor.edit((edit) => {
      const subjectLine = editor.document.lineAt(4);
      edit.replace(subjectLine.range, 'subject: Unsaved subject');
      edit.insert(new vscode.Position(editor.document.lineCount, 0), '\nThis line was never saved.\n');
    });
    assert.equal(editor.document.isDirty, true);
    const before = server.received.length;

    const outcome = await run('sendAsEmail.send');
    assert.equal(outcome.status, 'sent', JSON.stringify(outcome));
    assert.equal(server.received.length, before + 1);
    const message = server.received.at(-1);
    assert.ok(message);
    assert.equal(message.secure, true, 'the message did not travel over TLS');
    assert.equal(message.user, USERNAME);
    assert.equal(message.from, 'ann@host-test.local');
    assert.deepEqual([...message.to].sort(), ['audit@example.com', 'bob@example.com', 'carol@example.com']);
    const text = message.bytes.toString('utf8');
    assert.match(text, /^Subject: Unsaved subject\r$/m);
    assert.match(text, /This line was never saved\./);
    assert.doesNotMatch(text, /audit@example\.com/, 'a Bcc recipient appears in the transmitted message');
    if (outcome.status === 'sent') assert.match(text, new RegExp(`^Message-ID: ${outcome.messageId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\r$`, 'm'));
  });

  it('sends an untitled Markdown draft', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: '---\nto: dave@example.com\nsubject: From an untitled editor\n---\n**Bold** hello\n' });
    await vscode.window.showTextDocument(document);
    const outcome = await run('sendAsEmail.send');
    assert.equal(outcome.status, 'sent', JSON.stringify(outcome));
    const text = server.received.at(-1)?.bytes.toString('utf8') ?? '';
    assert.match(text, /^Subject: From an untitled editor\r$/m);
    assert.match(text, /multipart\/alternative/);
    assert.match(text, /<strong>Bold<\/strong>/);
  });

  it('saves as .eml exactly the bytes the server receives for the same draft', async () => {
    const editor = await openDraft('same-bytes.md', '---\nto: bob@example.com\nsubject: Same bytes, ünïcode\n---\n# Title\n\nSome *Markdown* with a long line ' + 'word '.repeat(40) + '\n');
    const compose = { messageId: '<same-bytes@host-test.local>', date: '2025-01-02T03:04:05Z', boundaryPrefix: 'host-test-boundary' };
    const target = path.join(os.tmpdir(), `send-as-email-host-${process.pid}.eml`);
    try {
      const saved = await run('sendAsEmail.saveEml', { uri: editor.document.uri, target, compose });
      assert.equal(saved.status, 'saved', JSON.stringify(saved));
      const sent = await run('sendAsEmail.send', { uri: editor.document.uri, compose });
      assert.equal(sent.status, 'sent', JSON.stringify(sent));
      const written = fs.readFileSync(target);
      const received = server.received.at(-1)?.bytes;
      assert.ok(received);
      assert.equal(saved.status === 'saved' ? saved.bytes : -1, written.length);
      assert.ok(written.equals(received), `.eml (${written.length} bytes) and received message (${received.length} bytes) differ`);
    } finally {
      fs.rmSync(target, { force: true });
    }
  });

  it('stops a bad draft before connecting and shows its problems as diagnostics', async () => {
    const editor = await openDraft('bad.md', '---\nto: not an address\nsubject: Broken\nattach: ./missing-file.pdf\n---\nBody\n');
    const connections = server.connections;
    const received = server.received.length;
    const outcome = await run('sendAsEmail.send');
    assert.equal(outcome.status, 'invalid', JSON.stringify(outcome));
    assert.equal(server.connections, connections, 'the extension connected although the draft is invalid');
    assert.equal(server.received.length, received);
    const diagnostics = vscode.languages.getDiagnostics(editor.document.uri).filter((d) => d.source === 'Send as Email');
    assert.ok(diagnostics.length >= 2, `expected diagnostics for the address and the attachment, got ${diagnostics.length}`);
    // Draft line 2 (1-based) is editor line 1 (0-based).
    assert.ok(diagnostics.some((d) => d.range.start.line === 1 && d.severity === vscode.DiagnosticSeverity.Error), 'no error on the "to:" line');
    assert.ok(diagnostics.some((d) => d.range.start.line === 3), 'no diagnostic on the "attach:" line');
  });

  it('reports a refused recipient and sends nothing', async () => {
    await openDraft('refused.md', `---\nto: bob@example.com, ${REFUSED_RECIPIENT}\nsubject: One bad recipient\n---\nHi\n`);
    const received = server.received.length;
    const outcome = await run('sendAsEmail.send');
    assert.equal(outcome.status, 'failed', JSON.stringify(outcome));
    if (outcome.status !== 'failed') return;
    assert.equal(outcome.kind, 'recipients');
    assert.match(outcome.summary, new RegExp(REFUSED_RECIPIENT.replace(/\./g, '\\.')));
    assert.match(outcome.summary, /550/);
    assert.equal(server.received.length, received, 'a message was accepted although a recipient was refused');
  });

  it('cancels a send in progress, and nothing is sent', async () => {
    await openDraft('cancel-me.md', '---\nto: bob@example.com\nsubject: Cancel me\n---\nHi\n');
    const received = server.received.length;
    const controller = new AbortController();
    let release: () => void = () => undefined;
    server.hold = { onHold: () => controller.abort(), release: new Promise<void>((resolve) => (release = resolve)) };
    try {
      const outcome = await run('sendAsEmail.send', { signal: controller.signal });
      assert.deepEqual(outcome, { status: 'cancelled' });
    } finally {
      server.hold = undefined;
      release();
    }
    // Give a wrongly continuing client time to finish DATA before checking.
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(server.received.length, received);
  });

  it('reports a refused password as an authentication failure', async () => {
    await run('sendAsEmail.setPassword', { profile: PROFILE, password: 'wrong-password' });
    try {
      await openDraft('wrong-password.md', '---\nto: bob@example.com\nsubject: Wrong password\n---\nHi\n');
      const outcome = await run('sendAsEmail.send');
      assert.equal(outcome.status, 'failed', JSON.stringify(outcome));
      if (outcome.status === 'failed') assert.equal(outcome.kind, 'auth');
    } finally {
      await run('sendAsEmail.setPassword', { profile: PROFILE, password: PASSWORD });
    }
  });

  it('tests the profile: TLS and the AUTH mechanism', async () => {
    const outcome = await run('sendAsEmail.testProfile', { profile: PROFILE });
    assert.equal(outcome.status, 'tested', JSON.stringify(outcome));
    if (outcome.status !== 'tested') return;
    assert.equal(outcome.server, 'mx.host-test.local');
    assert.equal(outcome.secure, true);
    assert.ok(outcome.mechanism === 'PLAIN' || outcome.mechanism === 'LOGIN', `mechanism ${outcome.mechanism}`);
  });

  it('writes the session to the protocol log, and never the password', async () => {
    const text = await readLogUntil(api, (t) => t.includes('test profile'), 'the test-profile session in the log');
    const environment = readHostTestEnvironment(workspaceFolder());
    const logs = findOutputChannelLogs(environment, 'Send as Email');
    assert.ok(logs.length > 0, 'the harness finds no "Send as Email" log');
    assert.equal(fs.readFileSync(logs[0] ?? '', 'utf8'), text);

    assert.match(text, new RegExp(`^=== \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d · send "Unsaved subject" · profile "local" · 127\\.0\\.0\\.1:${server.port} \\(starttls\\) ===$`, 'm'));
    assert.match(text, /^\d\d:\d\d:\d\d\.\d{3} C: EHLO /m);
    assert.match(text, /^\d\d:\d\d:\d\d\.\d{3} C: STARTTLS$/m);
    assert.match(text, /^\d\d:\d\d:\d\d\.\d{3} S: 220/m);
    assert.match(text, /^\d\d:\d\d:\d\d\.\d{3} \*: TLS .*certificate verified/m);
    assert.match(text, /^\d\d:\d\d:\d\d\.\d{3} C: AUTH (PLAIN|LOGIN)/m);
    assert.match(text, /^\d\d:\d\d:\d\d\.\d{3} S: 250 .*queued as HOSTTEST1/m);
    assert.match(text, /^\d\d:\d\d:\d\d\.\d{3} \*: sent <same-bytes@host-test\.local> to 1 recipient\(s\)/m);
    assert.match(text, /^\d\d:\d\d:\d\d\.\d{3} \*: cancelled; nothing was sent$/m);
    assert.match(text, /^\d\d:\d\d:\d\d\.\d{3} !: failed: Recipients refused/m);

    const secrets = [PASSWORD, 'wrong-password'];
    for (const secret of secrets) {
      const forms = [
        secret,
        Buffer.from(secret).toString('base64'),
        Buffer.from(`\0${USERNAME}\0${secret}`).toString('base64'),
      ];
      for (const form of forms) assert.equal(text.includes(form), false, 'the protocol log contains a password');
    }
  });

  it('shows the server certificate\'s SHA-256 and pins it where the profile is defined, keeping the password', async () => {
    const expected = new X509Certificate(fs.readFileSync(server.caPath)).fingerprint256;
    // A certificate its CA vouches for is shown but not offered for pinning: a pin would break
    // the profile at the provider's next routine certificate change.
    const offered: unknown[][] = [];
    const original = Object.getOwnPropertyDescriptor(vscode.window, 'showInformationMessage');
    assert.ok(original);
    Object.defineProperty(vscode.window, 'showInformationMessage', {
      configurable: true,
      writable: true,
      value: (...args: unknown[]) => {
        offered.push(args);
        return Promise.resolve(undefined);
      },
    });
    try {
      const shown = await run('sendAsEmail.testProfile', { profile: PROFILE });
      assert.equal(shown.status, 'tested', JSON.stringify(shown));
    } finally {
      Object.defineProperty(vscode.window, 'showInformationMessage', original);
    }
    assert.equal(offered.length, 1, JSON.stringify(offered));
    assert.ok(String(offered[0]?.[0]).includes(expected), JSON.stringify(offered));
    assert.ok(!offered[0]?.includes('Pin This Certificate'), `offered to pin a verified certificate: ${JSON.stringify(offered)}`);
    const outcome = await run('sendAsEmail.testProfile', { profile: PROFILE, pin: true });
    assert.equal(outcome.status, 'tested', JSON.stringify(outcome));
    if (outcome.status !== 'tested') return;
    assert.equal(outcome.fingerprint, expected);
    assert.equal(outcome.pinned, true);
    const pinned = (): unknown =>
      (vscode.workspace.getConfiguration('sendAsEmail').inspect<Record<string, { tls?: { fingerprint?: string } }>>('profiles')?.globalValue ?? {})[PROFILE]?.tls?.fingerprint;
    await until(() => pinned() === expected, 'the pin in the user settings');
    await until(async () => (await api.secretKeyFor(PROFILE))?.includes(' pin=') === true, 'the pinned key');
    // Pinning only makes the connection safer: the password moved with it.
    assert.equal(await api.hasStoredPassword(PROFILE), true, 'pinning lost the stored password');
    const again = await run('sendAsEmail.testProfile', { profile: PROFILE, pin: true });
    assert.equal(again.status, 'tested', JSON.stringify(again));
    if (again.status === 'tested') assert.equal(again.pinned, undefined, 'pinned again a certificate that is already pinned');
    await run('sendAsEmail.forgetPassword', { profile: PROFILE });
    await setUserSetting('profiles', profileSettings('127.0.0.1'));
  });

  it('left the server without unexpected errors', () => {
    assert.deepEqual(server.errors.map((e) => e.message), []);
  });

  it('forgets the password', async () => {
    const outcome = await run('sendAsEmail.forgetPassword', { profile: PROFILE });
    assert.deepEqual(outcome, { status: 'forgotten', profile: PROFILE });
    assert.equal(await api.hasStoredPassword(PROFILE), false);
  });
});
