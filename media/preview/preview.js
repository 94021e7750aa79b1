// The Preview Email page's script (loaded with this page's nonce). The extension posts
// { type: 'update', version, content }; the page swaps in the new content without reloading,
// so scroll position and the chosen tab stay. The message's HTML goes into a sandboxed frame
// without scripts; this script only sizes the frame to its content, so the page scrolls as one.
// It reports back 'ready', 'rendered' (a version is on screen) and the two buttons. For a mail
// merge draft (`merge` in the update: the row shown and how many) it shows the row picker, which
// posts { type: 'row', row }, and Send Mail Merge… in place of Send and Save as .eml.
// @ts-check
(function () {
  'use strict';
  // eslint-disable-next-line no-undef
  const vscode = acquireVsCodeApi();
  /** @param {string} id */
  const byId = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
  const frame = /** @type {HTMLIFrameElement} */ (byId('email'));
  const sendButton = /** @type {HTMLButtonElement} */ (byId('send'));
  const saveButton = /** @type {HTMLButtonElement} */ (byId('saveEml'));
  const mergeButton = /** @type {HTMLButtonElement} */ (byId('sendMerge'));
  const rowInput = /** @type {HTMLInputElement} */ (byId('row'));
  let rows = 0;
  const state = vscode.getState() || { tab: 'html', scrollY: 0 };
  let version = -1;
  let frameVersion = -1;
  let restored = false;

  /** @param {string} pane */
  function selectTab(pane) {
    for (const tab of document.querySelectorAll('[role="tab"]')) {
      const selected = tab.getAttribute('data-pane') === pane;
      tab.setAttribute('aria-selected', String(selected));
      byId(`pane-${tab.getAttribute('data-pane')}`).hidden = !selected;
    }
    state.tab = pane;
    vscode.setState(state);
    fitFrame();
  }

  function fitFrame() {
    const body = frame.contentDocument && frame.contentDocument.documentElement;
    if (body) frame.style.height = `${Math.max(120, body.scrollHeight)}px`;
  }

  /** @param {number} shown */
  function rendered(shown) {
    if (!restored) {
      restored = true;
      window.scrollTo(0, state.scrollY || 0);
    }
    vscode.postMessage({ type: 'rendered', version: shown });
  }

  frame.addEventListener('load', () => {
    fitFrame();
    // The frame is same-origin but runs no script: its document is there once it has loaded.
    if (frame.contentDocument && frame.contentDocument.body && frameVersion === version) rendered(version);
  });

  /** @param {unknown} value */
  function isUpdate(value) {
    if (typeof value !== 'object' || value === null) return false;
    const message = /** @type {Record<string, unknown>} */ (value);
    const content = /** @type {Record<string, unknown>} */ (message.content);
    return message.type === 'update' && typeof message.version === 'number' && typeof content === 'object' && content !== null && typeof content.chrome === 'string';
  }

  window.addEventListener('message', (event) => {
    if (!isUpdate(event.data)) return;
    const message = event.data;
    const content = message.content;
    version = message.version;
    byId('subject').textContent = content.subject || '';
    // Built by the extension with every value from the draft or the message escaped.
    byId('chrome').innerHTML = content.chrome;
    const isMessage = content.kind === 'message';
    sendButton.disabled = !isMessage;
    saveButton.disabled = !isMessage;
    showMerge(/** @type {unknown} */ (message.merge));
    document.body.classList.toggle('has-problems', !isMessage);
    byId('text').textContent = typeof content.text === 'string' ? content.text : '';
    byId('raw').textContent = typeof content.raw === 'string' ? content.raw : '';
    const hasHtml = typeof content.email === 'string';
    frame.hidden = !hasHtml;
    byId('no-html').hidden = hasHtml || !isMessage;
    if (hasHtml && frame.srcdoc !== content.email) {
      frameVersion = version;
      frame.srcdoc = content.email;
    } else {
      rendered(version);
    }
  });

  /** @param {unknown} merge */
  function showMerge(merge) {
    const choice = /** @type {Record<string, unknown> | null} */ (typeof merge === 'object' ? merge : null);
    const isMerge = choice !== null && typeof choice.row === 'number' && typeof choice.rows === 'number';
    byId('merge-rows').hidden = !isMerge;
    mergeButton.hidden = !isMerge;
    sendButton.hidden = isMerge;
    saveButton.hidden = isMerge;
    if (!isMerge || choice === null) return;
    rows = Number(choice.rows);
    rowInput.max = String(Math.max(1, rows));
    if (document.activeElement !== rowInput) rowInput.value = String(choice.row);
    const count = byId('row-count');
    count.textContent = (count.getAttribute('data-template') || '{0}').replace('{0}', String(rows));
    /** @type {HTMLButtonElement} */ (byId('row-previous')).disabled = Number(choice.row) <= 1;
    /** @type {HTMLButtonElement} */ (byId('row-next')).disabled = Number(choice.row) >= rows;
  }

  /** @param {number} row */
  function chooseRow(row) {
    if (!Number.isInteger(row) || row < 1) return;
    vscode.postMessage({ type: 'row', row: Math.min(row, Math.max(1, rows)) });
  }

  rowInput.addEventListener('change', () => chooseRow(Number(rowInput.value)));
  byId('row-previous').addEventListener('click', () => chooseRow(Number(rowInput.value) - 1));
  byId('row-next').addEventListener('click', () => chooseRow(Number(rowInput.value) + 1));
  mergeButton.addEventListener('click', () => vscode.postMessage({ type: 'sendMerge' }));

  for (const tab of document.querySelectorAll('[role="tab"]')) {
    tab.addEventListener('click', () => selectTab(tab.getAttribute('data-pane') || 'html'));
  }
  sendButton.addEventListener('click', () => vscode.postMessage({ type: 'send', version }));
  saveButton.addEventListener('click', () => vscode.postMessage({ type: 'saveEml', version }));
  window.addEventListener('scroll', () => {
    state.scrollY = window.scrollY;
    vscode.setState(state);
  }, { passive: true });
  window.addEventListener('resize', fitFrame);

  selectTab(state.tab || 'html');
  vscode.postMessage({ type: 'ready' });
})();
