// Writing a draft in a real VS Code: completion and hover through VS Code's own provider
// commands, drop and paste through the providers the extension registers (VS Code has no command
// that runs drop or paste providers, so the test calls them with a real DataTransfer and applies
// the edit they return), New Email Draft, and Add SMTP Profile… end to end against an in-process
// SMTP server — its prompts answered through the command's `prompter` argument, since the quick
// input's text boxes cannot be typed into from the extension host.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import * as vscode from 'vscode';
import type { CommandOutcome } from '../../../src/commands/outcome';
import { AttachOnDrop, AttachOnPaste } from '../../../src/host/authoring/drop-paste';
import type { WizardInput, WizardItem, WizardPrompter, WizardStep } from '../../../src/host/profile-setup';
import type { SendAsEmailApi } from '../../../src/host/api';
import { activateExtension, openDraft, run, setUserSetting, until, workspaceFolder } from './support/extension';
import { startMailServer } from './support/mail-server';
import type { MailServer } from './support/mail-server';

const USERNAME = 'ann@host-test.local';
const PASSWORD = 'Authoring-host-SECRET-51d2';
const SETTINGS = ['profiles', 'defaultProfile', 'confirmBeforeSend', 'addressBook', 'templatesFolder'];

async function clearSettings(): Promise<void> {
  for (const key of SETTINGS) await vscode.workspace.getConfiguration('sendAsEmail').update(key, undefined, vscode.ConfigurationTarget.Global);
}

async function completions(editor: vscode.TextEditor, position: vscode.Position): Promise<vscode.CompletionItem[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', editor.document.uri, position);
  return list.items;
}

const labelOf = (item: vscode.CompletionItem): string => (typeof item.label === 'string' ? item.label : item.label.label);

async function hoverText(editor: vscode.TextEditor, position: vscode.Position): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, position);
  const markdown = hovers.flatMap((hover) => hover.contents.map((content) => (typeof content === 'string' ? content : content.value))).join('\n');
  // appendText escapes Markdown: read it back as the text a user sees.
  return markdown.replace(/&nbsp;/g, ' ').replace(/\\([\\`*_{}[\]()#+\-.!<>|])/g, '$1');
}

/** The position just after the first `needle` in the document. */
function endOf(editor: vscode.TextEditor, needle: string): vscode.Position {
  const offset = editor.document.getText().indexOf(needle);
  assert.ok(offset >= 0, `"${needle}" in the draft`);
  return editor.document.positionAt(offset + needle.length);
}

describe('authoring: completion and hover in the front matter', function () {
  this.timeout(60_000);
  let server: MailServer;
  let folder: string;

  before(async () => {
    await activateExtension();
    server = await startMailServer(USERNAME, PASSWORD);
    folder = workspaceFolder();
    fs.mkdirSync(path.join(folder, 'docs'), { recursive: true });
    fs.writeFileSync(path.join(folder, 'docs', 'report.pdf'), Buffer.alloc(2048, 1));
    fs.writeFileSync(path.join(folder, 'contacts.vcf'), 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Book Contact\r\nEMAIL:book.contact@example.org\r\nEND:VCARD\r\n');
    await setUserSetting('profiles', {
      local: { host: '127.0.0.1', port: server.port, security: 'starttls', username: USERNAME, from: `Ann Lee <${USERNAME}>`, tls: { ca: server.caPath } },
    });
    await setUserSetting('defaultProfile', 'local');
    await setUserSetting('confirmBeforeSend', false);
    await setUserSetting('addressBook', 'contacts.vcf');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await clearSettings();
    await server?.close();
  });

  it('offers the keys, each with its description, and nothing in the body', async () => {
    const editor = await openDraft('keys.md', '---\nto: bob@example.com\nsu\n---\nsu\n');
    const items = await completions(editor, new vscode.Position(2, 2));
    const subject = items.find((item) => labelOf(item) === 'subject');
    assert.ok(subject, `no "subject" among ${items.map(labelOf).join(', ')}`);
    assert.equal(subject.detail, 'The subject line.');
    for (const key of ['cc', 'bcc', 'attach', 'profile', 'reply-to']) assert.ok(items.some((item) => labelOf(item) === key), key);
    const body = await completions(editor, new vscode.Position(4, 2));
    assert.equal(body.find((item) => labelOf(item) === 'subject' && item.detail !== undefined), undefined, 'a key was offered in the body');
  });

  it('offers profile names after profile:, and files relative to the draft after attach:', async () => {
    const editor = await openDraft('values.md', '---\nto: bob@example.com\nprofile: \nattach: docs/\n---\n');
    const profiles = await completions(editor, endOf(editor, 'profile: '));
    assert.ok(profiles.some((item) => labelOf(item) === 'local'), `profiles: ${profiles.map(labelOf).join(', ')}`);
    const files = await completions(editor, endOf(editor, 'attach: docs/'));
    assert.ok(files.some((item) => labelOf(item) === 'report.pdf' && item.kind === vscode.CompletionItemKind.File), `files: ${files.map(labelOf).join(', ')}`);
  });

  it('offers an address-book contact and, after a send, the address sent to', async () => {
    assert.equal((await run('sendAsEmail.setPassword', { profile: 'local', password: PASSWORD })).status, 'stored');
    const sent = await openDraft('remember.md', '---\nto: Remembered Person <remembered.person@example.com>\nsubject: Remember me\n---\nHi\n');
    const outcome = await run('sendAsEmail.send', { uri: sent.document.uri });
    assert.equal(outcome.status, 'sent', JSON.stringify(outcome));

    const editor = await openDraft('recipients.md', '---\nto: bob@example.com\ncc: \n---\n');
    const items = await completions(editor, endOf(editor, 'cc: '));
    const labels = items.map(labelOf);
    assert.ok(labels.includes('Remembered Person <remembered.person@example.com>'), `recipients: ${labels.join(', ')}`);
    assert.ok(labels.includes('Book Contact <book.contact@example.org>'), `recipients: ${labels.join(', ')}`);
    // Remembered recipients come first.
    assert.ok(labels.indexOf('Remembered Person <remembered.person@example.com>') < labels.indexOf('Book Contact <book.contact@example.org>'));
  });

  it('shows on hover how an address is encoded, what an attachment is, and the profile\'s server', async () => {
    const editor = await openDraft('hover.md', '---\nto: 张三 <zhang@example.com>, bob@example.com\nattach: docs/report.pdf\nprofile: local\n---\n');
    const address = await hoverText(editor, endOf(editor, 'to: 张'));
    assert.match(address, /To: =\?UTF-8\?B\?5byg5LiJ\?= <zhang@example\.com>/);
    const attachment = await hoverText(editor, endOf(editor, 'attach: docs/re'));
    assert.ok(attachment.includes(fs.realpathSync(path.join(folder, 'docs', 'report.pdf'))), attachment);
    assert.match(attachment, /application\/pdf/);
    assert.match(attachment, /2(\.0)? KiB|2,048 bytes|2048 B/);
    const profile = await hoverText(editor, endOf(editor, 'profile: lo'));
    assert.ok(profile.includes(`127.0.0.1:${server.port}`) && profile.includes('starttls') && profile.includes(USERNAME), profile);
  });
});

describe('authoring: drop and paste add files to attach:', () => {
  let folder: string;

  before(async () => {
    await activateExtension();
    folder = workspaceFolder();
    fs.mkdirSync(path.join(folder, 'docs'), { recursive: true });
    fs.mkdirSync(path.join(folder, 'images'), { recursive: true });
    fs.writeFileSync(path.join(folder, 'docs', 'report.pdf'), 'pdf');
    fs.writeFileSync(path.join(folder, 'images', 'chart.png'), Buffer.from('89504e470d0a1a0a', 'hex'));
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  function uriList(...files: string[]): vscode.DataTransfer {
    const transfer = new vscode.DataTransfer();
    transfer.set('text/uri-list', new vscode.DataTransferItem(files.map((file) => vscode.Uri.file(path.join(folder, file)).toString()).join('\r\n')));
    return transfer;
  }

  /** Applies an edit as VS Code does: the insert text at the position, then the additional edit. */
  async function apply(editor: vscode.TextEditor, position: vscode.Position, edit: { insertText: string | vscode.SnippetString; additionalEdit?: vscode.WorkspaceEdit }): Promise<void> {
    const text = typeof edit.insertText === 'string' ? edit.insertText : edit.insertText.value;
    if (edit.additionalEdit !== undefined) assert.ok(await vscode.workspace.applyEdit(edit.additionalEdit));
    if (text !== '') await editor.edit((builder) => builder.insert(position, text));
  }

  it('adds a dropped file to attach:, creating the key, instead of a Markdown link', async () => {
    const editor = await openDraft('drop.md', '---\nto: bob@example.com\nsubject: Report\n---\nHere it is.\n');
    const position = new vscode.Position(4, 11);
    const edit = await new AttachOnDrop().provideDocumentDropEdits(editor.document, position, uriList('docs/report.pdf'));
    assert.ok(edit, 'no drop edit for a draft');
    await apply(editor, position, edit);
    assert.equal(editor.document.getText(), '---\nto: bob@example.com\nsubject: Report\nattach:\n  - docs/report.pdf\n---\nHere it is.\n');
  });

  it('inlines an image dropped into the body, and attaches what is pasted', async () => {
    const editor = await openDraft('drop-image.md', '---\nto: bob@example.com\nattach: notes.txt\n---\nSee: \n');
    const position = new vscode.Position(4, 5);
    const drop = await new AttachOnDrop().provideDocumentDropEdits(editor.document, position, uriList('images/chart.png'));
    assert.ok(drop);
    await apply(editor, position, drop);
    assert.equal(editor.document.getText(), '---\nto: bob@example.com\nattach: notes.txt\n---\nSee: ![chart](images/chart.png)\n');

    const pasteAt = new vscode.Position(4, 0);
    const pasted = await new AttachOnPaste().provideDocumentPasteEdits(editor.document, [new vscode.Range(pasteAt, pasteAt)], uriList('docs/report.pdf'));
    const first = pasted?.[0];
    assert.ok(first);
    await apply(editor, pasteAt, first);
    assert.equal(editor.document.getText(), '---\nto: bob@example.com\nattach:\n  - notes.txt\n  - docs/report.pdf\n---\nSee: ![chart](images/chart.png)\n');
  });

  it('leaves a file that is not a draft to Markdown\'s own drop', async () => {
    const editor = await openDraft('README.md', '# Readme\n');
    assert.equal(await new AttachOnDrop().provideDocumentDropEdits(editor.document, new vscode.Position(0, 0), uriList('docs/report.pdf')), undefined);
  });
});

describe('authoring: New Email Draft', () => {
  let templates: string;

  before(async () => {
    await activateExtension();
    templates = path.join(workspaceFolder(), 'templates');
    fs.mkdirSync(templates, { recursive: true });
    fs.writeFileSync(path.join(templates, 'a-weekly.md'), '---\nsubject: "Re: Weekly $report {x}"\nto: team@example.com\n---\n\nHi all,\n');
    fs.writeFileSync(path.join(templates, 'b-other.md'), '---\nto: \n---\nOther\n');
    await setUserSetting('profiles', { signed: { host: 'smtp.example.com', username: 'ann@example.com', signature: 'Ann Lee\n**Example Ltd**' } });
    await setUserSetting('defaultProfile', 'signed');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await clearSettings();
  });

  it('is titled "New Email Draft" and "Add SMTP Profile…" in category "Email"', () => {
    const manifest = vscode.extensions.getExtension('send-as-email.send-as-email')?.packageJSON as { contributes: { commands: Array<{ command: string; title: string; category?: string }> } };
    const titles = manifest.contributes.commands.filter((c) => c.command === 'sendAsEmail.newDraft' || c.command === 'sendAsEmail.addProfile').map((c) => `${c.category ?? ''}: ${c.title}`);
    assert.deepEqual(titles, ['Email: New Email Draft', 'Email: Add SMTP Profile…']);
  });

  it('opens an untitled Markdown draft from the built-in template, the signature appended, the cursor in to:', async () => {
    const outcome = await run('sendAsEmail.newDraft');
    assert.equal(outcome.status, 'drafted', JSON.stringify(outcome));
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor);
    assert.equal(editor.document.uri.scheme, 'untitled');
    assert.equal(outcome.status === 'drafted' ? outcome.uri : '', editor.document.uri.toString());
    assert.equal(editor.document.languageId, 'markdown');
    assert.equal(editor.document.getText(), '---\nto: \ncc: \nsubject: \nattach: \n---\n\n\n-- \nAnn Lee\n**Example Ltd**\n');
    assert.deepEqual([editor.selection.active.line, editor.selection.active.character], [1, 4]);
  });

  it('offers the templates folder\'s templates in a quick pick', async () => {
    await setUserSetting('templatesFolder', templates);
    const pending = vscode.commands.executeCommand<CommandOutcome>('sendAsEmail.newDraft');
    let outcome: CommandOutcome | undefined;
    void pending.then((value) => {
      outcome = value;
    });
    // The pick lists a-weekly first; accept it once it is open.
    await until(async () => {
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      return outcome !== undefined;
    }, 'the template pick to be answered');
    assert.equal(outcome?.status, 'drafted');
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor);
    assert.equal(editor.document.getText(), '---\nsubject: "Re: Weekly $report {x}"\nto: team@example.com\n---\n\nHi all,\n\n-- \nAnn Lee\n**Example Ltd**\n');
    // The template's to: value is selected, ready to be typed over.
    assert.equal(editor.document.getText(editor.selection), 'team@example.com');
  });
});

interface Answered {
  readonly kind: 'pick' | 'input' | 'choose';
  readonly text: string;
  readonly input?: WizardInput;
}

/** Answers the wizard from a list: a label, a text, a button — or undefined, which is Escape. */
function scripted(answers: ReadonlyArray<string | undefined>): { readonly prompter: WizardPrompter; readonly asked: Answered[] } {
  const queue = [...answers];
  const asked: Answered[] = [];
  const next = (): string | undefined => {
    assert.ok(queue.length > 0, `the wizard asked more than expected: ${asked.map((a) => a.text).join(' | ')}`);
    return queue.shift();
  };
  const prompter: WizardPrompter = {
    pick<T>(_step: WizardStep, placeholder: string, items: ReadonlyArray<WizardItem<T>>): Promise<T | undefined> {
      asked.push({ kind: 'pick', text: placeholder });
      const answer = next();
      if (answer === undefined) return Promise.resolve(undefined);
      const item = items.find((i) => i.label === answer);
      assert.ok(item, `no item "${answer}" in ${items.map((i) => i.label).join(', ')}`);
      return Promise.resolve(item.value);
    },
    input(_step: WizardStep, input: WizardInput): Promise<string | undefined> {
      asked.push({ kind: 'input', text: input.prompt, input });
      const answer = next();
      if (answer !== undefined) assert.equal(input.validate?.(answer), undefined, `"${answer}" refused at "${input.prompt}"`);
      return Promise.resolve(answer);
    },
    choose(message: string): Promise<string | undefined> {
      asked.push({ kind: 'choose', text: message });
      return Promise.resolve(next());
    },
  };
  return { prompter, asked };
}

describe('authoring: Add SMTP Profile…', function () {
  this.timeout(60_000);
  const address = 'new.user@host-test.local';
  const password = 'Wizard-host-SECRET-77aa';
  let smtp: SMTPServer;
  let port: number;
  let logins: string[];
  let api: SendAsEmailApi;

  const globalProfiles = (): unknown => vscode.workspace.getConfiguration('sendAsEmail').inspect('profiles')?.globalValue;
  const customAnswers = (secret: string): string[] => ['Other SMTP server…', '127.0.0.1', 'none', String(port), address, 'New User', secret];

  before(async () => {
    api = await activateExtension();
    await clearSettings();
    logins = [];
    // Plaintext on loopback: the wizard's "none" choice, where AUTH is allowed without TLS.
    smtp = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      authMethods: ['PLAIN', 'LOGIN'],
      logger: false,
      onAuth(auth, _session, callback) {
        logins.push(auth.username ?? '');
        if (auth.username === address && auth.password === password) callback(null, { user: address });
        else callback(Object.assign(new Error('Authentication credentials invalid'), { responseCode: 535 }));
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    port = (smtp.server.address() as AddressInfo).port;
  });

  after(async () => {
    await clearSettings();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  it('writes nothing when cancelled at any step', async () => {
    const answers = customAnswers(password);
    for (let step = 0; step < answers.length; step++) {
      const { prompter, asked } = scripted([...answers.slice(0, step), undefined]);
      const outcome = await run('sendAsEmail.addProfile', { prompter });
      assert.deepEqual(outcome, { status: 'cancelled' }, `cancelled at step ${step + 1}`);
      assert.equal(asked.length, step + 1);
      assert.equal(globalProfiles(), undefined, `settings written after a cancel at step ${step + 1}`);
    }
    assert.deepEqual(logins, [], 'the server was contacted before the last step');
  });

  it('shows the provider\'s app-password advice and page, and writes nothing on Escape there', async () => {
    const { prompter, asked } = scripted(['Gmail', 'me@gmail.com', 'Me', undefined]);
    assert.deepEqual(await run('sendAsEmail.addProfile', { prompter }), { status: 'cancelled' });
    const passwordStep = asked.at(-1)?.input;
    assert.ok(passwordStep);
    assert.equal(passwordStep.password, true);
    assert.match(passwordStep.prompt, /app password/);
    assert.equal(passwordStep.link?.url, 'https://myaccount.google.com/apppasswords');
    assert.equal(globalProfiles(), undefined);
  });

  it('after a failed test, Edit asks again with the answers so far, and Cancel writes nothing', async () => {
    const { prompter, asked } = scripted([...customAnswers('wrong-password'), 'Edit', ...customAnswers('still-wrong'), undefined]);
    assert.deepEqual(await run('sendAsEmail.addProfile', { prompter }), { status: 'cancelled' });
    const choices = asked.filter((a) => a.kind === 'choose');
    assert.equal(choices.length, 2);
    assert.match(choices[0]?.text ?? '', /failed; nothing was saved/);
    // The second round starts from the first round's address.
    const addressSteps = asked.filter((a) => a.input?.prompt.startsWith('Your email address') === true);
    assert.equal(addressSteps[1]?.input?.value, address);
    assert.deepEqual(logins, [address, address]);
    assert.equal(globalProfiles(), undefined);
  });

  it('is what the "no profile" warning offers, and choosing it creates no placeholder profile', async () => {
    const warning = Object.getOwnPropertyDescriptor(vscode.window, 'showWarningMessage');
    const createQuickPick = Object.getOwnPropertyDescriptor(vscode.window, 'createQuickPick');
    assert.ok(warning && createQuickPick);
    let offered: unknown[] = [];
    const picks: Array<vscode.QuickPick<vscode.QuickPickItem>> = [];
    // Captured, not clicked (as in security.test.ts): the warning is answered with the button, and
    // the wizard's first quick pick is closed as Escape would close it.
    Object.defineProperty(vscode.window, 'showWarningMessage', {
      configurable: true,
      writable: true,
      value: (_message: string, ...items: unknown[]) => {
        offered = items;
        return Promise.resolve('Add SMTP Profile…');
      },
    });
    Object.defineProperty(vscode.window, 'createQuickPick', {
      configurable: true,
      writable: true,
      value: () => {
        const pick = (createQuickPick.value as () => vscode.QuickPick<vscode.QuickPickItem>)();
        picks.push(pick);
        return pick;
      },
    });
    try {
      const outcome = await run('sendAsEmail.testProfile');
      assert.equal(outcome.status, 'unavailable');
      await until(() => picks.length > 0, 'the wizard\'s first step');
    } finally {
      Object.defineProperty(vscode.window, 'showWarningMessage', warning);
      Object.defineProperty(vscode.window, 'createQuickPick', createQuickPick);
    }
    assert.deepEqual(offered, ['Add SMTP Profile…', 'Open Settings']);
    assert.ok(picks[0]?.items.some((item) => item.label === 'Gmail'));
    picks[0]?.hide();
    assert.equal(globalProfiles(), undefined, 'a profile was written before any answer');
  });

  it('asks through VS Code\'s own quick input: a pick, then input boxes that check what is typed', async () => {
    const createQuickPick = Object.getOwnPropertyDescriptor(vscode.window, 'createQuickPick');
    const createInputBox = Object.getOwnPropertyDescriptor(vscode.window, 'createInputBox');
    assert.ok(createQuickPick && createInputBox);
    const picks: Array<vscode.QuickPick<vscode.QuickPickItem>> = [];
    const boxes: vscode.InputBox[] = [];
    // The very widgets the extension creates, recorded so the test can fill them in; accepting
    // goes through the workbench's own command, as Enter does.
    const recording = <T>(descriptor: PropertyDescriptor, into: T[]): PropertyDescriptor => ({
      configurable: true,
      writable: true,
      value: () => {
        const widget = (descriptor.value as () => T)();
        into.push(widget);
        return widget;
      },
    });
    Object.defineProperty(vscode.window, 'createQuickPick', recording(createQuickPick, picks));
    Object.defineProperty(vscode.window, 'createInputBox', recording(createInputBox, boxes));
    const accept = (): Thenable<unknown> => vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    try {
      const pending = vscode.commands.executeCommand<CommandOutcome>('sendAsEmail.addProfile');
      await until(() => picks.length === 1 && picks[0]?.items.length === 8, 'the provider pick');
      const pick = picks[0];
      assert.ok(pick);
      const gmail = pick.items.find((item) => item.label === 'Gmail');
      assert.ok(gmail);
      pick.activeItems = [gmail];
      await until(async () => {
        await accept();
        return boxes.length === 1;
      }, 'the address box');
      const addressBox = boxes[0];
      assert.ok(addressBox);
      addressBox.value = 'not an address';
      await accept();
      await until(() => addressBox.validationMessage !== undefined && addressBox.validationMessage !== '', 'the address refused');
      assert.equal(boxes.length, 1, 'an invalid address moved on');
      addressBox.value = 'me@gmail.com';
      await until(async () => {
        await accept();
        return boxes.length === 2;
      }, 'the name box');
      boxes[1]!.value = 'Me';
      await until(async () => {
        await accept();
        return boxes.length === 3;
      }, 'the password box');
      const passwordBox = boxes[2];
      assert.ok(passwordBox);
      assert.equal(passwordBox.password, true);
      assert.match(passwordBox.prompt ?? '', /app password/);
      assert.equal(passwordBox.buttons.length, 1, 'the button to the app password page');
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      assert.deepEqual(await pending, { status: 'cancelled' });
    } finally {
      Object.defineProperty(vscode.window, 'createQuickPick', createQuickPick);
      Object.defineProperty(vscode.window, 'createInputBox', createInputBox);
    }
    assert.equal(globalProfiles(), undefined);
  });

  it('tests the profile live, then saves it to user settings and the password to SecretStorage', async () => {
    logins = [];
    const { prompter } = scripted(customAnswers(password));
    const outcome = await run('sendAsEmail.addProfile', { prompter });
    assert.deepEqual(outcome, { status: 'added', profile: '127.0.0.1' });
    assert.deepEqual(logins, [address]);
    assert.deepEqual(globalProfiles(), { '127.0.0.1': { host: '127.0.0.1', port, security: 'none', username: address, from: `New User <${address}>` } });
    await until(async () => api.hasStoredPassword('127.0.0.1'), 'the password in SecretStorage');
  });
});
