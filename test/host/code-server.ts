// Starts and stops a real VS Code server (code-server 4.100.3, VS Code 1.100.3) for the host
// suites. One fresh server per run, with fresh user-data, extensions, XDG and temp folders:
// a shared server kept old extension hosts alive and failed about 1 run in 6
// (CONTRIBUTING.md, "Real servers and a real VS Code"). Installed by scripts/install-code-server.sh.
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const repoRoot = path.resolve(__dirname, '..', '..');
export const codeServerBin = path.join(repoRoot, '.vscode-test', 'code-server', 'node_modules', '.bin', 'code-server');

/** The folders one server instance owns; all live under one root that the caller deletes. */
export interface CodeServerDirs {
  readonly root: string;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  /** XDG_CONFIG_HOME, XDG_DATA_HOME, XDG_CACHE_HOME and TMPDIR point in here. */
  readonly home: string;
}

export interface StartOptions {
  /** An empty or fresh folder that will hold the server's own folders. */
  readonly root: string;
  /** The workspace folder VS Code opens. */
  readonly folder: string;
  /** Extra environment for the server, and so for its extension hosts (they are its children). */
  readonly env?: Readonly<Record<string, string>>;
  readonly startTimeoutMs?: number;
}

export interface CodeServer {
  readonly host: string;
  readonly port: number;
  /** `http://127.0.0.1:PORT` without a trailing slash. */
  readonly origin: string;
  readonly dirs: CodeServerDirs;
  /** Everything the server printed so far (stdout and stderr), for failure reports. */
  output(): string;
  /** Stops the whole process group (server, extension hosts, pty host, file watcher). */
  stop(): Promise<void>;
}

/** Lays out the per-run folders under `root`. */
export function codeServerDirs(root: string): CodeServerDirs {
  const dirs: CodeServerDirs = {
    root,
    userDataDir: path.join(root, 'user-data'),
    extensionsDir: path.join(root, 'extensions'),
    home: path.join(root, 'home'),
  };
  for (const dir of [dirs.userDataDir, dirs.extensionsDir, ...homeSubdirs(dirs.home)]) {
    fs.mkdirSync(dir, { recursive: true });
  }
  const settings = path.join(dirs.userDataDir, 'User', 'settings.json');
  if (!fs.existsSync(settings)) {
    fs.mkdirSync(path.dirname(settings), { recursive: true });
    fs.writeFileSync(settings, `${JSON.stringify(quietUserSettings, null, 2)}\n`);
  }
  return dirs;
}

/**
 * User settings for a quiet, predictable workbench: no welcome walkthrough taking the editor
 * area and keyboard focus, no tips or recommendations popping up over what a test looks at.
 */
const quietUserSettings = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'extensions.ignoreRecommendations': true,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
};

function homeSubdirs(home: string): string[] {
  return ['config', 'data', 'cache', 'tmp'].map((name) => path.join(home, name));
}

/** Environment that keeps every file code-server writes inside `dirs` (nothing in $HOME). */
export function codeServerEnv(dirs: CodeServerDirs, extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    XDG_CONFIG_HOME: path.join(dirs.home, 'config'),
    XDG_DATA_HOME: path.join(dirs.home, 'data'),
    XDG_CACHE_HOME: path.join(dirs.home, 'cache'),
    TMPDIR: path.join(dirs.home, 'tmp'),
    // No extension gallery (open-vsx.org by default): offline, its lookups only fail and log
    // stack traces; a gallery without serviceUrl is disabled in VS Code.
    EXTENSIONS_GALLERY: '{}',
    ...extra,
  };
}

export function assertCodeServerInstalled(): void {
  if (!fs.existsSync(codeServerBin)) {
    throw new Error(`code-server is not installed at ${codeServerBin}; run: bash scripts/install-code-server.sh`);
  }
}

/** `code-server --install-extension file.vsix` into the run's extensions folder (works offline). */
export function installExtension(dirs: CodeServerDirs, vsixPath: string, timeoutMs = 60_000): void {
  assertCodeServerInstalled();
  const result = spawnSync(
    codeServerBin,
    ['--user-data-dir', dirs.userDataDir, '--extensions-dir', dirs.extensionsDir, '--install-extension', vsixPath],
    { env: codeServerEnv(dirs), encoding: 'utf8', timeout: timeoutMs },
  );
  if (result.status !== 0) {
    throw new Error(`code-server --install-extension ${vsixPath} failed (${result.status ?? result.signal ?? result.error?.message}):\n${result.stdout}${result.stderr}`);
  }
}

/** Stop functions of the servers this process started and has not stopped yet. */
const running = new Set<() => Promise<void>>();

/** Last-resort cleanup (overall timeouts): the servers run in their own process groups and
 * would outlive this process otherwise. */
export async function stopAllCodeServers(): Promise<void> {
  await Promise.all([...running].map((stop) => stop()));
}

const listening = /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)\//;

/**
 * Starts code-server on 127.0.0.1 with an ephemeral port and no auth, in its own process group
 * (`detached` makes Node call setsid), and resolves once `/healthz` answers.
 */
export async function startCodeServer(options: StartOptions): Promise<CodeServer> {
  assertCodeServerInstalled();
  const dirs = codeServerDirs(options.root);
  const args = [
    '--bind-addr', '127.0.0.1:0',
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir', dirs.userDataDir,
    '--extensions-dir', dirs.extensionsDir,
    options.folder,
  ];
  const child = spawn(codeServerBin, args, {
    cwd: options.folder,
    env: codeServerEnv(dirs, options.env),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const append = (chunk: Buffer): void => {
    output += chunk.toString('utf8');
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    running.delete(stop);
    await stopGroup(child, exited);
  };
  running.add(stop);

  try {
    const port = await waitForPort(child, () => output, options.startTimeoutMs ?? 30_000);
    const origin = `http://127.0.0.1:${port}`;
    await waitForHealthz(origin, options.startTimeoutMs ?? 30_000);
    return { host: '127.0.0.1', port, origin, dirs, output: () => output, stop };
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n--- code-server output ---\n${output}`);
  }
}

async function waitForPort(child: ChildProcess, output: () => string, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const match = listening.exec(output());
    if (match?.[1] !== undefined) return Number(match[1]);
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`code-server exited before listening (${child.exitCode ?? child.signalCode})`);
    }
    await delay(100);
  }
  throw new Error(`code-server did not print its port within ${timeoutMs} ms`);
}

async function waitForHealthz(origin: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await delay(200);
  }
  throw new Error(`code-server ${origin}/healthz did not answer within ${timeoutMs} ms (${last})`);
}

/** SIGTERM to the group, then SIGKILL after a grace period; bounded either way. */
async function stopGroup(child: ChildProcess, exited: Promise<void>): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  signalGroup(pid, 'SIGTERM');
  const stoppedInTime = await Promise.race([exited.then(() => true), delay(5_000).then(() => false)]);
  // Extension hosts and the pty host live in the same group and may outlive the server.
  signalGroup(pid, 'SIGKILL');
  if (!stoppedInTime) await Promise.race([exited, delay(2_000)]);
  child.stdout?.destroy();
  child.stderr?.destroy();
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
