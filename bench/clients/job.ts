/**
 * What the orchestrator (bench/run.ts) asks a client child process to do, and what the child
 * answers. Each run is one fresh Node process, so one client's heap, JIT state or open handles
 * never colour another's figures.
 */

import fs from 'node:fs';
import inspector from 'node:inspector/promises';
import { performance } from 'node:perf_hooks';

export type ScenarioId = 'rcpt500' | 'many' | 'bulk' | 'attach' | 'compose';

export interface Job {
  readonly scenario: ScenarioId;
  /** Sink port on 127.0.0.1. */
  readonly port: number;
  readonly fixtures: Fixtures;
  /** When set, the measured window (and only it) is CPU-profiled into this .cpuprofile file. */
  readonly profilePath?: string;
}

/** Files and data made once per bench run (bench/fixtures.ts). */
export interface Fixtures {
  readonly dir: string;
  /** An already composed message (headers + base64 body, CRLF, 76 columns), about 27 MiB. */
  readonly composedPath: string;
  /** Random bytes, 20 MiB, sent as an attachment. */
  readonly attachmentPath: string;
  readonly attachmentName: string;
  /** A small composed message (a few KiB, CRLF) for scenarios 1 and 2. */
  readonly smallMessage: string;
  /** The plain-text body of the scenario 4/5 draft. */
  readonly draftText: string;
  readonly subject: string;
  readonly from: { readonly name: string; readonly address: string };
  readonly to: string;
  /** The 500 recipients of scenario 1. */
  readonly recipients: readonly string[];
  /** Messages of scenario 2. */
  readonly messageCount: number;
}

/** Socket-level writes seen in the client process while the measured send ran. */
export interface WriteReport {
  /** Calls of net.Socket#_write or #_writev: each is one write(2)/writev(2) handed to libuv. */
  readonly writeOps: number;
  /** Of those, how many carried at least one RCPT TO line. */
  readonly rcptWriteOps: number;
  /** True when a single write op carried MAIL FROM and every RCPT TO (RFC 2920 pipelining). */
  readonly envelopeInOneWrite: boolean;
  /** Public socket.write() calls (several may be corked into one write op). */
  readonly socketWriteCalls: number;
}

export interface RunResult {
  readonly ok: true;
  /** Measured milliseconds (what is measured depends on the scenario; see bench/scenarios.ts). */
  readonly ms: number;
  /** CPU time (user + system) this client process spent during the measured window, ms. */
  readonly cpuMs: number;
  /** process.resourceUsage().maxRSS, in KiB, at the end of the run. */
  readonly maxRssKiB: number;
  /** Bytes the client reports having written as message content, when it tells. */
  readonly messageBytes?: number;
  readonly writes?: WriteReport;
}

export interface RunFailure {
  readonly ok: false;
  readonly error: string;
}

export type RunOutcome = RunResult | RunFailure;

export function parseJob(argv: readonly string[]): Job {
  const raw = argv[2];
  if (raw === undefined) throw new Error('usage: node <client>.js <job JSON>');
  return JSON.parse(raw) as Job;
}

/** Hands the outcome to the orchestrator over the IPC channel, then lets the process end. */
export function report(outcome: RunOutcome): void {
  if (typeof process.send !== 'function') {
    console.log(JSON.stringify(outcome));
    return;
  }
  process.send(outcome, () => process.disconnect());
}

/** Runs a client's main, turning any error into a reported failure (never a silent exit). */
export function runChild(main: (job: Job) => Promise<RunResult>): void {
  let job: Job;
  try {
    job = parseJob(process.argv);
  } catch (error) {
    report({ ok: false, error: describe(error) });
    return;
  }
  main(job).then(report, (error: unknown) => report({ ok: false, error: describe(error) }));
}

export function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

export interface Measured {
  readonly ms: number;
  readonly cpuMs: number;
}

/**
 * Starts a measured window: wall clock and this process's CPU time. On a busy machine the wall
 * time also carries waiting for the sink and for other processes; the CPU time is the client's
 * own. With `job.profilePath`, V8's sampling profiler runs for exactly this window.
 */
export async function startClock(job: Job): Promise<() => Promise<Measured>> {
  const session = job.profilePath === undefined ? undefined : new inspector.Session();
  if (session !== undefined) {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    await session.post('Profiler.start');
  }
  const wall = performance.now();
  const cpu = process.cpuUsage();
  return async () => {
    const ms = performance.now() - wall;
    const used = process.cpuUsage(cpu);
    if (session !== undefined && job.profilePath !== undefined) {
      const { profile } = await session.post('Profiler.stop');
      fs.writeFileSync(job.profilePath, JSON.stringify(profile));
      session.disconnect();
    }
    return { ms, cpuMs: (used.user + used.system) / 1000 };
  };
}

export function maxRssKiB(): number {
  // Linux reports maxRSS in KiB.
  return process.resourceUsage().maxRSS;
}
