// The real-VS-Code suite runner: `npx tsx test/host/run.ts`.
// Builds the extension and the suites, starts a fresh code-server (VS Code 1.100.3) on a fresh
// workspace, and opens the web workbench in headless Chromium with the development payload
// (extensionDevelopmentPath + extensionTestsPath), so VS Code itself loads the extension from
// this repository and runs out/test/host/index.js in its Node extension host, as
// @vscode/test-electron would. Mocha's output comes back through codeAutomationLog and the
// result through codeAutomationExit; this process exits with that code (1 on any failure,
// on a timeout, or when something could not start). Everything it made is removed afterwards.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import util from 'node:util';
import { launchBrowser, openWorkbench, screenshot, workbenchUrl } from './browser';
import type { BrowserSession } from './browser';
import { buildHostTests, hostIndexJs } from './build';
import { assertCodeServerInstalled, repoRoot, startCodeServer } from './code-server';
import type { CodeServer } from './code-server';
import { hostTestEnvVar, writeHostTestEnvironment } from './host-environment';

const overallTimeoutMs = Number(process.env.HOST_TEST_TIMEOUT_MS ?? 5 * 60_000);
const templateDir = path.join(repoRoot, 'test', 'host', 'workspace-template');
const artifactsDir = path.join(repoRoot, 'test-artifacts');

/** Copies the workspace template (or writes a sample draft) into a fresh folder. */
export function prepareWorkspace(workspace: string): void {
  fs.mkdirSync(workspace, { recursive: true });
  if (fs.existsSync(templateDir)) {
    fs.cpSync(templateDir, workspace, { recursive: true });
  } else {
    fs.writeFileSync(path.join(workspace, 'draft.md'), '---\nto: bob@example.com\nsubject: Hello\n---\nHi Bob,\n');
  }
}

interface Run {
  tmp?: string;
  server?: CodeServer;
  browser?: BrowserSession;
  browserConsole: string[];
}

async function runSuites(run: Run): Promise<number> {
  assertCodeServerInstalled();
  const started = Date.now();
  const suites = await buildHostTests({ hostOnly: process.env.HOST_TEST_BUILD === 'host-only' });
  console.log(`host: built ${suites.length} suite bundle(s) in ${Date.now() - started} ms`);

  run.tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'send-as-email-host-'));
  const workspace = path.join(run.tmp, 'workspace');
  prepareWorkspace(workspace);
  const serverRoot = path.join(run.tmp, 'server');
  // The user-data-dir is known before the server starts (code-server's layout, see code-server.ts).
  const environmentFile = writeHostTestEnvironment({
    host: 'code-server',
    workspace,
    userDataDir: path.join(serverRoot, 'user-data'),
    extensionPath: repoRoot,
  });

  run.server = await startCodeServer({ root: serverRoot, folder: workspace, env: { [hostTestEnvVar]: environmentFile } });
  console.log(`host: code-server ready at ${run.server.origin} after ${Date.now() - started} ms`);

  run.browser = await launchBrowser(path.join(run.tmp, 'browser'));
  const { page } = run.browser;
  page.on('console', (message) => run.browserConsole.push(`[${message.type()}] ${message.text()}`));
  page.on('pageerror', (error) => run.browserConsole.push(`[pageerror] ${error.message}`));

  let reportExit: (code: number) => void = () => undefined;
  const exitCode = new Promise<number>((resolve) => {
    reportExit = resolve;
  });
  await page.exposeFunction('codeAutomationExit', (code: unknown) => {
    reportExit(typeof code === 'number' ? code : Number(code));
  });
  await page.exposeFunction('codeAutomationLog', (type: unknown, args: unknown) => {
    const text = Array.isArray(args) ? util.format(...(args as unknown[])) : String(args);
    (type === 'error' ? process.stderr : process.stdout).write(`${text}\n`);
  });

  const remote = (file: string): string => `vscode-remote://${run.server?.host}:${run.server?.port}${file}`;
  const url = workbenchUrl(run.server.origin, workspace, [
    ['extensionDevelopmentPath', remote(repoRoot)],
    ['extensionTestsPath', remote(hostIndexJs)],
  ]);
  await openWorkbench(page, url);
  console.log(`host: workbench open after ${Date.now() - started} ms; running suites`);
  const code = await exitCode;
  console.log(`host: suites finished with exit code ${code} after ${Date.now() - started} ms`);
  return code;
}

async function cleanUp(run: Run): Promise<void> {
  await run.browser?.close();
  await run.server?.stop();
  if (run.tmp !== undefined) fs.rmSync(run.tmp, { recursive: true, force: true, maxRetries: 3 });
}

/** On a timeout or error: what the server and the browser said, and a picture of the page. */
async function reportFailure(run: Run, reason: string): Promise<void> {
  console.error(`host: FAILED: ${reason}`);
  if (run.browser !== undefined) {
    const file = path.join(artifactsDir, 'host-failure.png');
    await screenshot(run.browser.page, file).then(
      () => console.error(`host: screenshot of the workbench: ${file}`),
      () => undefined,
    );
  }
  if (run.browserConsole.length > 0) console.error(`--- browser console (last 40) ---\n${run.browserConsole.slice(-40).join('\n')}`);
  if (run.server !== undefined) console.error(`--- code-server output (last 4000 chars) ---\n${run.server.output().slice(-4_000)}`);
}

async function main(): Promise<number> {
  const run: Run = { browserConsole: [] };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${overallTimeoutMs / 1000} s (HOST_TEST_TIMEOUT_MS)`)), overallTimeoutMs);
  });
  const interrupted = new Promise<never>((_resolve, reject) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => reject(new Error(`interrupted by ${signal}`)));
  });
  try {
    return await Promise.race([runSuites(run), timeout, interrupted]);
  } catch (error) {
    await reportFailure(run, error instanceof Error ? error.message : String(error));
    return 1;
  } finally {
    clearTimeout(timer);
    await cleanUp(run);
  }
}

if (require.main === module) {
  void main().then((code) => process.exit(code));
}
