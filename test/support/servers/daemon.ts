/**
 * The one harness every real server (aiosmtpd, Dovecot for Postfix, Exim) starts through:
 * a private temporary folder, a daemon kept in the foreground as our child (so we know its pid
 * and see it die), its stderr kept for error messages, readiness by greeting on each port,
 * retries with fresh ports when one was taken between choosing and binding it, and a stop that
 * ends exactly that process and its descendants, also when the test process exits early.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePorts } from './ports';
import { cleanupOnExit, descendantPids, processAlive, signal, sleep, terminatePids, waitForGreeting } from './processes';
import type { ProbeOptions } from './processes';

/** A private folder for one server instance, removed by `remove()` or when the process exits. */
export interface ServerRoot {
  readonly dir: string;
  remove(): void;
}

/**
 * Makes the folder. `mode` 0o755 lets daemons that drop privileges (Postfix, Exim as an
 * unprivileged user) enter it; the default keeps it private.
 */
export function makeServerRoot(prefix: string, mode = 0o700, parent = os.tmpdir()): ServerRoot {
  const dir = fs.mkdtempSync(path.join(parent, prefix));
  fs.chmodSync(dir, mode);
  const remove = (): void => fs.rmSync(dir, { recursive: true, force: true });
  const unregister = cleanupOnExit(remove);
  return {
    dir,
    remove: () => {
      unregister();
      remove();
    },
  };
}

export interface DaemonOptions {
  /** Shown in error messages, e.g. `exim`. */
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  /** What goes to the daemon's stdin: `pipe` to talk to it (aiosmtpd), else ignored. */
  readonly stdin?: 'pipe' | 'ignore';
  /** Keep stdout as a stream for the caller (aiosmtpd prints its ports there). Default ignored. */
  readonly stdout?: 'pipe' | 'ignore';
  /**
   * How to ask it to stop before signals: e.g. close stdin. Default SIGTERM to the daemon.
   * It is given `graceMs` to exit; then it and its descendants get SIGTERM, then SIGKILL.
   */
  readonly politeStop?: (child: ChildProcess) => void;
  readonly graceMs?: number;
}

export interface Daemon {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Why it exited, once it has; undefined while it runs (pass to waitForGreeting as isDead). */
  exited(): string | undefined;
  /** The last 20 000 characters it wrote to stderr. */
  stderr(): string;
  /** Ends it and every process it started. Idempotent. */
  stop(): Promise<void>;
}

/** Starts a daemon that stays in the foreground as our child. */
export function startDaemon(options: DaemonOptions): Daemon {
  const spawnOptions: SpawnOptions = {
    stdio: [options.stdin ?? 'ignore', options.stdout ?? 'ignore', 'pipe'],
    env: options.env ?? process.env,
  };
  const child = spawn(options.command, [...options.args], spawnOptions);
  if (child.pid === undefined) throw new Error(`${options.name} did not start (${options.command})`);
  const pid = child.pid;
  let stderr = '';
  let exitReason: string | undefined;
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-20_000);
  });
  const gone = new Promise<void>((resolve) => {
    child.once('exit', (code, sig) => {
      exitReason = `${options.name} exited (code ${code ?? 'none'}, signal ${sig ?? 'none'})`;
      resolve();
    });
    child.once('error', (error) => {
      exitReason = `${options.name} could not run: ${error.message}`;
      resolve();
    });
  });
  // A crashed test run must not leave the daemon (or what it forked) behind.
  const unregister = cleanupOnExit(() => {
    for (const target of [pid, ...descendantPids(pid)]) signal(target, 'SIGKILL');
  });
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (exitReason === undefined) {
        const tracked = [pid, ...descendantPids(pid)];
        if (options.politeStop !== undefined) options.politeStop(child);
        else signal(pid, 'SIGTERM');
        await Promise.race([gone, sleep(options.graceMs ?? 3000)]);
        await terminatePids(tracked.filter(processAlive), 1000);
        await Promise.race([gone, sleep(1000)]);
      }
      unregister();
    })();
    return stopping;
  };
  return { child, pid, exited: () => exitReason, stderr: () => stderr, stop };
}

/** Waits until every probe answers with its greeting, stopping early if the daemon died. */
export async function waitUntilReady(daemon: Pick<Daemon, 'exited'>, probes: readonly ProbeOptions[], deadline: number): Promise<void> {
  await Promise.all(probes.map((probe) => waitForGreeting(probe, deadline - Date.now(), daemon.exited)));
}

/**
 * Picks `count` free loopback ports and runs `start` with them; when the start fails because a
 * port was taken in between (`isPortClash` of the error or the logs), tries again with fresh
 * ones, at most three times.
 */
export async function withFreshPorts<T>(count: number, start: (ports: number[]) => Promise<T>, isPortClash: (error: unknown) => boolean): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const ports = await freePorts(count);
    try {
      return await start(ports);
    } catch (error) {
      if (attempt >= 3 || !isPortClash(error)) throw error;
    }
  }
}
