/**
 * UI smoke test of writing a draft, as a user meets it: the packaged .vsix in a fresh
 * code-server, a draft with two problems opened, "Email: Choose SMTP Profile for This Draft…"
 * run from the Command Palette and a profile picked. Read from the workbench's DOM: the
 * problems are underlined, the CodeLens above the front matter offers Send, Preview and the
 * chosen profile, and the status bar item counts the recipients; Ctrl+Alt+Enter in the draft
 * opens Send's confirmation. The screenshot
 * (test-artifacts/smoke-draft.png) is the one the README shows as media/screenshot-draft.png,
 * copied by hand when the editor's look changes.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runPaletteCommand, screenshot } from '../host/browser';
import { ARTIFACTS, useSmokeSession, waitFor } from './session';

const ARTIFACT = join(ARTIFACTS, 'smoke-draft.png');

// Two warnings: "attached" with nothing in `attach:`, and a Markdown link to a local file.
const DRAFT = [
  '---',
  'to: Bob Li <bob@example.com>, ann@example.com',
  'subject: Q3 report',
  '---',
  'Hi Bob, hi Ann,',
  '',
  'Please find the attached report with the numbers for Q3.',
  "Last year's summary is [here](summary-2025.pdf).",
  '',
  'Best,',
  'Mei',
  '',
].join('\n');

describe('UI smoke: a draft in the packaged .vsix shows its problems, CodeLens and status bar item', function () {
  this.timeout(300_000);

  const smoke = useSmokeSession({
    openFile: 'q3-report.md',
    failureScreenshot: 'smoke-draft-failure.png',
    files: { 'q3-report.md': DRAFT },
    settings: () => ({
      'sendAsEmail.profiles': {
        work: { host: 'smtp.example.com', port: 587, security: 'starttls', username: 'mei@example.com', from: 'Mei Chen <mei@example.com>' },
        gmail: { preset: 'gmail', username: 'mei.chen@gmail.com' },
      },
      'workbench.startupEditor': 'none',
    }),
  });

  it('picks a profile from the palette; squiggles, CodeLens and status bar are on screen', async () => {
    const { page } = smoke();
    await runPaletteCommand(page, 'Email: Choose SMTP Profile for This Draft…');
    const pick = page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'work' }).first();
    await pick.waitFor({ state: 'visible', timeout: 30_000 });
    await pick.click();

    // Monaco renders spaces as no-break spaces.
    const text = async (selector: string): Promise<string> => (await page.locator(selector).first().innerText({ timeout: 5_000 })).replace(/\u00a0/g, ' ');
    const lens = await waitFor('the CodeLens naming the chosen profile', 60_000, async () => {
      const shown = await text('.codelens-decoration');
      return /profile: work/.test(shown) ? shown : undefined;
    });
    assert.match(lens, /Send/);
    assert.match(lens, /Preview/);
    assert.match(lens, /profile: work/);

    const squiggles = await waitFor('the two warnings underlined', 60_000, async () => {
      const count = await page.locator('.view-overlays .squiggly-warning, .view-overlays .squiggly-error').count();
      return count >= 2 ? count : undefined;
    });
    assert.ok(squiggles >= 2);

    const item = await waitFor('the draft status bar item', 60_000, async () => {
      const items = await page.locator('.statusbar-item').allInnerTexts();
      return items.find((shown) => /work · 2 recipients/.test(shown));
    });
    assert.match(item, /work · 2 recipients · \d/);

    // Away from the text, so no hover covers the squiggles in the picture.
    await page.mouse.move(5, 5);
    await page.waitForTimeout(500);
    await screenshot(page, ARTIFACT);
  });

  it('Ctrl+Alt+Enter in the draft runs Send: the confirmation names the recipients, Cancel sends nothing', async () => {
    const { page } = smoke();
    // Focus in the draft's text (the keybinding needs editorTextFocus and sendAsEmail.isDraft).
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+Alt+Enter');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 60_000 });
    const shown = await dialog.innerText();
    assert.match(shown, /bob@example\.com/);
    assert.match(shown, /ann@example\.com/);
    await dialog.locator('.monaco-button', { hasText: /^Cancel$/ }).first().click();
    await dialog.waitFor({ state: 'hidden', timeout: 30_000 });
  });
});
