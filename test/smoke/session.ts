/**
 * What every UI smoke test does around its own steps: one `vsce package` for the whole smoke
 * run (the files share the .vsix, as a user installs one), a fresh code-server session with it
 * per `describe`, a screenshot when a test fails, and everything closed afterwards.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { screenshot } from '../host/browser';
import { packageVsix, startSmokeSession } from '../host/smoke';
import type { SmokeSession, SmokeSessionOptions } from '../host/smoke';

/** test-artifacts/ in the repository (git-ignored): screenshots a person can look at. */
export const ARTIFACTS = resolve(__dirname, '..', '..', 'test-artifacts');

let vsix: string | undefined;

/** The packaged extension, built once per process and deleted when the process ends. */
function sharedVsix(): string {
  if (vsix !== undefined) return vsix;
  const dir = mkdtempSync(join(tmpdir(), 'sae-smoke-vsix-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  vsix = packageVsix({ outFile: join(dir, 'send-as-email.vsix') });
  return vsix;
}

/** Writes the workspace's `.vscode/settings.json`. */
function writeWorkspaceSettings(workspace: string, settings: Readonly<Record<string, unknown>>): void {
  mkdirSync(join(workspace, '.vscode'), { recursive: true });
  writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2));
}

/**
 * Polls `probe` every 250 ms until it returns a value: the workbench renders lenses, squiggles
 * and notifications some time after the action. A probe that throws counts as "not yet".
 */
export async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: string | undefined;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error instanceof Error ? error.message : typeof error;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError === undefined ? '' : ` (last: ${lastError})`}`);
}

export interface SmokeHooksOptions {
  /** Files written into the fresh workspace, by path relative to it. */
  readonly files: Readonly<Record<string, string>>;
  /**
   * The workspace's `.vscode/settings.json`; called after the describe's earlier `before` hooks,
   * so it may use what they started (a server's port).
   */
  readonly settings: () => Readonly<Record<string, unknown>>;
  /** The file opened in an editor first. */
  readonly openFile: string;
  /** File name under test-artifacts/ for the screenshot of a failed test. */
  readonly failureScreenshot: string;
}

/**
 * Registers the describe's before/afterEach/after hooks; returns the running session (call it
 * inside a test). Register it after any `before` that the `settings` callback depends on.
 */
export function useSmokeSession(options: SmokeHooksOptions): () => SmokeSession {
  let session: SmokeSession | undefined;

  before(async () => {
    const prepare = (workspace: string): void => {
      for (const [file, text] of Object.entries(options.files)) writeFileSync(join(workspace, file), text);
      writeWorkspaceSettings(workspace, options.settings());
    };
    const start: SmokeSessionOptions = { vsix: sharedVsix(), openFile: options.openFile, prepare };
    session = await startSmokeSession(start);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && session !== undefined) {
      await screenshot(session.page, join(ARTIFACTS, options.failureScreenshot)).catch(() => undefined);
    }
  });

  after(async () => {
    await session?.close();
    session = undefined;
  });

  return () => {
    if (session === undefined) throw new Error('the smoke session did not start');
    return session;
  };
}
