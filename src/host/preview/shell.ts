/**
 * The Preview webview's page: a fixed shell (toolbar, chrome, tabs, the sandboxed frame) that is
 * set once; every update after that is a message with new content (media/preview/preview.js), so
 * the page keeps its scroll position and tab while the draft is edited.
 *
 * Policy: nothing but our own stylesheet and the one script carrying this page's nonce may load.
 * `style-src 'unsafe-inline'` and `img-src data:` are there for the message in the frame (an
 * `srcdoc` frame inherits this policy, and also carries its own, stricter one); the frame is
 * sandboxed without `allow-scripts`, so nothing in a message ever runs.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

export interface ShellResources {
  readonly cspSource: string;
  readonly styleUri: string;
  readonly scriptUri: string;
}

function attribute(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

export function newNonce(): string {
  return randomBytes(18).toString('base64').replace(/[+/=]/g, '');
}

export function previewShell(resources: ShellResources, nonce: string): string {
  const csp = [
    "default-src 'none'",
    `style-src ${resources.cspSource} 'unsafe-inline'`,
    'img-src data:',
    'font-src data:',
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  const label = (text: string): string => attribute(text);
  return `<!DOCTYPE html>
<html lang="${attribute(vscode.env.language)}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${attribute(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${attribute(resources.styleUri)}">
<title>${label(vscode.l10n.t('Preview Email'))}</title>
</head>
<body>
<header class="toolbar">
  <h1 id="subject"></h1>
  <div class="actions">
    <div id="merge-rows" class="merge-rows" hidden>
      <button type="button" id="row-previous" class="secondary" title="${label(vscode.l10n.t('Previous row'))}" aria-label="${label(vscode.l10n.t('Previous row'))}">&#8249;</button>
      <label for="row">${label(vscode.l10n.t('Row'))}</label>
      <input type="number" id="row" min="1" value="1" inputmode="numeric">
      <span id="row-count" data-template="${label(vscode.l10n.t('of {0}'))}"></span>
      <button type="button" id="row-next" class="secondary" title="${label(vscode.l10n.t('Next row'))}" aria-label="${label(vscode.l10n.t('Next row'))}">&#8250;</button>
    </div>
    <button type="button" id="send" class="primary" disabled>${label(vscode.l10n.t('Send'))}</button>
    <button type="button" id="saveEml" class="secondary" disabled>${label(vscode.l10n.t('Save as .eml…'))}</button>
    <button type="button" id="sendMerge" class="primary" hidden>${label(vscode.l10n.t('Send Mail Merge…'))}</button>
  </div>
</header>
<main>
  <div id="chrome" aria-live="polite"></div>
  <div class="tabs" role="tablist">
    <button type="button" role="tab" id="tab-html" data-pane="html" aria-selected="true">${label(vscode.l10n.t('HTML'))}</button>
    <button type="button" role="tab" id="tab-text" data-pane="text" aria-selected="false">${label(vscode.l10n.t('Text'))}</button>
    <button type="button" role="tab" id="tab-raw" data-pane="raw" aria-selected="false">${label(vscode.l10n.t('Source'))}</button>
  </div>
  <section id="pane-html" role="tabpanel" aria-labelledby="tab-html">
    <iframe id="email" sandbox="allow-same-origin" referrerpolicy="no-referrer" title="${label(vscode.l10n.t('The HTML part of the message'))}"></iframe>
    <p id="no-html" class="note" hidden>${label(vscode.l10n.t('This message has no HTML part: recipients see the text.'))}</p>
  </section>
  <section id="pane-text" role="tabpanel" aria-labelledby="tab-text" hidden><pre id="text"></pre></section>
  <section id="pane-raw" role="tabpanel" aria-labelledby="tab-raw" hidden><pre id="raw"></pre></section>
</main>
<script nonce="${nonce}" src="${attribute(resources.scriptUri)}"></script>
</body>
</html>`;
}
