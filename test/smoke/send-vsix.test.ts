/**
 * UI smoke test, as a user meets the extension: `vsce package` → .vsix installed into a fresh
 * code-server (no development payload) → a draft opened in the editor → "Email: Send as Email"
 * run from the Command Palette → the confirmation modal answered → the password typed into
 * VS Code's password box → the message arrives at a real smtp-server over STARTTLS with
 * AUTH. A screenshot of the workbench with the protocol log is saved to test-artifacts/.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { notificationMessages, runPaletteCommand, screenshot } from '../host/browser';
import { createTestCertificate } from '../support/servers/certificate';
import type { TestCertificate } from '../support/servers/certificate';
import { requireAuth, startSmtpServer } from '../support/smtp-server-peer';
import type { PeerServer } from '../support/smtp-server-peer';
import { ARTIFACTS, useSmokeSession, waitFor } from './session';

const PASSWORD = 'smoke-Pa55-word';
const SCREENSHOT = join(ARTIFACTS, 'smoke-send.png');

describe('UI smoke: the packaged .vsix sends from the Command Palette', function () {
  this.timeout(300_000);
  let dir: string;
  let cert: TestCertificate;
  let smtp: PeerServer;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sae-smoke-'));
    cert = await createTestCertificate(dir);
    smtp = await startSmtpServer(requireAuth({ key: cert.keyPem, cert: cert.certPem }, 'smoke', PASSWORD));
  });

  after(async () => {
    await smtp?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const smoke = useSmokeSession({
    openFile: 'smoke.md',
    failureScreenshot: 'smoke-send-failure.png',
    files: { 'smoke.md': '---\nto: Bob <bob@example.test>\nbcc: audit@example.test\nsubject: Smoke test from the Command Palette\n---\n# Hello\n\nSent by the **installed** extension.\n' },
    settings: () => ({
      'sendAsEmail.profiles': {
        local: { host: 'localhost', port: smtp.port, security: 'starttls', username: 'smoke', from: 'Smoke <smoke@example.test>', tls: { ca: cert.certPath } },
      },
      'sendAsEmail.defaultProfile': 'local',
      'sendAsEmail.confirmBeforeSend': true,
    }),
  });

  it('sends the open draft through the UI, and shows the session in the protocol log', async () => {
    const { page } = smoke();
    await runPaletteCommand(page, 'Email: Send as Email');

    // The confirmation modal names the recipients; answer it with its Send button.
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 60_000 });
    const dialogText = await dialog.innerText();
    assert.match(dialogText, /bob@example\.test/);
    await dialog.locator('.monaco-button', { hasText: /^Send$/ }).first().click();

    // Then, on the first send, VS Code's masked input box asks for the password (then SecretStorage keeps it).
    const password = page.locator('.quick-input-widget input[type="password"]');
    await password.waitFor({ state: 'visible', timeout: 60_000 });
    await password.fill(PASSWORD);
    await page.keyboard.press('Enter');

    const received = await waitFor('the message at the SMTP server', 90_000, () => smtp.messages[0]);
    assert.deepEqual(received.to, ['bob@example.test', 'audit@example.test']);
    const head = received.data.toString('utf8').split('\r\n\r\n')[0] ?? '';
    assert.match(head, /^Subject: Smoke test from the Command Palette$/m);
    assert.doesNotMatch(head, /^Bcc:/im);

    const success = await waitFor('the success notification', 60_000, async () =>
      (await notificationMessages(page)).find((m) => /Message-ID|<[^>]+@example\.test>/.test(m)),
    );
    assert.match(success, /250/);

    await runPaletteCommand(page, 'Email: Show Protocol Log');
    const log = page.locator('.output-view, .panel .monaco-editor').first();
    await log.waitFor({ state: 'visible', timeout: 30_000 });
    let lastPanelText = '';
    await waitFor('the session in the Output panel', 30_000, async () => {
      // Monaco renders spaces as no-break spaces.
      const text = (await page.locator('.part.panel').first().innerText().catch(() => '')).replace(/\u00a0/g, ' ');
      lastPanelText = text;
      // The Output view renders only its visible lines: the end of the session is what shows.
      return /S: 250 /.test(text) && /\*: sent <[^>]+> to 2 recipient/.test(text) ? text : undefined;
    }).catch((error: unknown) => {
      throw new Error(`${String(error)}; the panel showed:\n${lastPanelText}`);
    });
    const panelText = (await page.locator('.part.panel').first().innerText()).replace(/\u00a0/g, ' ');
    assert.ok(!panelText.includes(PASSWORD), 'the password is visible in the Output panel');
    await screenshot(page, SCREENSHOT);
  });
});
