// UI smoke test of the packaged extension, as a user gets it: `vsce package` → .vsix →
// `code-server --install-extension` → a fresh code-server WITHOUT the development payload →
// the workbench in headless Chromium → a Command Palette command by its title → a screenshot.
//
// Library: packageVsix, startSmokeSession, runSmoke. Command line:
//   npx tsx test/host/smoke.ts ["Command: Title"] [--source DIR] [--open FILE | --no-open]
//                              [--screenshot FILE] [--settle MS]
// defaults: "View: Toggle Output", the repository, draft.md, test-artifacts/smoke-<title>.png,
// 1000 ms after extension activation ends before the screenshot (activation is on first command).
// Note: packaging runs the manifest's vscode:prepublish (`node esbuild.js --production`), which
// rewrites dist/ minified, as `npm run package` does.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser, openFileInEditor, openWorkbench, runPaletteCommand, screenshot, waitForExtensionsActivated, workbenchUrl } from './browser';
import type { BrowserSession } from './browser';
import { codeServerDirs, installExtension, repoRoot, startCodeServer, stopAllCodeServers } from './code-server';
import type { CodeServer } from './code-server';
import { prepareWorkspace } from './run';

const vsceBin = path.join(repoRoot, 'node_modules', '.bin', 'vsce');

export interface PackageOptions {
  /** The extension folder to package; the repository by default. */
  readonly sourceDir?: string;
  readonly outFile: string;
  readonly timeoutMs?: number;
}

/**
 * `vsce package` with the same flags as `npm run package` (offline; runs the manifest's
 * vscode:prepublish, i.e. the production build), so the smoke test installs what users install.
 */
export function packageVsix(options: PackageOptions): string {
  const sourceDir = options.sourceDir ?? repoRoot;
  const args = ['package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', options.outFile];
  fs.mkdirSync(path.dirname(options.outFile), { recursive: true });
  const result = spawnSync(vsceBin, args, {
    cwd: sourceDir,
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 180_000,
    // vsce asks y/N questions on some warnings: with stdin closed it answers no and fails loudly.
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (result.status !== 0 || !fs.existsSync(options.outFile)) {
    throw new Error(`vsce ${args.join(' ')} failed (${result.status ?? result.signal ?? result.error?.message}):\n${result.stdout}${result.stderr}`);
  }
  return options.outFile;
}

export interface SmokeSession {
  readonly server: CodeServer;
  readonly browser: BrowserSession;
  readonly page: Page;
  readonly workspace: string;
  /** Stops browser and server and deletes every temporary folder. */
  close(): Promise<void>;
}

export interface SmokeSessionOptions {
  readonly vsix: string;
  /** A workspace file to open in an editor first (relative to the workspace), e.g. draft.md. */
  readonly openFile?: string;
  /** Writes drafts and `.vscode/settings.json` into the fresh workspace before code-server starts. */
  readonly prepare?: (workspace: string) => void;
}

/** A fresh code-server with the .vsix installed (no development payload), workbench open. */
export async function startSmokeSession(options: SmokeSessionOptions): Promise<SmokeSession> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'send-as-email-smoke-'));
  let server: CodeServer | undefined;
  let browser: BrowserSession | undefined;
  const close = async (): Promise<void> => {
    await browser?.close();
    await server?.stop();
    fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
  };
  try {
    const workspace = path.join(tmp, 'workspace');
    prepareWorkspace(workspace);
    options.prepare?.(workspace);
    const serverRoot = path.join(tmp, 'server');
    installExtension(codeServerDirs(serverRoot), options.vsix);
    server = await startCodeServer({ root: serverRoot, folder: workspace });
    browser = await launchBrowser(path.join(tmp, 'browser'));
    await openWorkbench(browser.page, workbenchUrl(server.origin, workspace));
    if (options.openFile !== undefined) await openFileInEditor(browser.page, options.openFile);
    return { server, browser, page: browser.page, workspace, close };
  } catch (error) {
    if (browser !== undefined) await screenshot(browser.page, path.join(repoRoot, 'test-artifacts', 'smoke-failure.png')).catch(() => undefined);
    await close();
    throw error;
  }
}

export interface SmokeOptions {
  /** The Command Palette title, "Category: Title". */
  readonly title: string;
  readonly screenshotFile: string;
  /** Package this folder; ignored when `vsix` is given. */
  readonly sourceDir?: string;
  readonly vsix?: string;
  readonly openFile?: string;
  /** How long to let the command work before the screenshot. */
  readonly settleMs?: number;
}

/** Package (unless given a .vsix), install, open, run `title`, screenshot; returns the PNG path. */
export async function runSmoke(options: SmokeOptions): Promise<string> {
  const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'send-as-email-vsix-'));
  try {
    const started = Date.now();
    const vsix = options.vsix ?? packageVsix({ outFile: path.join(packDir, 'send-as-email.vsix'), ...(options.sourceDir !== undefined ? { sourceDir: options.sourceDir } : {}) });
    console.log(`smoke: ${path.basename(vsix)} ready after ${Date.now() - started} ms`);
    const session = await startSmokeSession({ vsix, ...(options.openFile !== undefined ? { openFile: options.openFile } : {}) });
    try {
      console.log(`smoke: workbench open after ${Date.now() - started} ms; running "${options.title}"`);
      await runPaletteCommand(session.page, options.title);
      // Let activation start, wait for it to end, then let the command's UI settle.
      await session.page.waitForTimeout(500);
      if (!(await waitForExtensionsActivated(session.page))) console.log('smoke: extensions still activating after 30 s');
      await session.page.waitForTimeout(options.settleMs ?? 1_000);
      const file = await screenshot(session.page, options.screenshotFile);
      console.log(`smoke: screenshot ${file} after ${Date.now() - started} ms`);
      return file;
    } catch (error) {
      await screenshot(session.page, path.join(repoRoot, 'test-artifacts', 'smoke-failure.png')).catch(() => undefined);
      throw error;
    } finally {
      await session.close();
    }
  } finally {
    fs.rmSync(packDir, { recursive: true, force: true });
  }
}

function parseArgs(argv: readonly string[]): SmokeOptions {
  let title = 'View: Toggle Output';
  let sourceDir: string | undefined;
  let openFile: string | undefined = 'draft.md';
  let screenshotFile: string | undefined;
  let settleMs = 1_000;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      return next;
    };
    if (arg === '--source') sourceDir = path.resolve(value());
    else if (arg === '--open') openFile = value();
    else if (arg === '--no-open') openFile = undefined;
    else if (arg === '--screenshot') screenshotFile = path.resolve(value());
    else if (arg === '--settle') settleMs = Number(value());
    else if (arg.startsWith('--')) throw new Error(`unknown option ${arg}`);
    else title = arg;
  }
  const slug = title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  if (!Number.isFinite(settleMs) || settleMs < 0) throw new Error('--settle needs a number of milliseconds');
  return {
    title,
    settleMs,
    screenshotFile: screenshotFile ?? path.join(repoRoot, 'test-artifacts', `smoke-${slug}.png`),
    ...(sourceDir !== undefined ? { sourceDir } : {}),
    ...(openFile !== undefined ? { openFile } : {}),
  };
}

if (require.main === module) {
  const timeoutMs = 5 * 60_000;
  const timer = setTimeout(() => {
    console.error(`smoke: FAILED: timed out after ${timeoutMs / 1000} s`);
    void stopAllCodeServers().finally(() => process.exit(1));
  }, timeoutMs);
  runSmoke(parseArgs(process.argv.slice(2))).then(
    () => {
      clearTimeout(timer);
      process.exit(0);
    },
    (error: unknown) => {
      clearTimeout(timer);
      console.error(`smoke: FAILED: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
