// The settings that shape the HTML part reach it in a real VS Code: `sendAsEmail.markdown.breaks`
// and `sendAsEmail.stylesheet`, read per draft, so Save as .eml (and Send and the Preview, which
// compose the same way) follow a change at once. A `dir:` draft and syntax colours go through the
// production vendor files (dist/vendor/highlighter.js, css-inliner.js) in the extension host.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, clearUserSettings, openDraft, run, setUserSetting, workspaceFolder } from './support/extension';

const DRAFT = '---\nfrom: Ann <ann@example.com>\nto: bob@example.com\nsubject: Looks\ndir: rtl\n---\n# Title\n\nThanks,\nAnn\n\n```ts\nconst a: number = 1;\n```\n';

describe('email-html: the HTML part follows the Markdown settings', function () {
  this.timeout(60_000);
  const target = path.join(os.tmpdir(), `send-as-email-email-html-${process.pid}.eml`);

  /** The HTML part of the saved message, its quoted-printable soft breaks joined. */
  async function savedHtml(): Promise<string> {
    const editor = await openDraft('looks.md', DRAFT);
    const outcome = await run('sendAsEmail.saveEml', { uri: editor.document.uri, target });
    assert.equal(outcome.status, 'saved', JSON.stringify(outcome));
    return fs.readFileSync(target, 'utf8').replace(/=\r\n/g, '').replace(/=3D/g, '=');
  }

  before(async () => {
    await activateExtension();
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await clearUserSettings('markdown.breaks', 'stylesheet');
    fs.rmSync(target, { force: true });
  });

  it('keeps line breaks by default, colours code and sets the direction', async () => {
    const html = await savedHtml();
    assert.match(html, /Thanks,<br>/);
    assert.match(html, /<html dir="rtl">/);
    assert.match(html, /<span style="color: #[0-9a-f]{6};">const<\/span>/);
    assert.doesNotMatch(html, /<style/);
  });

  it('joins the lines of a paragraph with sendAsEmail.markdown.breaks off', async () => {
    await setUserSetting('markdown.breaks', false);
    const html = await savedHtml();
    assert.doesNotMatch(html, /Thanks,<br>/);
    assert.match(html, /Thanks,\r\nAnn/);
  });

  it('inlines the stylesheet sendAsEmail.stylesheet names, relative to the workspace folder', async () => {
    fs.writeFileSync(path.join(workspaceFolder(), 'looks.css'), 'h1 { color: #8b0000; } p { background: url(https://tracker.example/p.gif) }\n');
    await setUserSetting('stylesheet', 'looks.css');
    const html = await savedHtml();
    assert.match(html, /<h1 style="[^"]*color: #8b0000;/);
    assert.doesNotMatch(html, /tracker\.example|url\(/);
  });
});
