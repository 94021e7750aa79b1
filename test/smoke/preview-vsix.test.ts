/**
 * UI smoke test of Preview Email, as a user meets it: the packaged .vsix (so the webview's own
 * media/preview files must ship in it) in a fresh code-server, a draft opened, "Email: Preview
 * Email" run from the Command Palette. The panel must show the subject, Bcc under "never
 * transmitted", the attachment, and the HTML part inside its sandboxed frame. The screenshot of
 * the preview beside the draft (test-artifacts/smoke-preview.png) is the one the README shows as
 * media/screenshot-preview.png, copied by hand when the panel's look changes.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { runPaletteCommand, screenshot } from '../host/browser';
import { ARTIFACTS, useSmokeSession } from './session';

const ARTIFACT = join(ARTIFACTS, 'smoke-preview.png');

const DRAFT = [
  '---',
  'to: Bob Li <bob@example.test>',
  'cc: carol@example.test',
  'bcc: audit@example.test',
  'subject: Q3 numbers',
  'attach: q3-report.csv',
  '---',
  '# Q3 numbers',
  '',
  'Hi Bob,',
  '',
  'The **Q3 figures** are attached. Highlights:',
  '',
  '- Revenue up 12 %',
  '- Two new customers in Shenzhen',
  '',
  '> Please review before Friday.',
  '',
  'Thanks,',
  'Ann',
  '',
].join('\n');

/** The Preview page inside VS Code's webview frames (an outer host frame, then the active frame). */
function previewPage(page: Page): FrameLocator {
  return page.locator('iframe.webview').first().contentFrame().locator('iframe#active-frame').contentFrame();
}

describe('UI smoke: Preview Email from the packaged .vsix', function () {
  this.timeout(300_000);
  const smoke = useSmokeSession({
    openFile: 'q3.md',
    failureScreenshot: 'smoke-preview-failure.png',
    files: { 'q3.md': DRAFT, 'q3-report.csv': 'quarter,revenue\nQ2,100\nQ3,112\n' },
    settings: () => ({
      'sendAsEmail.profiles': { work: { host: 'smtp.example.test', port: 587, security: 'starttls', username: 'ann@example.test', from: 'Ann Lee <ann@example.test>' } },
      'sendAsEmail.defaultProfile': 'work',
    }),
  });

  it('shows the message beside the draft: headers, Bcc as never transmitted, attachment, HTML', async () => {
    const { page } = smoke();
    await runPaletteCommand(page, 'Email: Preview Email');

    const preview = previewPage(page);
    const chromeBox = preview.locator('#chrome', { hasText: 'Never transmitted' });
    await chromeBox.waitFor({ state: 'visible', timeout: 90_000 });
    const chrome = await chromeBox.innerText();
    assert.equal(await preview.locator('#subject').innerText(), 'Q3 numbers');
    assert.match(chrome, /Bob Li <bob@example\.test>/);
    assert.match(chrome, /audit@example\.test/);
    assert.match(chrome, /q3-report\.csv/);
    assert.match(chrome, /work \(smtp\.example\.test:587, starttls\)/);
    // The HTML part rendered inside the sandboxed frame.
    const email = preview.locator('iframe#email').contentFrame();
    await email.locator('text=Q3 figures').first().waitFor({ state: 'visible', timeout: 30_000 });

    await page.waitForTimeout(500);
    await screenshot(page, ARTIFACT);
  });
});
