/**
 * Process plumbing shared by the server launchers: bounded command runs, readiness probes,
 * stopping daemons by pid (and only the pids we started or their descendants), log tails,
 * and a last-resort cleanup if the test process exits without calling stop().
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';

export interface CommandResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to completion (killed after timeoutMs); never throws for a non-zero exit. */
export function runCommand(command: string, args: readonly string[], timeoutMs: number, input?: string): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], timeout: timeoutMs, killSignal: 'SIGKILL' });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.once('error', reject);
    child.once('close', (code, signal) =>
      resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }),
    );
    child.stdin.end(input ?? '');
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The last `lines` lines of a text file, or a note that it does not exist (for error messages). */
export function tailFile(file: string, lines = 25): string {
  try {
    const text = fs.readFileSync(file, 'utf8').trimEnd();
    return text.split('\n').slice(-lines).join('\n');
  } catch {
    return `(no ${file})`;
  }
}

export interface ProbeOptions {
  readonly host: string;
  readonly port: number;
  /** Expected start of the first line: `220` for SMTP, `* OK` for IMAP. */
  readonly expect: string;
  /** Implicit TLS: handshake first (certificate not checked: this only asks "is it up?"). */
  readonly tls?: boolean;
  /** The line to send before closing, so the server logs a clean goodbye. */
  readonly goodbye: string;
}

function probeOnce(options: ProbeOptions, attemptMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket: net.Socket = options.tls
      ? tls.connect({ host: options.host, port: options.port, rejectUnauthorized: false })
      : net.connect({ host: options.host, port: options.port });
    let text = '';
    const finish = (error: Error | undefined): void => {
      clearTimeout(timer);
      socket.removeAllListeners('data');
      if (error) {
        socket.destroy();
        reject(error);
      } else {
        socket.end(options.goodbye);
        socket.once('error', () => undefined);
        setTimeout(() => socket.destroy(), 200).unref();
        resolve(text);
      }
    };
    const timer = setTimeout(() => finish(new Error(`no greeting within ${attemptMs} ms`)), attemptMs);
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      const newline = text.indexOf('\n');
      if (newline < 0) return;
      const first = text.slice(0, newline).replace(/\r$/, '');
      if (first.startsWith(options.expect)) finish(undefined);
      else finish(new Error(`unexpected greeting ${JSON.stringify(first)}`));
    });
    socket.once('error', (error) => finish(error));
    socket.once('close', () => finish(new Error('closed before greeting')));
  });
}

/**
 * Waits until the port accepts and answers with the expected greeting. Bounded: throws after
 * `timeoutMs` with the last failure. `isDead` lets the caller stop early when its daemon died.
 */
export async function waitForGreeting(options: ProbeOptions, timeoutMs: number, isDead?: () => string | undefined): Promise<void> {
  if (timeoutMs <= 0) throw new Error(`start-up time ran out before ${options.host}:${options.port} could be probed`);
  const deadline = Date.now() + timeoutMs;
  let last = 'not tried';
  for (let attempt = 0; Date.now() < deadline; attempt++) {
    const dead = isDead?.();
    if (dead !== undefined) throw new Error(dead);
    try {
      await probeOnce(options, Math.max(200, Math.min(3000, deadline - Date.now())));
      return;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await sleep(Math.min(25 * 2 ** attempt, 250));
  }
  throw new Error(`${options.host}:${options.port} gave no "${options.expect}" greeting within ${timeoutMs} ms (last: ${last})`);
}

/** True while the process runs; a zombie (exited, not yet reaped by init) counts as gone. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // No /proc: trust kill(0).
  }
}

/** Every descendant of `pid`, read from /proc (Linux), children before grandchildren. */
export function descendantPids(pid: number): number[] {
  const parentOf = new Map<number, number>();
  let entries: string[] = [];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return [];
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Field 4 (ppid) follows the command name in parentheses, which may itself contain spaces.
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parentOf.set(Number(entry), Number(rest[1]));
    } catch {
      // The process went away while we looked.
    }
  }
  const result: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const current = queue.shift() as number;
    for (const [child, parent] of parentOf) {
      if (parent === current && !result.includes(child)) {
        result.push(child);
        queue.push(child);
      }
    }
  }
  return result;
}

/** SIGTERM the given pids, wait up to graceMs for them to exit, then SIGKILL what is left. */
export async function terminatePids(pids: readonly number[], graceMs: number): Promise<void> {
  for (const pid of pids) signal(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && pids.some(processAlive)) await sleep(25);
  for (const pid of pids) if (processAlive(pid)) signal(pid, 'SIGKILL');
  const killDeadline = Date.now() + 2000;
  while (Date.now() < killDeadline && pids.some(processAlive)) await sleep(25);
}

export function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}

/** Read a pid file; undefined if absent or unreadable. */
export function readPidFile(file: string): number | undefined {
  try {
    const pid = Number.parseInt(fs.readFileSync(file, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 1 ? pid : undefined;
  } catch {
    return undefined;
  }
}

const exitCleanups = new Set<() => void>();
let exitHookInstalled = false;

/**
 * Registers a synchronous last-resort cleanup for when the test process exits while a server
 * is still running (a crashed run, a forgotten stop()). Returns the function that unregisters it.
 */
export function cleanupOnExit(cleanup: () => void): () => void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const fn of exitCleanups) {
        try {
          fn();
        } catch {
          // Best effort only: the process is going away.
        }
      }
    });
  }
  exitCleanups.add(cleanup);
  return () => exitCleanups.delete(cleanup);
}
