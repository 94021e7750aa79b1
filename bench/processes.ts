/**
 * Starting, talking to and stopping the child processes of a bench run: the sink and one fresh
 * process per measured client run. Every child is tracked so an interrupted run ends them all.
 */
import type { ChildProcess } from 'node:child_process';
import { fork } from 'node:child_process';
import type { Job, RunOutcome } from './clients/job';
import type { ConnectionStats, SinkReply, SinkRequest } from './sink-protocol';

const CLIENT_TIMEOUT_MS = 60_000;
const SINK_TIMEOUT_MS = 10_000;

const children = new Set<ChildProcess>();

function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Ends every child still running (each by its own handle). */
export function killChildren(): void {
  for (const child of children) child.kill('SIGKILL');
}

export function runClient(script: string, job: Job): Promise<RunOutcome> {
  return new Promise((resolve) => {
    // execArgv is set explicitly: the orchestrator runs under tsx, whose loader must not be inherited.
    const child = track(fork(script, [JSON.stringify(job)], {
      execArgv: [],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }));
    let outcome: RunOutcome | undefined;
    const timer = setTimeout(() => {
      outcome ??= { ok: false, error: `no result within ${CLIENT_TIMEOUT_MS} ms (killed)` };
      child.kill('SIGKILL');
    }, CLIENT_TIMEOUT_MS);
    child.on('message', (message: RunOutcome) => {
      outcome ??= message;
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(outcome ?? { ok: false, error: `exited (code ${String(code)}, signal ${String(signal)}) without a result` });
    });
  });
}

export interface Sink {
  readonly port: number;
  reset(traceRcpt: boolean): Promise<void>;
  /** Statistics of every connection since the last reset, once they have closed. */
  collect(): Promise<{ connections: readonly ConnectionStats[]; stillOpen: number }>;
  stop(): Promise<void>;
}

export function startSink(script: string): Promise<Sink> {
  const child = track(fork(script, [], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  const request = <T extends SinkReply['type']>(message: SinkRequest | undefined, expected: T): Promise<Extract<SinkReply, { type: T }>> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.off('message', onMessage);
        reject(new Error(`sink did not answer ${expected} within ${SINK_TIMEOUT_MS} ms`));
      }, SINK_TIMEOUT_MS);
      const onMessage = (reply: SinkReply): void => {
        if (reply.type !== expected) return;
        clearTimeout(timer);
        child.off('message', onMessage);
        resolve(reply as Extract<SinkReply, { type: T }>);
      };
      child.on('message', onMessage);
      if (message !== undefined) child.send(message);
    });

  return request(undefined, 'ready').then(({ port }) => ({
    port,
    reset: async (traceRcpt) => {
      await request({ type: 'reset', traceRcpt }, 'reset-done');
    },
    collect: async () => {
      const { connections, stillOpen } = await request({ type: 'collect' }, 'stats');
      return { connections, stillOpen };
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.send({ type: 'stop' } satisfies SinkRequest);
      }),
  }));
}
