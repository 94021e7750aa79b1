// The draft-aware editor in a real VS Code: live diagnostics that come and go while typing,
// nothing on a README (no diagnostics, no CodeLens, the isDraft context key false), the quick
// fixes (asserting the text after each is applied), the CodeLens, the status bar item and the
// keybinding's `when`.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { COMMAND_IDS } from '../../../src/commands/command-ids';
import { formatBytes } from '../../../src/core/byte-size';
import type { SendAsEmailApi } from '../../../src/host/api';
import { EXTENSION_ID, activateExtension, openDraft, setUserSetting, until } from './support/extension';

function codesOf(uri: vscode.Uri): string[] {
  return vscode.languages
    .getDiagnostics(uri)
    .filter((diagnostic) => diagnostic.source === 'Send as Email')
    .map((diagnostic) => (typeof diagnostic.code === 'string' ? diagnostic.code : ''));
}

async function diagnosticWith(uri: vscode.Uri, code: string): Promise<vscode.Diagnostic> {
  let found: vscode.Diagnostic | undefined;
  await until(() => {
    found = vscode.languages.getDiagnostics(uri).find((diagnostic) => diagnostic.code === code);
    return found !== undefined;
  }, `a ${code} diagnostic on ${uri.path} (now: ${codesOf(uri).join(', ')})`);
  assert.ok(found);
  return found;
}

/** Replaces the whole text of the editor, as typing would (no save, no command). */
async function retype(editor: vscode.TextEditor, text: string): Promise<void> {
  const document = editor.document;
  const whole = new vscode.Range(0, 0, document.lineCount, 0);
  assert.ok(await editor.edit((edit) => edit.replace(whole, text)));
}

/** Applies the quick fix titled `title` offered for the diagnostic with `code`; returns the text after. */
async function applyFix(editor: vscode.TextEditor, code: string, title: string): Promise<string> {
  const uri = editor.document.uri;
  const diagnostic = await diagnosticWith(uri, code);
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
  const action = actions.find((candidate) => candidate.title === title);
  assert.ok(action?.edit, `no quick fix "${title}" among: ${actions.map((a) => a.title).join(' | ')}`);
  assert.ok(await vscode.workspace.applyEdit(action.edit));
  return editor.document.getText();
}

describe('editor: the draft-aware editor', () => {
  let api: SendAsEmailApi;

  before(async () => {
    api = await activateExtension();
    await setUserSetting('profiles', {
      work: { host: '127.0.0.1', port: 2525, security: 'none', username: 'me@example.com', from: 'me@example.com' },
      home: { host: '127.0.0.1', port: 2526, security: 'none', from: 'me@example.org' },
    });
    await setUserSetting('defaultProfile', 'work');
  });

  after(async () => {
    await setUserSetting('defaultProfile', undefined);
    await setUserSetting('profiles', undefined);
  });

  it('checks a draft as it is typed: problems appear, clear when fixed, and go when it stops being a draft', async () => {
    const editor = await openDraft('live.md', '---\nto: bob@example.com\nsubject: Hi\n---\nHello\n');
    const uri = editor.document.uri;
    await until(() => api.editor.isDraft, 'the isDraft context key');
    await retype(editor, '---\nto: bob@example.com\nsubjet: Hi\n---\nSee the attached report.\n');
    await diagnosticWith(uri, 'unknown-key');
    await diagnosticWith(uri, 'forgotten-attachment');
    await retype(editor, '---\nto: bob@example.com\nsubject: Hi\n---\nSee the attached report.\n');
    await until(() => !codesOf(uri).includes('unknown-key'), 'the fixed key to lose its diagnostic');
    assert.deepEqual(codesOf(uri), ['forgotten-attachment']);
    await retype(editor, '# Just notes\n\nNo front matter any more.\n');
    await until(() => codesOf(uri).length === 0, 'no diagnostics once it is not a draft');
    await until(() => !api.editor.isDraft, 'isDraft false');
  });

  it('drops the problems of a draft that is closed (changing its language closes it)', async () => {
    const editor = await openDraft('closing.md', '---\nto: bob@example.com\nsubjet: Hi\n---\nHello\n');
    await diagnosticWith(editor.document.uri, 'unknown-key');
    const json = await vscode.languages.setTextDocumentLanguage(editor.document, 'json');
    await until(() => codesOf(json.uri).length === 0, 'the closed draft to lose its diagnostics');
  });

  it('gives a README no diagnostics, no CodeLens, no status bar item, and leaves none after a Send', async () => {
    const editor = await openDraft('README.md', '# Project\n\nto: nobody, this is not a draft.\n');
    const uri = editor.document.uri;
    await until(() => !api.editor.isDraft, 'isDraft false on the README');
    assert.equal(api.editor.statusBarText, undefined);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    assert.deepEqual(lenses.filter((lens) => lens.command?.command.startsWith('sendAsEmail.')), []);
    const outcome = await vscode.commands.executeCommand<{ status: string }>(COMMAND_IDS.send, uri);
    assert.equal(outcome.status, 'invalid');
    assert.deepEqual(codesOf(uri), [], 'sending a README left its error in Problems');
  });

  it('puts Send · Preview · Save as .eml · profile on the first line, and the profile lens writes profile:', async () => {
    const editor = await openDraft('lens.md', '---\nto: bob@example.com\nsubject: Hi\n---\nHello\n');
    const uri = editor.document.uri;
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 10);
    const ours = lenses.filter((lens) => lens.command?.command.startsWith('sendAsEmail.'));
    assert.deepEqual(ours.map((lens) => lens.command?.command), [COMMAND_IDS.send, COMMAND_IDS.preview, COMMAND_IDS.saveEml, COMMAND_IDS.chooseDraftProfile]);
    assert.ok(ours.every((lens) => lens.range.start.line === 0 && String(lens.command?.arguments?.[0]) === uri.toString()));
    assert.equal(ours[3]?.command?.title, 'profile: work');
    assert.equal(await vscode.commands.executeCommand(COMMAND_IDS.chooseDraftProfile, { uri, profile: 'home' }), 'home');
    assert.equal(editor.document.getText(), '---\nto: bob@example.com\nsubject: Hi\nprofile: home\n---\nHello\n');
  });

  it('shows a sent draft as sent: an Information diagnostic on its sent: line, gone when the receipt is', async () => {
    const text = '---\nto: bob@example.com\nsubject: Hi\nsent: 2026-12-02T10:15:00Z\nmessage-id: "<r1@example.com>"\n---\nHello\n';
    const editor = await openDraft('sent.md', text);
    const uri = editor.document.uri;
    const note = await diagnosticWith(uri, 'sent');
    assert.equal(note.severity, vscode.DiagnosticSeverity.Information);
    assert.equal(note.range.start.line, 3);
    assert.equal(note.message, 'sent on 2026-12-02T10:15:00Z as <r1@example.com>');
    await retype(editor, text.replace(/sent: .*\nmessage-id: .*\n/, ''));
    await until(() => !codesOf(uri).includes('sent'), 'the note to go with the receipt');
  });

  it('shows profile, recipients and size in the status bar while a draft is active: the size Save as .eml writes', async () => {
    const editor = await openDraft('status.md', '---\nto: bob@example.com, ann@example.com\nsubject: Hi\n---\nHello **there**\n');
    await until(() => /^\$\(mail\) work · 2 recipients · \d+(\.\d)? (B|KiB)$/.test(api.editor.statusBarText ?? ''), `the status bar text (now: ${api.editor.statusBarText})`);
    const target = path.join(os.tmpdir(), `send-as-email-status-${process.pid}.eml`);
    try {
      const outcome = await vscode.commands.executeCommand<{ status: string }>(COMMAND_IDS.saveEml, { uri: editor.document.uri, target });
      assert.equal(outcome.status, 'saved', JSON.stringify(outcome));
      assert.equal(api.editor.statusBarText, `$(mail) work · 2 recipients · ${formatBytes(fs.statSync(target).size)}`);
    } finally {
      fs.rmSync(target, { force: true });
    }
  });

  describe('quick fixes', () => {
    it('corrects a misspelt key', async () => {
      const editor = await openDraft('fix-key.md', '---\nto: bob@example.com\nsubjet: Hi\n---\nHello\n');
      assert.equal(await applyFix(editor, 'unknown-key', 'Change to subject'), '---\nto: bob@example.com\nsubject: Hi\n---\nHello\n');
    });

    it('adds a missing subject line', async () => {
      const editor = await openDraft('fix-subject.md', '---\nto: bob@example.com\n---\nHello\n');
      assert.equal(await applyFix(editor, 'empty-subject', 'Add a subject: line'), '---\nto: bob@example.com\nsubject: \n---\nHello\n');
    });

    it('moves a link to a local file to attach:', async () => {
      const editor = await openDraft('fix-link.md', '---\nto: bob@example.com\nsubject: Hi\n---\nHere is [the report](report.pdf).\n');
      assert.equal(
        await applyFix(editor, 'local-link', 'Attach report.pdf instead of linking to it'),
        '---\nto: bob@example.com\nsubject: Hi\nattach:\n  - report.pdf\n---\nHere is the report.\n',
      );
    });

    it('offers each configured profile for an unknown one', async () => {
      const editor = await openDraft('fix-profile.md', '---\nto: bob@example.com\nsubject: Hi\nprofile: wrok\n---\nHello\n');
      const diagnostic = await diagnosticWith(editor.document.uri, 'unknown-profile');
      assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
      assert.equal(await applyFix(editor, 'unknown-profile', 'Use profile home'), '---\nto: bob@example.com\nsubject: Hi\nprofile: home\n---\nHello\n');
    });

    it('mends an address with a stray character', async () => {
      const editor = await openDraft('fix-address.md', '---\nto: ann@example.com, bob@example.com>\nsubject: Hi\n---\nHello\n');
      assert.equal(await applyFix(editor, 'invalid-address', 'Change to bob@example.com'), '---\nto: ann@example.com, bob@example.com\nsubject: Hi\n---\nHello\n');
    });
  });

  it('contributes Ctrl+Alt+Enter / Cmd+Alt+Enter for Send, and the editor-title Send, only in a draft', () => {
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as {
      activationEvents: string[];
      contributes: { keybindings: Array<Record<string, string>>; menus: Record<string, Array<Record<string, string>>> };
    };
    const binding = manifest.contributes.keybindings.find((entry) => entry['command'] === COMMAND_IDS.send);
    assert.deepEqual(binding, { command: COMMAND_IDS.send, key: 'ctrl+alt+enter', mac: 'cmd+alt+enter', when: 'editorTextFocus && sendAsEmail.isDraft' });
    const title = manifest.contributes.menus['editor/title']?.find((entry) => entry['command'] === COMMAND_IDS.send);
    assert.equal(title?.['when'], 'sendAsEmail.isDraft');
    assert.ok(manifest.activationEvents.includes('onLanguage:markdown') && manifest.activationEvents.includes('onLanguage:plaintext'));
  });
});
