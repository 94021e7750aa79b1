// Preview Email in a real VS Code: the panel opens beside the draft without taking focus, shows
// the message read back from the composed bytes (subject, recipients, Bcc marked as never
// transmitted, attachments with their real paths), follows edits and the active draft, never
// connects to the server or asks for a password, and its Send transmits exactly the bytes the
// preview was built from (compared with what the in-process SMTP server received).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { SendAsEmailApi } from '../../../src/host/api';
import type { PreviewSnapshot } from '../../../src/host/preview/panel';
import { activateExtension, clearUserSettings, openDraft, run, setUserSetting, until, workspaceFolder } from './support/extension';
import { startMailServer } from './support/mail-server';
import type { MailServer } from './support/mail-server';

const USERNAME = 'ann@preview-test.local';
const PASSWORD = 'Pa55-preview-suite-SECRET-41d7';
const PROFILE = 'preview-local';
/** A 1×1 PNG, so the draft has an inline image as well as an attachment. */
const PIXEL = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

const DRAFT = [
  '---',
  'to: Bob Li <bob@example.com>',
  'cc: carol@example.com',
  'bcc: Audit Desk <audit@example.com>',
  'subject: Preview me',
  'attach: preview-notes.txt',
  '---',
  '# Hello Bob',
  '',
  '![pixel](preview-pixel.png)',
  '',
  'The numbers are attached.',
  '',
].join('\n');

describe('preview: Preview Email beside the draft', function () {
  this.timeout(60_000);
  let server: MailServer;
  let api: SendAsEmailApi;

  /** The panel's state once the webview reports that this content is on screen. */
  async function shown(what: string, predicate: (snapshot: PreviewSnapshot) => boolean): Promise<PreviewSnapshot> {
    let last: PreviewSnapshot | undefined;
    await until(() => {
      last = api.preview.snapshot();
      return last !== undefined && last.renderedVersion === last.version && predicate(last);
    }, what, 15_000);
    assert.ok(last);
    return last;
  }

  before(async () => {
    api = await activateExtension();
    server = await startMailServer(USERNAME, PASSWORD);
    fs.writeFileSync(path.join(workspaceFolder(), 'preview-notes.txt'), 'Q3 numbers\n');
    fs.writeFileSync(path.join(workspaceFolder(), 'preview-pixel.png'), PIXEL);
    await setUserSetting('profiles', {
      [PROFILE]: { host: '127.0.0.1', port: server.port, security: 'starttls', username: USERNAME, from: 'Ann Lee <ann@preview-test.local>', tls: { ca: server.caPath } },
    });
    await setUserSetting('defaultProfile', PROFILE);
    await setUserSetting('confirmBeforeSend', false);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await clearUserSettings('profiles', 'defaultProfile', 'confirmBeforeSend');
    await server?.close();
  });

  it('opens beside the draft, keeps focus in the editor, and shows the message as composed', async () => {
    const editor = await openDraft('preview-me.md', DRAFT);
    const outcome = await run('sendAsEmail.preview');
    assert.deepEqual(outcome, { status: 'previewed', uri: editor.document.uri.toString(), kind: 'message' });
    const snapshot = await shown('the preview on screen', (s) => s.content.subject === 'Preview me');

    assert.equal(vscode.window.activeTextEditor?.document, editor.document, 'the preview took the focus');
    const panelTab = vscode.window.tabGroups.all.flatMap((group) => group.tabs.map((tab) => ({ group, tab }))).find(({ tab }) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.includes('sendAsEmail.preview'));
    assert.ok(panelTab, 'no Preview Email tab');
    assert.notEqual(panelTab.group.viewColumn, editor.viewColumn, 'the preview is not beside the draft');

    const chrome = snapshot.content.chrome;
    assert.match(chrome, /<th scope="row">To<\/th><td>Bob Li &#60;bob@example.com&#62;<\/td>/);
    assert.match(chrome, /<th scope="row">Cc<\/th><td>carol@example.com<\/td>/);
    assert.match(chrome, /<th scope="row">From<\/th><td>Ann Lee &#60;ann@preview-test.local&#62;<\/td>/);
    // Bcc and the envelope only in the "never transmitted" section, and not in the bytes.
    const hidden = /<section class="hidden-fields">.*?<\/section>/.exec(chrome)?.[0] ?? '';
    assert.match(hidden, /Never transmitted/);
    assert.match(hidden, /<th scope="row">Bcc<\/th><td>Audit Desk &#60;audit@example.com&#62;<\/td>/);
    assert.match(hidden, /RCPT TO.*&#60;audit@example.com&#62;/);
    assert.doesNotMatch(chrome.replace(hidden, ''), /audit@example\.com/);
    assert.ok(snapshot.bytes);
    assert.doesNotMatch(snapshot.bytes.toString('utf8'), /audit@example\.com/);
    // Attachments and inline images: name, type, real path; the profile without a password.
    assert.match(chrome, /preview-notes\.txt<\/span> <span class="meta">attachment · text\/plain · 11 B/);
    assert.match(chrome, /preview-pixel\.png<\/span> <span class="meta">inline image · image\/png/);
    assert.ok(chrome.includes(path.join(workspaceFolder(), 'preview-notes.txt')));
    assert.match(chrome, /preview-local \(127\.0\.0\.1:\d+, starttls\) as ann@preview-test\.local/);
    assert.equal(await api.hasStoredPassword(PROFILE), false);
    assert.ok(snapshot.content.email?.includes('src="data:image/png;base64,'), 'the inline image is not taken from the message');
    assert.equal(server.connections, 0, 'the preview connected to the SMTP server');
  });

  it('updates after an edit, without saving the draft', async () => {
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor);
    await editor.edit((edit) => edit.replace(editor.document.lineAt(4).range, 'subject: Preview me, edited'));
    const snapshot = await shown('the edited subject', (s) => s.content.subject === 'Preview me, edited');
    assert.equal(editor.document.isDirty, true);
    assert.match(snapshot.bytes?.toString('utf8') ?? '', /^Subject: Preview me, edited\r$/m);
    // A few more keystrokes, each waited for: the latency is reported, not asserted (no timing
    // assertions): from the edit to the webview saying it is on screen, debounce included.
    let last = snapshot;
    for (const word of ['one', 'two', 'three', 'four', 'five']) {
      await editor.edit((edit) => edit.insert(new vscode.Position(editor.document.lineCount - 1, 0), `${word} `));
      last = await shown(`the edit "${word}"`, (s) => s.version > last.version && (s.content.text ?? '').includes(`${word} `));
    }
    console.log(`      preview: edit → on screen ${last.editLatenciesMs.join(', ')} ms; last build ${last.buildMs} ms`);
  });

  it('shows draft problems instead of a message, with line and column', async () => {
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor);
    await editor.edit((edit) => edit.replace(editor.document.lineAt(1).range, 'to: not an address'));
    const snapshot = await shown('the problems', (s) => s.content.kind === 'problems');
    assert.match(snapshot.content.chrome, /<span class="where">2:\d+<\/span>/);
    assert.equal(snapshot.bytes, undefined);
    assert.equal(await api.preview.receive({ type: 'send', version: snapshot.version }), undefined, 'a draft with problems was sent');
    await editor.edit((edit) => edit.replace(editor.document.lineAt(1).range, 'to: Bob Li <bob@example.com>'));
    await shown('the message again', (s) => s.content.kind === 'message');
  });

  it('follows the active draft', async () => {
    const other = await openDraft('preview-other.md', '---\nto: dave@example.com\nsubject: The other draft\n---\nHi Dave\n');
    const snapshot = await shown('the other draft', (s) => s.uri === other.document.uri.toString());
    assert.equal(snapshot.content.subject, 'The other draft');
    assert.match(snapshot.content.email ?? '', /Hi Dave/);
  });

  it('refuses messages from the webview that are not exactly one of its own', async () => {
    const before = server.received.length;
    for (const message of [{ type: 'send' }, { type: 'send', version: '1' }, { type: 'send', version: 1, uri: 'file:///etc/passwd' }, { type: 'runCommand', command: 'x' }, 'send', null]) {
      assert.equal(await api.preview.receive(message), undefined, JSON.stringify(message));
    }
    assert.equal(server.received.length, before);
    assert.equal(server.connections, 0);
  });

  it('sends from the preview exactly the bytes the preview was built from', async () => {
    await run('sendAsEmail.setPassword', { profile: PROFILE, password: PASSWORD });
    const draft = await openDraft('preview-send.md', DRAFT.replace('subject: Preview me', 'subject: Sent from the preview'));
    await shown('the draft to send', (s) => s.uri === draft.document.uri.toString());
    const before = server.received.length;
    const shownVersion = api.preview.snapshot()?.version ?? -1;

    const outcome = await api.preview.receive({ type: 'send', version: shownVersion });
    assert.equal((outcome as { status?: string } | undefined)?.status, 'sent', JSON.stringify(outcome));
    assert.equal(server.received.length, before + 1);
    const received = server.received.at(-1);
    // What the panel composed and posted for this Send (a fresh Date), then handed to the command.
    const action = api.preview.snapshot()?.lastAction;
    assert.ok(received && action);
    assert.equal(action.action, 'send');
    assert.ok(action.version > shownVersion, 'Send did not show the message it sends');
    assert.ok(received.bytes.equals(action.bytes), `received ${received.bytes.length} bytes, the preview was built from ${action.bytes.length}`);
    await shown('the message sent on screen', (s) => s.renderedVersion >= action.version);
    assert.deepEqual([...received.to].sort(), ['audit@example.com', 'bob@example.com', 'carol@example.com']);
    // The receipt written into the draft after the send: the preview now shows it as sent.
    await shown('the draft shown as sent', (s) => s.content.chrome.includes('class="banner sent"'));
  });
});
