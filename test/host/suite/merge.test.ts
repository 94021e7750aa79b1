// Mail merge in a real VS Code: a merge draft (`merge: people.csv`) gets no address error for
// `to: "{{ email }}"` but an error for a column the data does not have, completion offers the
// data's columns inside `{{ }}`, the Preview shows a chosen row, and Send Mail Merge… delivers
// one message per row to the in-process SMTP server — and, cancelled midway, leaves the journal
// the CLI uses, from which a second run, confirmed with Resume in its modal (captured and
// answered through support/dialogs.ts), sends the rest exactly once. Data edited on disk is
// followed by the diagnostics and the Preview; the dry run writes one .eml per row.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { CommandOutcome } from '../../../src/commands/outcome';
import type { SendAsEmailApi } from '../../../src/host/api';
import type { PreviewSnapshot } from '../../../src/host/preview/panel';
import { activateExtension, openDraft, run, setUserSetting, until, workspaceFolder } from './support/extension';
import { replacing } from './support/dialogs';
import { startMailServer } from './support/mail-server';
import type { MailServer, ReceivedMessage } from './support/mail-server';

const USERNAME = 'ann@merge-test.local';
const PASSWORD = 'Merge-host-suite-SECRET-7c21';
const PROFILE = 'merge-local';
const SETTINGS = ['profiles', 'defaultProfile', 'confirmBeforeSend'];

const PEOPLE = ['email,name,code', 'ann@people.example,Ann,A-111', 'bob@people.example,Bob,B-222', '"cy@people.example","Cy, Jr.",C-333', ''].join('\n');

function draftFor(data: string, body = 'Dear {{ name }}, your code is {{ code }}.'): string {
  return ['---', `merge: ${data}`, 'to: "{{ email }}"', 'subject: Hello {{ name }}', '---', body, ''].join('\n');
}

function errorsOf(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Send as Email' && d.severity === vscode.DiagnosticSeverity.Error);
}

function receivedBy(server: MailServer, address: string): ReceivedMessage[] {
  return server.received.filter((message) => message.to.includes(address));
}

const sendMerge = (argument: unknown): Promise<CommandOutcome> => run('sendAsEmail.sendMerge', argument);

describe('merge: a mail merge draft in the editor', function () {
  this.timeout(60_000);
  let api: SendAsEmailApi;
  let server: MailServer;

  before(async () => {
    api = await activateExtension();
    server = await startMailServer(USERNAME, PASSWORD);
    fs.writeFileSync(path.join(workspaceFolder(), 'people.csv'), PEOPLE);
    await setUserSetting('profiles', {
      [PROFILE]: { host: '127.0.0.1', port: server.port, security: 'starttls', username: USERNAME, from: 'Ann Lee <ann@merge-test.local>', tls: { ca: server.caPath } },
    });
    await setUserSetting('defaultProfile', PROFILE);
    // The modal confirmation is answered by the setting, as in the other sending suites.
    await setUserSetting('confirmBeforeSend', false);
    assert.deepEqual(await run('sendAsEmail.setPassword', { profile: PROFILE, password: PASSWORD }), { status: 'stored', profile: PROFILE });
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const key of SETTINGS) await vscode.workspace.getConfiguration('sendAsEmail').update(key, undefined, vscode.ConfigurationTarget.Global);
    await server?.close();
  });

  it('checks a merge draft as a row renders it: no address error for {{ email }}, an error for an unknown column', async () => {
    const editor = await openDraft('merge-live.md', draftFor('people.csv'));
    const uri = editor.document.uri;
    await until(() => api.editor.isMergeDraft, 'the isMergeDraft context key');
    // The status bar counts row 1's recipient only once the check found no error.
    await until(() => api.editor.statusBarText?.includes('1 recipient') === true, `a checked merge draft (status: ${api.editor.statusBarText ?? ''})`);
    assert.deepEqual(errorsOf(uri).map((d) => d.code), []);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    assert.deepEqual(lenses.map((lens) => lens.command?.command), ['sendAsEmail.sendMerge', 'sendAsEmail.preview', 'sendAsEmail.chooseDraftProfile']);

    await editor.edit((edit) => edit.replace(new vscode.Range(5, 0, 5, editor.document.lineAt(5).text.length), 'Dear {{ nmae }}, your code is {{ code }}.'));
    let unknown: vscode.Diagnostic | undefined;
    await until(() => (unknown = errorsOf(uri).find((d) => d.code === 'merge-unknown-column')) !== undefined, 'the unknown column error');
    assert.ok(unknown);
    assert.deepEqual([unknown.range.start.line, unknown.range.start.character, unknown.range.end.character], [5, 5, 15]);
    assert.match(unknown.message, /nmae/);
    assert.match(unknown.message, /email, name, code/);
    assert.deepEqual(errorsOf(uri).map((d) => d.code), ['merge-unknown-column'], 'no other error: the placeholders are not addresses');

    // Data that cannot be read: one error on the merge: line, and still no address error.
    await editor.edit((edit) => edit.replace(editor.document.lineAt(1).range, 'merge: nobody.csv'));
    await until(() => errorsOf(uri).some((d) => d.code === 'merge-data'), 'the data file error');
    const data = errorsOf(uri);
    assert.deepEqual(data.map((d) => [d.code, d.range.start.line]), [['merge-data', 1]]);
    assert.match(data[0]?.message ?? '', /cannot read the data file: ENOENT/);
  });

  it('checks a merge draft again when its data changes on disk', async () => {
    fs.writeFileSync(path.join(workspaceFolder(), 'watched.csv'), PEOPLE);
    // Opened as it is on disk, never edited: no typing pause is pending when the data changes.
    const editor = await openDraft('merge-watched.md', draftFor('watched.csv', 'Dear {{ nmae }}.'));
    const uri = editor.document.uri;
    await until(() => errorsOf(uri).some((d) => d.code === 'merge-unknown-column'), 'the unknown column error');
    fs.writeFileSync(path.join(workspaceFolder(), 'watched.csv'), ['email,name,code,nmae', 'ann@people.example,Ann,A-111,Annie', ''].join('\n'));
    await until(() => errorsOf(uri).length === 0, `no error once the data has the column (now: ${errorsOf(uri).map((d) => d.message).join(' | ')})`);
  });

  it('offers the data columns inside {{ }} in the body and the front matter', async () => {
    const editor = await openDraft('merge-complete.md', draftFor('people.csv', 'Hi {{ '));
    await until(() => api.editor.isMergeDraft, 'the isMergeDraft context key');
    const labels = async (position: vscode.Position): Promise<string[]> => {
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', editor.document.uri, position);
      return list.items.filter((item) => item.kind === vscode.CompletionItemKind.Field).map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
    };
    assert.deepEqual(await labels(new vscode.Position(5, 6)), ['email', 'name', 'code']);
    // Inside `subject: Hello {{ name }}`, on the name.
    assert.deepEqual(await labels(new vscode.Position(3, 20)), ['email', 'name', 'code']);
    // Outside the braces the front matter keys are offered, not the columns.
    assert.deepEqual(await labels(new vscode.Position(3, 4)), []);
  });

  it('previews a chosen row: the row picker switches to row 2', async () => {
    fs.writeFileSync(path.join(workspaceFolder(), 'rows.csv'), PEOPLE);
    await openDraft('merge-preview.md', draftFor('rows.csv'));
    const outcome = await run('sendAsEmail.preview');
    assert.equal(outcome.status, 'previewed', JSON.stringify(outcome));
    // The row whose subject is `subject`, once the webview reports it on screen.
    const shown = async (subject: string): Promise<PreviewSnapshot> => {
      const onScreen = (s: PreviewSnapshot | undefined): s is PreviewSnapshot => s?.content.subject === subject && s.renderedVersion === s.version;
      await until(() => onScreen(api.preview.snapshot()), `the row with subject "${subject}"`, 15_000);
      const snapshot = api.preview.snapshot();
      assert.ok(onScreen(snapshot));
      return snapshot;
    };
    const first = await shown('Hello Ann');
    assert.deepEqual(first.merge, { row: 1, rows: 3 });
    assert.match(first.content.text ?? '', /Dear Ann, your code is A-111\./);

    assert.deepEqual(await api.preview.receive({ type: 'row', row: 2 }), { row: 2, rows: 3 });
    const second = await shown('Hello Bob');
    assert.deepEqual(second.merge, { row: 2, rows: 3 });
    assert.match(second.content.text ?? '', /Dear Bob, your code is B-222\./);
    assert.match(second.content.chrome, /bob@people\.example/);
    assert.match(second.bytes?.toString('utf8') ?? '', /^To: bob@people\.example\r$/m);
    assert.equal(server.connections, 0, 'the preview connected to the server');

    // The data file changes on disk: the row shown follows.
    fs.writeFileSync(path.join(workspaceFolder(), 'rows.csv'), PEOPLE.replace('B-222', 'B-222-NEW'));
    const changed = await shown('Hello Bob');
    await until(() => (api.preview.snapshot()?.content.text ?? '').includes('B-222-NEW'), 'the changed value in the preview');
    assert.deepEqual(changed.merge, { row: 2, rows: 3 });
  });

  it('Write Mail Merge as .eml Files writes one file per row, beside the draft, and connects to nothing', async () => {
    const editor = await openDraft('merge-dry.md', draftFor('people.csv'));
    const connections = server.connections;
    const outcome = await run('sendAsEmail.writeMerge', { uri: editor.document.uri });
    assert.equal(outcome.status, 'written', JSON.stringify(outcome));
    if (outcome.status !== 'written') return;
    assert.equal(outcome.folder, path.join(workspaceFolder(), 'merge-dry.merge'));
    assert.equal(outcome.counts.written, 3);
    const files = fs.readdirSync(outcome.folder).sort();
    assert.deepEqual(files, ['001-ann@people.example.eml', '002-bob@people.example.eml', '003-cy@people.example.eml']);
    assert.match(fs.readFileSync(path.join(outcome.folder, files[1] ?? ''), 'utf8'), /^To: bob@people\.example\r$/m);
    assert.equal(server.connections, connections, 'the dry run connected to the server');
    assert.equal(fs.existsSync(path.join(workspaceFolder(), 'people.sent.jsonl')), false, 'the dry run wrote a journal');
  });

  it('Send Mail Merge… delivers one message per row with its own values and opens the report', async () => {
    const editor = await openDraft('merge-send.md', draftFor('people.csv'));
    const journal = path.join(workspaceFolder(), 'people.sent.jsonl');
    const report = path.join(workspaceFolder(), 'people.report.csv');
    // Send as Email never sends the template as one message: it points to Send Mail Merge….
    assert.deepEqual(await run('sendAsEmail.send', { uri: editor.document.uri }), { status: 'unavailable', reason: 'merge draft' });
    assert.equal(server.connections, 0);
    const outcome = await sendMerge({ uri: editor.document.uri });
    assert.equal(outcome.status, 'merged', JSON.stringify(outcome));
    if (outcome.status !== 'merged') return;
    assert.equal(outcome.counts.sent, 3);
    assert.equal(outcome.journal, journal);
    for (const [address, name, code] of [['ann@people.example', 'Ann', 'A-111'], ['bob@people.example', 'Bob', 'B-222'], ['cy@people.example', 'Cy, Jr.', 'C-333']] as const) {
      const messages = receivedBy(server, address);
      assert.equal(messages.length, 1, `${address} received ${messages.length} messages`);
      const text = messages[0]?.bytes.toString('utf8') ?? '';
      assert.match(text, new RegExp(`^Subject: Hello ${name}\\r$`, 'm'));
      assert.match(text, new RegExp(`Dear ${name}, your code is ${code}\\.`));
      assert.equal(messages[0]?.secure, true);
    }
    assert.equal(fs.readFileSync(journal, 'utf8').split('\n').filter((line) => line.includes('"state":"sent"')).length, 3);
    assert.match(fs.readFileSync(report, 'utf8'), /^bob@people\.example,Bob,B-222,sent,<[^>]+>,/m);
    await until(() => vscode.window.activeTextEditor?.document.uri.fsPath === report, 'the report opened');

    // The same run again sends nothing: the journal says every row is sent.
    const received = server.received.length;
    const again = await sendMerge({ uri: editor.document.uri });
    assert.equal(again.status, 'unavailable', JSON.stringify(again));
    assert.equal(server.received.length, received);
  });

  it('from the Preview\'s Send Mail Merge… button: skips a row with a problem and sends the others', async () => {
    fs.writeFileSync(path.join(workspaceFolder(), 'gaps.csv'), ['email,name,code', 'ivy@gaps.example,Ivy,I-1', ',Nobody,N-0', 'jo@gaps.example,Jo,J-3', ''].join('\n'));
    await openDraft('merge-gaps.md', draftFor('gaps.csv'));
    assert.equal((await run('sendAsEmail.preview')).status, 'previewed');
    await until(() => api.preview.snapshot()?.content.subject === 'Hello Ivy', 'row 1 in the Preview');
    const outcome = (await api.preview.receive({ type: 'sendMerge' })) as CommandOutcome;
    assert.equal(outcome.status, 'merged', JSON.stringify(outcome));
    if (outcome.status === 'merged') assert.deepEqual([outcome.counts.sent, outcome.counts.invalid], [2, 1]);
    assert.equal(receivedBy(server, 'ivy@gaps.example').length, 1);
    assert.equal(receivedBy(server, 'jo@gaps.example').length, 1);
    assert.match(fs.readFileSync(path.join(workspaceFolder(), 'gaps.report.csv'), 'utf8'), /^,Nobody,N-0,invalid,/m);
  });

  it('a run cancelled midway leaves a journal from which Resume sends the rest exactly once', async () => {
    const rows = ['email,name,code', ...['dee', 'eve', 'fay', 'gus', 'hal'].map((name, index) => `${name}@later.example,${name},X-${index}`), ''].join('\n');
    fs.writeFileSync(path.join(workspaceFolder(), 'later.csv'), rows);
    const editor = await openDraft('merge-cancel.md', draftFor('later.csv'));
    const controller = new AbortController();
    let mails = 0;
    // The third MAIL FROM cancels the run, as the notification's Cancel button would.
    server.hold = {
      onHold: () => {
        mails++;
        if (mails === 3) controller.abort();
      },
      release: Promise.resolve(),
    };
    try {
      const cancelled = await sendMerge({ uri: editor.document.uri, signal: controller.signal });
      assert.equal(cancelled.status, 'merged', JSON.stringify(cancelled));
      if (cancelled.status === 'merged') {
        assert.equal(cancelled.cancelled, true);
        assert.deepEqual([cancelled.counts.sent, cancelled.counts['not-attempted']], [2, 3]);
      }
    } finally {
      server.hold = undefined;
    }
    const later = (): number => server.received.filter((message) => message.to.some((to) => to.endsWith('@later.example'))).length;
    assert.equal(later(), 2, 'two rows went before the cancel');
    const journal = fs.readFileSync(path.join(workspaceFolder(), 'later.sent.jsonl'), 'utf8');
    assert.equal(journal.split('\n').filter((line) => line.includes('"state":"sent"')).length, 2);

    // Resume through the modal confirmation, captured and answered as a click would (support/dialogs.ts).
    await setUserSetting('confirmBeforeSend', true);
    const modals: Array<{ readonly question: string; readonly detail: string; readonly buttons: readonly string[] }> = [];
    const modal = (answer: string | undefined) => (question: string, ...rest: unknown[]): Thenable<string | undefined> => {
      const options = rest[0] as { modal?: boolean; detail?: string } | undefined;
      if (options?.modal !== true) return Promise.resolve(undefined);
      modals.push({ question, detail: options.detail ?? '', buttons: rest.filter((item): item is string => typeof item === 'string') });
      return Promise.resolve(answer);
    };
    const before = later();
    let resumed: CommandOutcome;
    try {
      const escaped = await replacing(vscode.window, 'showWarningMessage', { value: modal(undefined), writable: true }, () => sendMerge({ uri: editor.document.uri }));
      assert.equal(escaped.status, 'cancelled', JSON.stringify(escaped));
      assert.equal(later(), before, 'Escape on the modal sent something');
      resumed = await replacing(vscode.window, 'showWarningMessage', { value: modal('Resume'), writable: true }, () => sendMerge({ uri: editor.document.uri }));
    } finally {
      await setUserSetting('confirmBeforeSend', false);
    }
    const asked = modals[1];
    assert.ok(asked, 'no modal confirmation');
    assert.equal(asked.question, 'Resume the mail merge "Hello fay": send the 3 remaining message(s)?');
    assert.deepEqual(asked.buttons, ['Resume']);
    for (const line of ['Rows: 5', 'Already sent (journal): 2', 'To send now: 3', 'Rate: no limit (a custom server)', `Through profile "${PROFILE}": 127.0.0.1:${server.port} (starttls)`, 'First recipient: fay@later.example']) {
      assert.ok(asked.detail.split('\n').includes(line), `the modal's detail lacks "${line}":\n${asked.detail}`);
    }
    assert.equal(resumed.status, 'merged', JSON.stringify(resumed));
    if (resumed.status === 'merged') {
      assert.equal(resumed.counts['already-sent'], 2);
      assert.equal(resumed.counts.sent, 3);
    }
    for (const name of ['dee', 'eve', 'fay', 'gus', 'hal']) assert.equal(receivedBy(server, `${name}@later.example`).length, 1, `${name} did not get exactly one message`);
  });
});
