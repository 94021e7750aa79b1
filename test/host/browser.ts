// Drives the code-server web workbench with Debian's Chromium through playwright-core
// (no browser download: executablePath is the system binary). Flags and selectors were measured
// on this kind of machine, see CONTRIBUTING.md ("Real servers and a real VS Code").
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import type { BrowserContext, Page } from 'playwright-core';

export const chromiumPath = '/usr/bin/chromium';

const chromiumArgs = [
  '--no-sandbox', // root in a container: the setuid sandbox is unavailable
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--disable-breakpad',
];

export interface BrowserSession {
  readonly context: BrowserContext;
  readonly page: Page;
  close(): Promise<void>;
}

/**
 * Launches headless Chromium with a fresh profile in `profileDir` (SecretStorage lives in the
 * profile's IndexedDB under code-server, so a fresh profile starts with no stored passwords).
 */
export async function launchBrowser(profileDir: string): Promise<BrowserSession> {
  if (!fs.existsSync(chromiumPath)) throw new Error(`${chromiumPath} is missing; apt-get install chromium`);
  fs.mkdirSync(profileDir, { recursive: true });
  // Chromium's crash handler writes "Crash Reports" under $XDG_CONFIG_HOME/chromium even with a
  // custom profile; keep that inside the profile too, so nothing lands in the home directory.
  const xdg = path.join(profileDir, 'xdg');
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  Object.assign(env, { XDG_CONFIG_HOME: path.join(xdg, 'config'), XDG_CACHE_HOME: path.join(xdg, 'cache'), XDG_DATA_HOME: path.join(xdg, 'data') });
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumPath,
    headless: true,
    args: chromiumArgs,
    env,
    viewport: { width: 1400, height: 900 },
    timeout: 30_000,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await Promise.race([context.close().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 10_000))]);
  };
  return { context, page, close };
}

/** The workbench URL for `folder`, with an optional development payload (see run.ts). */
export function workbenchUrl(origin: string, folder: string, payload?: ReadonlyArray<readonly [string, string]>): string {
  let url = `${origin}/?folder=${encodeURIComponent(folder)}`;
  if (payload !== undefined) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return url;
}

/** Opens the workbench and waits until it has rendered (workbench shell and status bar). */
export async function openWorkbench(page: Page, url: string, timeoutMs = 60_000): Promise<void> {
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: timeoutMs });
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: timeoutMs });
  await page.locator('.statusbar').waitFor({ state: 'visible', timeout: timeoutMs });
}

export interface PaletteOptions {
  /** How many times to open the palette and look for the command. */
  readonly attempts?: number;
  /** How long each attempt waits for the command's row. */
  readonly rowTimeoutMs?: number;
}

/**
 * Runs a command from the Command Palette by its full title as shown there ("Category: Title").
 * Contributed commands appear only once the remote extension host has registered them, so each
 * attempt opens the palette, waits for the row, and otherwise closes it and tries again.
 */
export async function runPaletteCommand(page: Page, title: string, options: PaletteOptions = {}): Promise<void> {
  const attempts = options.attempts ?? 20;
  const rowTimeoutMs = options.rowTimeoutMs ?? 1_500;
  const input = page.locator('.quick-input-widget .quick-input-box input');
  const row = page
    .locator('.quick-input-list .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: exactText(title) }) })
    .first();
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      await page.keyboard.press('F1');
      await input.waitFor({ state: 'visible', timeout: 5_000 });
      await input.fill(`>${title}`);
      await row.waitFor({ state: 'visible', timeout: rowTimeoutMs });
      await row.click();
      await input.waitFor({ state: 'hidden', timeout: 5_000 });
      return;
    } catch {
      await page.keyboard.press('Escape');
    }
  }
  throw new Error(`Command Palette: no command titled "${title}" after ${attempts} attempts`);
}

/** A regular expression matching exactly `text` (the palette highlights matches in spans). */
function exactText(text: string): RegExp {
  return new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
}

/** Saves a PNG of the page, creating the folder (test-artifacts/ is git-ignored). */
export async function screenshot(page: Page, file: string): Promise<string> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await page.screenshot({ path: file, timeout: 30_000 });
  return file;
}

/** Opens a workspace file through Quick Open (Ctrl+P) and waits for its editor tab. */
export async function openFileInEditor(page: Page, relativePath: string, timeoutMs = 60_000): Promise<void> {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  const name = path.basename(relativePath);
  const row = page.locator('.quick-input-list .monaco-list-row').filter({ hasText: name }).first();
  const deadline = Date.now() + timeoutMs;
  // The file search runs in the remote server (ripgrep) and can take seconds on a busy machine,
  // so each attempt waits long for the row; closing early would only restart the search.
  while (Date.now() < deadline) {
    try {
      await page.keyboard.press('Control+P');
      await input.waitFor({ state: 'visible', timeout: 5_000 });
      await input.fill(relativePath);
      await row.waitFor({ state: 'visible', timeout: Math.max(1_000, Math.min(15_000, deadline - Date.now())) });
      await page.keyboard.press('Enter');
      await page.locator('.tabs-container .tab', { hasText: name }).first().waitFor({ state: 'visible', timeout: 5_000 });
      return;
    } catch {
      await page.keyboard.press('Escape');
    }
  }
  throw new Error(`Quick Open: could not open ${relativePath} within ${timeoutMs} ms`);
}

/** The messages of the notifications currently shown (toasts and the notification centre). */
export async function notificationMessages(page: Page): Promise<string[]> {
  return page.locator('.notification-list-item-message').allInnerTexts();
}

/**
 * Waits until the status bar no longer shows "Activating Extensions..." (an extension activates
 * on its first command; on a busy machine that takes seconds). Bounded; returns false on timeout.
 */
export async function waitForExtensionsActivated(page: Page, timeoutMs = 30_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const status = await page.locator('.statusbar').innerText({ timeout: 5_000 }).catch(() => '');
    if (!status.includes('Activating Extensions')) return true;
    await page.waitForTimeout(250);
  }
  return false;
}
