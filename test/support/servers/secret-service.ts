/**
 * A private freedesktop Secret Service for tests: a session D-Bus of its own (no service
 * activation, so nothing else can start on it) and GNOME Keyring's secrets component unlocked
 * with a test password, its keyrings in a temporary folder — a real keyring is never touched.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MissingPrerequisiteError } from './prerequisites';

const DBUS_DAEMON = '/usr/bin/dbus-daemon';
const GNOME_KEYRING = '/usr/bin/gnome-keyring-daemon';
const SECRET_TOOL = '/usr/bin/secret-tool';

export interface SecretService {
  /** The private bus; give it to the CLI as DBUS_SESSION_BUS_ADDRESS. */
  readonly address: string;
  /** `secret-tool args…` on this bus: exit status and standard output (for assertions only). */
  tool(args: readonly string[], input?: string): Promise<{ readonly code: number | null; readonly stdout: string }>;
  stop(): Promise<void>;
}

const BUS_CONFIG = `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=/tmp</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`;

function missing(): string[] {
  const need: Array<[string, string]> = [
    [DBUS_DAEMON, 'dbus'],
    [GNOME_KEYRING, 'gnome-keyring'],
    [SECRET_TOOL, 'libsecret-tools'],
  ];
  return need.filter(([path]) => {
    try {
      fs.accessSync(path, fs.constants.X_OK);
      return false;
    } catch {
      return true;
    }
  }).map(([path, pkg]) => `${path} (Debian package ${pkg})`);
}

function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

function firstLine(child: ChildProcess, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const end = text.indexOf('\n');
      if (end >= 0) resolve(text.slice(0, end).trim());
    });
    child.once('exit', (code) => reject(new Error(`${what} ended (status ${String(code)}) before it was ready`)));
  });
}

export async function startSecretService(): Promise<SecretService> {
  const absent = missing();
  if (absent.length > 0) throw new MissingPrerequisiteError('The Secret Service keyring', absent);
  const dir = mkdtempSync(join(tmpdir(), 'sae-keyring-'));
  writeFileSync(join(dir, 'bus.conf'), BUS_CONFIG);
  let bus: ChildProcess | undefined;
  let keyring: ChildProcess | undefined;
  const stop = async (): Promise<void> => {
    await stopChild(keyring);
    await stopChild(bus);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    bus = spawn(DBUS_DAEMON, [`--config-file=${join(dir, 'bus.conf')}`, '--nofork', '--print-address=1'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const address = await firstLine(bus, 'dbus-daemon');
    const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: dir, XDG_DATA_HOME: join(dir, 'data'), XDG_RUNTIME_DIR: dir, DBUS_SESSION_BUS_ADDRESS: address };
    keyring = spawn(GNOME_KEYRING, ['--foreground', '--unlock', '--components=secrets'], { env, stdio: ['pipe', 'ignore', 'ignore'] });
    // --unlock reads the login keyring's password from standard input, up to its end.
    keyring.stdin?.end('test-keyring-password');
    const tool = (args: readonly string[], input?: string): Promise<{ code: number | null; stdout: string }> =>
      new Promise((resolve, reject) => {
        const child = spawn(SECRET_TOOL, [...args], { env, stdio: ['pipe', 'pipe', 'ignore'], timeout: 10_000 });
        let stdout = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
        child.once('error', reject);
        child.once('close', (code) => resolve({ code, stdout }));
        child.stdin.end(input ?? '');
      });
    // Ready when an item can be written and cleared.
    for (let attempt = 0; ; attempt++) {
      if ((await tool(['store', '--label=probe', 'service', 'send-as-email-test', 'key', 'probe'], 'x')).code === 0) break;
      if (attempt > 50) throw new Error('gnome-keyring-daemon did not take a secret');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await tool(['clear', 'service', 'send-as-email-test', 'key', 'probe']);
    return { address, tool, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
