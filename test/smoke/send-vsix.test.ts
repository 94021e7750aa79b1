/**
 * UI smoke test, as a user meets the extension: `vsce package` → .vsix installed into a fresh
 * code-server (no development payload) → a draft opened in the editor → "Email: Send as Email"
 * run from the Command Palette → the confirmation modal answered → the password typed into
 * VS Code's password box → the message arrives at a real smtp-server over STARTTLS with
 * AUTH. A screenshot of the workbench with the protocol log is saved to test-artifacts/.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { notificationMessages, runPaletteCommand, screenshot } from '../host/browser';
import { packageVsix, startSmokeSession } from '../host/smoke';
import type { SmokeSession } from '../host/smoke';
import { createTestCertificate } from '../support/servers/certificate';
import { requireAuth, startSmtpServer } from '../support/smtp-server-peer';
import type { PeerServer } from '../support/smtp-server-peer';

const ROOT = resolve(__dirname, '..', '..');
const PASSWORD = 'smoke-Pa55-word';
const SCREENSHOT = join(ROOT, 'test-artifacts', 'smoke-send.png');

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

describe('UI smoke: the packaged .vsix sends from the Command Palette', function () {
  this.timeout(300_000);
  let dir: string;
  let smtp: PeerServer;
  let session: SmokeSession | undefined;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sae-smoke-'));
    const cert = await createTestCertificate(dir);
    smtp = await startSmtpServer(requireAuth({ key: cert.keyPem, cert: cert.certPem }, 'smoke', PASSWORD));
    const vsix = join(dir, 'send-as-email.vsix');
    packageVsix({ outFile: vsix });
    session = await startSmokeSession({
      vsix,
      openFile: 'smoke.md',
      prepare: (workspace) => {
        writeFileSync(
          join(workspace, 'smoke.md'),
          '---\nto: Bob <bob@example.test>\nbcc: audit@example.test\nsubject: Smoke test from the Command Palette\n---\n# Hello\n\nSent by the **installed** extension.\n',
        );
        mkdirSync(join(workspace, '.vscode'), { recursive: true });
        writeFileSync(
          join(workspace, '.vscode', 'settings.json'),
          JSON.stringify({
            'sendAsEmail.profiles': {
              local: { host: 'localhost', port: smtp.port, security: 'starttls', username: 'smoke', from: 'Smoke <smoke@example.test>', tls: { ca: cert.certPath } },
            },
            'sendAsEmail.defaultProfile': 'local',
            'sendAsEmail.confirmBeforeSend': true,
          }),
        );
      },
    });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && session) {
      await screenshot(session.page, join(ROOT, 'test-artifacts', 'smoke-send-failure.png')).catch(() => undefined);
    }
  });

  after(async () => {
    await session?.close();
    await smtp?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('sends the open draft through the UI, and shows the session in the protocol log', async () => {
    assert.ok(session);
    const { page } = session;
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
