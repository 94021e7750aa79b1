// What the runner tells the suites about the world they run in. The runner writes it as JSON to
// `<workspace>/.host-test.json` and also passes that path in SEND_AS_EMAIL_HOST_TEST on
// code-server's environment, which its extension hosts inherit (they are its child processes).
// Pure Node: imported by the runner and bundled into the suites.
import fs from 'node:fs';
import path from 'node:path';

export const hostTestEnvVar = 'SEND_AS_EMAIL_HOST_TEST';
export const hostTestFileName = '.host-test.json';

export interface HostTestEnvironment {
  /** Which VS Code runs the suites: code-server in the browser (run.ts) or desktop (run-electron.ts). */
  readonly host: 'code-server' | 'electron';
  /** The folder the workbench opened (a fresh copy of test/host/workspace-template/). */
  readonly workspace: string;
  /** code-server's --user-data-dir; output channels are written under its logs/ folder. */
  readonly userDataDir: string;
  /** The extension under test (the repository root). */
  readonly extensionPath: string;
}

export function writeHostTestEnvironment(environment: HostTestEnvironment): string {
  const file = path.join(environment.workspace, hostTestFileName);
  fs.writeFileSync(file, `${JSON.stringify(environment, null, 2)}\n`);
  return file;
}

/** Reads the runner's description; `workspaceFolder` is the fallback when the variable is unset. */
export function readHostTestEnvironment(workspaceFolder?: string): HostTestEnvironment {
  const fromEnv = process.env[hostTestEnvVar];
  const file = fromEnv !== undefined && fromEnv !== '' ? fromEnv : workspaceFolder !== undefined ? path.join(workspaceFolder, hostTestFileName) : undefined;
  if (file === undefined) throw new Error(`${hostTestEnvVar} is not set and no workspace folder was given`);
  const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (!isHostTestEnvironment(parsed)) throw new Error(`${file} is not a host test environment`);
  return parsed;
}

function isHostTestEnvironment(value: unknown): value is HostTestEnvironment {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return (record.host === 'code-server' || record.host === 'electron') &&
    ['workspace', 'userDataDir', 'extensionPath'].every((key) => typeof record[key] === 'string');
}

/**
 * The on-disk log of an Output channel, newest first: code-server writes each channel to
 * `<user-data-dir>/logs/<ts>/exthost<N>/output_logging_<ts>/<n>-<Channel name>.log`.
 */
export function findOutputChannelLogs(environment: HostTestEnvironment, channelName: string): string[] {
  const found: string[] = [];
  const suffix = `-${channelName}.log`;
  const walk = (dir: string, depth: number): void => {
    if (depth > 5 || !fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full, depth + 1);
      else if (/^\d+-/.test(entry.name) && entry.name.endsWith(suffix) && path.basename(dir).startsWith('output_logging_')) found.push(full);
    }
  };
  walk(path.join(environment.userDataDir, 'logs'), 0);
  return found.sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
}
