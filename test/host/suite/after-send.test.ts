// After a send, in a real VS Code: the receipt is an undoable edit (saved when the draft was
// saved, an untitled draft stays untitled), a draft with `sent:` asks before it goes again
// (captured, not clicked: `vscode.window.showWarningMessage` is replaced for one call, as in
// security.test.ts), a second Send while the first is on its way is refused, and "Reply to
// Email…" / "Forward Email…" open a new untitled draft. Bug guarded against: the double send.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, clearUserSettings, openDraft, run, setUserSetting, until, workspaceFolder } from './support/extension';
import { startMailServer } from './support/mail-server';
import type { MailServer } from './support/mail-server';

const USERNAME = 'ann@host-test.local';
const PASSWORD = 'after-send-Secret-77';
const PROFILE = 'local';
const DRAFT = '---\r\n# a comment that stays\r\nto: Bob <bob@example.com>\r\nsubject: After send\r\n---\r\nHello\r\n';
const RECEIPT = /sent: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\r\nmessage-id: "(<[^"]+>)"\r\n/;

function messageIdOf(bytes: Buffer | undefined): string {
  return /^Message-ID: (<[^>]+>)\r$/m.exec(bytes?.toString('latin1') ?? '')?.[1] ?? '';
}

/** Answers every warning with `answer` while `body` runs, and records the messages shown. */
async function answeringWarnings<R>(answer: string | undefined, body: () => Promise<R>): Promise<{ result: R; asked: string[] }> {
  const asked: string[] = [];
  const original = Object.getOwnPropertyDescriptor(vscode.window, 'showWarningMessage');
  assert.ok(original);
  const fake = (message: string): Thenable<string | undefined> => {
    asked.push(message);
    return Promise.resolve(answer);
  };
  Object.defineProperty(vscode.window, 'showWarningMessage', { value: fake, writable: true, configurable: true });
  try {
    return { result: await body(), asked };
  } finally {
    Object.defineProperty(vscode.window, 'showWarningMessage', original);
  }
}

describe('after-send: receipt, resend guard, reply and forward', function () {
  this.timeout(60_000);
  let server: MailServer;

  before(async () => {
    await activateExtension();
    server = await startMailServer(USERNAME, PASSWORD);
    await setUserSetting('profiles', { [PROFILE]: { host: '127.0.0.1', port: server.port, security: 'starttls', username: USERNAME, from: 'Ann Lee <ann@host-test.local>', tls: { ca: server.caPath } } });
    await setUserSetting('defaultProfile', PROFILE);
    await setUserSetting('confirmBeforeSend', false);
    assert.deepEqual(await run('sendAsEmail.setPassword', { profile: PROFILE, password: PASSWORD }), { status: 'stored', profile: PROFILE });
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await clearUserSettings('profiles', 'defaultProfile', 'confirmBeforeSend', 'recordReceipt');
    await run('sendAsEmail.forgetPassword', { profile: PROFILE });
    await server?.close();
  });

  it('after-send: writes the receipt as an undoable edit and saves a draft that was saved', async () => {
    const editor = await openDraft('receipt.md', DRAFT);
    const file = editor.document.uri.fsPath;
    const outcome = await run('sendAsEmail.send', { uri: editor.document.uri });
    assert.equal(outcome.status, 'sent', JSON.stringify(outcome));
    const sentId = messageIdOf(server.received.at(-1)?.bytes);
    const text = editor.document.getText();
    assert.equal(RECEIPT.exec(text)?.[1], sentId, text);
    assert.equal(text.replace(RECEIPT, ''), DRAFT, 'only the receipt was added (CRLF and the comment kept)');
    await until(() => !editor.document.isDirty, 'the draft saved again');
    assert.equal(fs.readFileSync(file, 'utf8'), text);

    await vscode.window.showTextDocument(editor.document);
    await vscode.commands.executeCommand('undo');
    await until(() => editor.document.getText() === DRAFT, 'Undo takes the receipt back');
  });

  it('after-send: an untitled draft gets the receipt and stays untitled', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: DRAFT.replace(/\r\n/g, '\n') });
    await vscode.window.showTextDocument(document);
    const outcome = await run('sendAsEmail.send', { uri: document.uri });
    assert.equal(outcome.status, 'sent', JSON.stringify(outcome));
    assert.match(document.getText(), /\nsent: .+Z\nmessage-id: "<[^"]+>"\n---\n/);
    assert.equal(document.isUntitled, true);
    assert.equal(document.isDirty, true);
  });

  it('after-send: asks before a draft with sent: goes again; no sends nothing, Send Again sends with a new Message-ID', async () => {
    const editor = await openDraft('resend.md', DRAFT);
    assert.equal((await run('sendAsEmail.send', { uri: editor.document.uri })).status, 'sent');
    const firstId = RECEIPT.exec(editor.document.getText())?.[1];
    const count = server.received.length;

    const refused = await answeringWarnings(undefined, () => run('sendAsEmail.send', { uri: editor.document.uri }));
    assert.deepEqual(refused.result, { status: 'cancelled' });
    assert.equal(server.received.length, count, 'nothing was sent');
    assert.equal(refused.asked.length, 1, JSON.stringify(refused.asked));
    assert.match(refused.asked[0] ?? '', /^Sent on \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ to bob@example\.com — send again\?$/);

    const again = await answeringWarnings('Send Again', () => run('sendAsEmail.send', { uri: editor.document.uri }));
    assert.equal(again.result.status, 'sent', JSON.stringify(again.result));
    const secondId = messageIdOf(server.received.at(-1)?.bytes);
    assert.notEqual(secondId, firstId);
    assert.equal(RECEIPT.exec(editor.document.getText())?.[1], secondId, 'the receipt is updated');
  });

  it('after-send: refuses a second Send on the same draft while the first is on its way', async () => {
    const editor = await openDraft('twice.md', DRAFT);
    const count = server.received.length;
    let release = (): void => undefined;
    // Each session that reaches MAIL FROM is held there; the nth hold resolves held[n - 1].
    const holds: Array<() => void> = [];
    const held = [0, 1].map((n) => new Promise<string>((resolve) => (holds[n] = () => resolve('a second session reached MAIL FROM'))));
    let holdCount = 0;
    server.hold = { onHold: () => holds[holdCount++]?.(), release: new Promise<void>((resolve) => (release = resolve)) };
    try {
      const first = run('sendAsEmail.send', { uri: editor.document.uri });
      await Promise.race([held[0], first.then((outcome) => assert.fail(`the first send ended before MAIL FROM: ${JSON.stringify(outcome)}`))]);
      // Either the second click is refused, or (the bug) it opens a second session of its own.
      const second = await Promise.race([run('sendAsEmail.send', { uri: editor.document.uri }), held[1]]);
      assert.deepEqual(second, { status: 'unavailable', reason: 'already sending' });
      release();
      assert.equal((await first).status, 'sent');
    } finally {
      server.hold = undefined;
      release();
    }
    assert.equal(server.received.length, count + 1, 'exactly one message');
  });

  it('after-send: recordReceipt false leaves the draft alone', async () => {
    await setUserSetting('recordReceipt', false);
    try {
      const editor = await openDraft('no-receipt.md', DRAFT);
      assert.equal((await run('sendAsEmail.send', { uri: editor.document.uri })).status, 'sent');
      assert.equal(editor.document.getText(), DRAFT);
      assert.equal(editor.document.isDirty, false);
    } finally {
      await setUserSetting('recordReceipt', undefined);
    }
  });

  it('after-send: Reply to Email and Forward Email open a new untitled draft from an .eml', async () => {
    const eml = path.join(workspaceFolder(), 'received.eml');
    fs.writeFileSync(
      eml,
      'From: Carol <carol@example.com>\r\nTo: Ann Lee <ann@host-test.local>, dave@example.com\r\nSubject: RE: Plans\r\nDate: Tue, 01 Dec 2026 09:00:00 +0800\r\nMessage-ID: <plans.2@example.com>\r\nReferences: <plans.1@example.com>\r\n\r\nSee you at 10.\r\n',
    );
    const reply = await run('sendAsEmail.reply', { uri: vscode.Uri.file(eml), all: true });
    assert.equal(reply.status, 'drafted', JSON.stringify(reply));
    const document = vscode.window.activeTextEditor?.document;
    assert.ok(document?.isUntitled === true && document.languageId === 'markdown');
    assert.equal(
      document.getText(),
      '---\nto:\n  - "Carol <carol@example.com>"\n  - "dave@example.com"\nsubject: "Re: Plans"\nin-reply-to: "<plans.2@example.com>"\nreferences: "<plans.1@example.com> <plans.2@example.com>"\n---\n\nOn Tue, 01 Dec 2026 09:00:00 +0800, Carol <carol@example.com> wrote:\n> See you at 10.\n',
    );

    const forward = await run('sendAsEmail.forward', { uri: vscode.Uri.file(eml) });
    assert.equal(forward.status, 'drafted', JSON.stringify(forward));
    const forwarded = vscode.window.activeTextEditor?.document.getText() ?? '';
    assert.ok(forwarded.startsWith(`---\nto: \nsubject: "Fwd: RE: Plans"\nattach: ${JSON.stringify(eml)}\n---\n`), forwarded);
  });
});
