/**
 * Glue for the scripted-server protocol tests: fixture certificates, a client wired to a
 * scripted server with short timeouts and an event log, typed-error assertions, cleanup that
 * closes every client and server after each test (mocha must exit by itself), and the script
 * pieces every session shares (greeting, EHLO, one MAIL/RCPT/DATA transaction, QUIT).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { SmtpClient } from '../../src/core/smtp';
import { SmtpError } from '../../src/core/smtp/errors';
import type { SmtpStage } from '../../src/core/smtp/errors';
import type { SmtpClientOptions, SmtpEvent, SmtpTimeouts, TlsDetails } from '../../src/core/smtp/types';
import { close, expect, expectData, expectQuiet, send, startScriptedServer } from './scripted-server';
import type { ScriptedServer, ScriptedServerOptions, Step } from './scripted-server';

const tlsDir = path.join(__dirname, '..', 'fixtures', 'tls');
const read = (name: string): string => fs.readFileSync(path.join(tlsDir, name), 'utf8');

/** Certificates made by scripts/make-test-certs.ts; all leaves but self-signed are signed by `ca`. */
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

/** The details of the first `tls` event (the handshake), if there was one. */
export function tlsDetails(events: readonly SmtpEvent[]): TlsDetails | undefined {
  const event = events.find((e) => e.type === 'tls');
  return event?.type === 'tls' ? event.details : undefined;
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

/** The greeting most scripts open with. */
export const greet = send('220 mx.test ESMTP\r\n');

/** EHLO and its reply: `mx.test`, then one extension keyword per line (RFC 5321 4.1.1.1). */
export function ehlo(extensions: readonly string[] = ['ENHANCEDSTATUSCODES']): Step[] {
  return [expect('EHLO '), send(['mx.test', ...extensions].map((line, i, all) => `250${i === all.length - 1 ? ' ' : '-'}${line}\r\n`).join(''))];
}

/** The polite end: QUIT answered with 221, then the server waits for the client to close. */
export const QUIT_221: readonly Step[] = [expect('QUIT'), send('221 2.0.0 Bye\r\n')];
/** QUIT answered with 221, then the server hangs up. */
export const QUIT_STEPS: readonly Step[] = [...QUIT_221, close()];

/** One RCPT command: the recipient it must name (any when absent) and the server's answer. */
export interface RcptStep {
  readonly to?: string;
  readonly reply?: string;
}

/** Where a transaction script stops, so the test can script the failure itself. */
export type TransactionEnd =
  /** after reading MAIL (its reply is the test's) */
  | 'mail'
  /** after reading the last RCPT */
  | 'rcpt'
  /** after reading DATA */
  | 'data'
  /** after the 354: the message content is the test's to read */
  | 'content'
  /** after reading the content through the final dot (its reply is the test's) */
  | 'dot'
  /** after the reply to the final dot: the whole transaction */
  | 'end';

export interface TransactionOptions {
  /**
   * RFC 2920: MAIL and every RCPT are read before their replies, which go out in one packet;
   * with one recipient DATA is in the same batch too (the client pipelines it only then).
   */
  readonly pipelining?: boolean;
  /** The MAIL FROM address the client must name (any when absent). */
  readonly from?: string;
  readonly mailReply?: string;
  /** One entry per RCPT (default: one RCPT, answered 250 2.1.5). */
  readonly rcpts?: readonly RcptStep[];
  readonly dataReply?: string;
  /** The answer to a pipelined DATA after the only recipient was refused (RFC 2920 3.1). */
  readonly dataRefusal?: string;
  readonly finalReply?: string;
  readonly until?: TransactionEnd;
  /** How each reply is written (default `send`: whole). */
  readonly reply?: (text: string) => Step;
  /** Wait this long before the reply to MAIL, each RCPT and DATA, and fail if the client writes meanwhile. */
  readonly quietMs?: number;
}

/**
 * The server side of one MAIL/RCPT/DATA transaction (RFC 5321 3.3), the prelude that most
 * scripted tests share. A refused RCPT (any reply not 2xx) ends the transaction the way the
 * client must end it: no DATA (or, pipelined with one recipient, a DATA the server refuses),
 * then RSET answered 250.
 */
export function transactionSteps(options: TransactionOptions = {}): Step[] {
  const {
    pipelining = false,
    from,
    mailReply = '250 2.1.0 Ok\r\n',
    rcpts = [{}],
    dataReply = '354 go ahead\r\n',
    dataRefusal = '554 5.5.1 Error: no valid recipients\r\n',
    finalReply = '250 2.0.0 Ok: queued\r\n',
    until = 'end',
    reply = send,
    quietMs,
  } = options;
  const answer = (text: string): Step[] => (quietMs === undefined ? [reply(text)] : [expectQuiet(quietMs), reply(text)]);
  const mail = expect(from === undefined ? 'MAIL FROM:' : `MAIL FROM:<${from}>`);
  const rcptLine = (rcpt: RcptStep): Step => expect(rcpt.to === undefined ? 'RCPT TO:' : `RCPT TO:<${rcpt.to}>`);
  const rcptReply = (rcpt: RcptStep): string => rcpt.reply ?? '250 2.1.5 Ok\r\n';
  const steps: Step[] = [mail];
  if (until === 'mail') return steps;
  const refused = rcpts.some((rcpt) => !rcptReply(rcpt).startsWith('2'));
  const [only] = rcpts;
  if (pipelining && rcpts.length === 1 && only !== undefined) {
    steps.push(rcptLine(only));
    if (until === 'rcpt') return steps;
    steps.push(expect('DATA'));
    if (until === 'data') return steps;
    steps.push(...answer(mailReply + rcptReply(only) + (refused ? dataRefusal : dataReply)));
    if (refused) return [...steps, expect('RSET'), ...answer('250 2.0.0 Ok\r\n')];
    if (until === 'content') return steps;
    steps.push(expectData());
    if (until === 'dot') return steps;
    return [...steps, reply(finalReply)];
  }
  if (pipelining) {
    steps.push(...rcpts.map(rcptLine));
    if (until === 'rcpt') return steps;
    steps.push(...answer(mailReply + rcpts.map(rcptReply).join('')));
  } else {
    steps.push(...answer(mailReply));
    for (const [i, rcpt] of rcpts.entries()) {
      steps.push(rcptLine(rcpt));
      if (until === 'rcpt' && i === rcpts.length - 1) return steps;
      steps.push(...answer(rcptReply(rcpt)));
    }
  }
  if (refused) return [...steps, expect('RSET'), ...answer('250 2.0.0 Ok\r\n')];
  steps.push(expect('DATA'));
  if (until === 'data') return steps;
  steps.push(...answer(dataReply));
  if (until === 'content') return steps;
  steps.push(expectData());
  if (until === 'dot') return steps;
  return [...steps, reply(finalReply)];
}
