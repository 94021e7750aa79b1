/**
 * Glue for the scripted-server protocol tests: fixture certificates, a client wired to a
 * scripted server with short timeouts and an event log, typed-error assertions, and cleanup
 * that closes every client and server after each test (mocha must exit by itself).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { SmtpClient } from '../../src/core/smtp';
import { SmtpError } from '../../src/core/smtp/errors';
import type { SmtpStage } from '../../src/core/smtp/errors';
import type { SmtpClientOptions, SmtpEvent, SmtpTimeouts } from '../../src/core/smtp/types';
import { startScriptedServer } from './scripted-server';
import type { ScriptedServer, ScriptedServerOptions, Step } from './scripted-server';

const tlsDir = path.join(__dirname, '..', 'fixtures', 'tls');
const read = (name: string): string => fs.readFileSync(path.join(tlsDir, name), 'utf8');

/** Certificates made by scripts/make-test-certs.sh; all leaves but self-signed are signed by `ca`. */
export const certs = {
  ca: read('ca.pem'),
  localhost: { cert: read('localhost.pem'), key: read('localhost-key.pem') },
  wrongHost: { cert: read('wrong-host.pem'), key: read('wrong-host-key.pem') },
  expired: { cert: read('expired.pem'), key: read('expired-key.pem') },
  selfSigned: { cert: read('self-signed.pem'), key: read('self-signed-key.pem') },
} as const;

/** Short but not flaky: a stage under test sets its own, shorter value. */
export const FAST_TIMEOUTS: SmtpTimeouts = {
  connect: 1000,
  greeting: 1000,
  tls: 1000,
  command: 1000,
  dataStart: 1000,
  dataBlock: 1000,
  dataEnd: 1000,
};

export const CLIENT_NAME = 'client.test';

export interface Session {
  readonly server: ScriptedServer;
  readonly client: SmtpClient;
  readonly events: SmtpEvent[];
}

type ClientOverrides = Partial<Omit<SmtpClientOptions, 'timeouts'>> & { readonly timeouts?: Partial<SmtpTimeouts> };

const live: Array<{ readonly server: ScriptedServer; readonly client: SmtpClient | undefined }> = [];

/** Starts a scripted server and a client pointed at it; both are closed by `closeSessions`. */
export async function openSession(script: readonly Step[], overrides: ClientOverrides = {}, serverOptions: ScriptedServerOptions = {}): Promise<Session> {
  const server = await startScriptedServer(script, serverOptions);
  const events: SmtpEvent[] = [];
  try {
    const client = new SmtpClient({
      host: server.host,
      port: server.port,
      security: 'none',
      clientName: CLIENT_NAME,
      observer: (event) => events.push(event),
      ...overrides,
      timeouts: { ...FAST_TIMEOUTS, ...overrides.timeouts },
    });
    live.push({ server, client });
    return { server, client, events };
  } catch (error) {
    live.push({ server, client: undefined });
    throw error;
  }
}

/** Registers a server that a test started itself (for cleanup). */
export function trackServer(server: ScriptedServer): void {
  live.push({ server, client: undefined });
}

/** afterEach: destroy every client socket and server. */
export async function closeSessions(): Promise<void> {
  for (const { server, client } of live.splice(0)) {
    client?.close();
    await server.close();
  }
}

/** Awaits a promise that must reject and returns the rejection. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  let value: unknown;
  try {
    value = await promise;
  } catch (error) {
    return error;
  }
  assert.fail(`expected a rejection, got ${JSON.stringify(value)}`);
}

/** Asserts the class, `kind` and stage of an SMTP error and returns it narrowed. */
export function assertSmtpError<T extends SmtpError>(
  error: unknown,
  type: new (...args: never[]) => T,
  stage: SmtpStage | readonly SmtpStage[],
): T {
  assert.ok(error instanceof type, `expected ${type.name}, got ${describeError(error)}`);
  const stages: readonly SmtpStage[] = typeof stage === 'string' ? [stage] : stage;
  assert.ok(stages.includes(error.stage), `expected stage ${stages.join(' or ')}, got ${error.stage} (${describeError(error)})`);
  return error;
}

export function describeError(error: unknown): string {
  if (error instanceof SmtpError) return `${error.name}{kind=${error.kind}, stage=${error.stage}}: ${error.message}`;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/** Asserts the scripted server saw exactly what its script expected. */
export function assertScriptHeld(server: ScriptedServer): void {
  assert.deepEqual(server.failures, [], 'the client departed from the server script');
}

/** Text of every `send` event, CRLF stripped. */
export function sentLines(events: readonly SmtpEvent[]): string[] {
  return events.flatMap((event) => (event.type === 'send' ? [event.line.replace(/\r\n$/, '')] : []));
}

/** The transcript, with one optional polite `QUIT` at the end removed. */
export function withoutTrailingQuit(text: string): string {
  return text.endsWith('QUIT\r\n') ? text.slice(0, -'QUIT\r\n'.length) : text;
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
