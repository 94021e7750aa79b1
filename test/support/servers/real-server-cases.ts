/**
 * What the interop suites against real servers (aiosmtpd, Postfix, Exim) share, written once:
 * the mocha lifecycle of a server (start or skip, every client closed after each test, stop),
 * a client wired as a user's would be (certificate verification on, the per-run self-signed
 * certificate as the trusted CA, every event recorded), a plain CRLF test message, and the
 * checks every server must pass the same way: a refused password is a permanent SmtpAuthError,
 * lines starting with "." survive dot-stuffing (RFC 5321 4.5.2), and no form of any password
 * reaches an event or an error.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { SmtpAuthError, SmtpClient } from '../../../src/core/smtp/index';
import type { AuthMechanism, SmtpClientOptions, SmtpTimeouts } from '../../../src/core/smtp/index';
import { findSecrets, secretForms } from './leak-check';
import { startOrSkip } from './mocha-support';
import { SessionRecorder } from './session-recorder';

/** Connect within 5 s; every later stage gets `ms` (real servers on a busy CI box are slow). */
export function stageTimeouts(ms: number): SmtpTimeouts {
  return { connect: 5000, greeting: ms, tls: ms, command: ms, dataStart: ms, dataBlock: ms, dataEnd: ms };
}

export interface RealClientOptions {
  readonly port: number;
  readonly security: 'starttls' | 'tls' | 'none';
  /** PEM of the certificate the server presents, trusted as the only CA. */
  readonly ca: string;
  readonly timeouts: SmtpTimeouts;
  readonly extra?: Partial<SmtpClientOptions> | undefined;
}

export interface RealServerHarness<S> {
  /** Every event and captured error of every client of the suite. */
  readonly recorder: SessionRecorder;
  /** The started server (fails the test if `before` did not start it). */
  readonly running: () => S;
  /** A client for the running server, closed after the test. */
  readonly newClient: (options: RealClientOptions) => SmtpClient;
  /**
   * On `client` (fresh, verbose): a refused AUTH LOGIN with `wrong`, an accepted AUTH PLAIN with
   * `right`, then QUIT. Leak checks run this first so that they stand on their own under --grep.
   */
  readonly loginWrongThenRight: (client: SmtpClient, wrong: Credentials, right: Credentials) => Promise<void>;
  /** AUTH lines were reported redacted, and no form of any of `credentials` is in a recorded event or error. */
  readonly assertNoCredentialLeaks: (credentials: readonly Credentials[]) => void;
}

/**
 * Call inside `describe`: registers the hooks that start the server (skipping the suite when a
 * prerequisite is missing outside CI), close the test's clients after each test and stop it.
 */
export function realServerHarness<S extends { readonly host: string; stop(): Promise<void> }>(name: string, start: () => Promise<S>): RealServerHarness<S> {
  let server: S | undefined;
  const recorder = new SessionRecorder();
  const clients: SmtpClient[] = [];

  before(async function () {
    server = await startOrSkip(this, start);
  });

  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });

  after(async () => {
    await server?.stop();
  });

  function running(): S {
    assert.ok(server, `${name} was not started`);
    return server;
  }

  function newClient(options: RealClientOptions): SmtpClient {
    const client = new SmtpClient({
      host: running().host,
      port: options.port,
      security: options.security,
      // Verification stays on: the per-run self-signed certificate is the trusted CA.
      tls: { ca: options.ca },
      clientName: 'client.example.test',
      observer: recorder.observer,
      timeouts: options.timeouts,
      ...options.extra,
    });
    clients.push(client);
    return client;
  }

  async function loginWrongThenRight(client: SmtpClient, wrong: Credentials, right: Credentials): Promise<void> {
    await client.connect();
    await recorder.capture(() => client.authenticate({ ...wrong, mechanism: 'LOGIN' }));
    await client.authenticate({ ...right, mechanism: 'PLAIN' });
    await client.quit();
  }

  function assertNoCredentialLeaks(credentials: readonly Credentials[]): void {
    assert.ok(recorder.events.some((e) => e.type === 'send' && e.redacted), 'AUTH lines should be reported as redacted');
    const secrets = credentials.flatMap(({ username, password }) => secretForms(username, password));
    assert.deepEqual(findSecrets([...recorder.events, ...recorder.errors], secrets), []);
  }

  return { recorder, running, newClient, loginWrongThenRight, assertNoCredentialLeaks };
}

export interface TestMessageFields {
  readonly from: string;
  readonly to: string;
  readonly subject: string;
  /** The right-hand side of the Message-ID. */
  readonly domain: string;
  readonly body: string;
  readonly transferEncoding: '7bit' | '8bit';
}

/** A complete CRLF plain-text message (RFC 5322) with a fresh Message-ID; `body` is appended as is. */
export function testMessage(fields: TestMessageFields): Buffer {
  return Buffer.from(
    [
      `From: ${fields.from}`,
      `To: ${fields.to}`,
      `Subject: ${fields.subject}`,
      'Date: Sun, 29 Nov 2026 10:00:00 +0000',
      `Message-ID: <${randomUUID()}@${fields.domain}>`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      `Content-Transfer-Encoding: ${fields.transferEncoding}`,
      '',
      '',
    ].join('\r\n') + fields.body,
    'utf8',
  );
}

/**
 * A body whose lines start with "." in every way that matters to dot-stuffing (RFC 5321 4.5.2):
 * a lone dot (which would end DATA), two and three dots, a dot before text and before a tab;
 * `stuffed` lines start with "." and each gains one on the wire.
 */
export const DOT_LINES = {
  body: ['.', '..', '...', '.leading dot', ' . not leading', '.\t tab', 'last line', '.'].join('\r\n') + '\r\n',
  stuffed: 6,
} as const;

/** A refused password: SmtpAuthError, kind and stage `auth`, reply 535, not transient. */
export function assertAuthRefused(error: unknown, expected: { readonly mechanism?: AuthMechanism; readonly enhancedCode?: string } = {}): asserts error is SmtpAuthError {
  assert.ok(error instanceof SmtpAuthError, `expected SmtpAuthError, got ${String(error)}`);
  assert.equal(error.kind, 'auth');
  assert.equal(error.stage, 'auth');
  if (expected.mechanism !== undefined) assert.equal(error.mechanism, expected.mechanism);
  assert.equal(error.reply?.code, 535);
  if (expected.enhancedCode !== undefined) assert.equal(error.reply.enhancedCode, expected.enhancedCode);
  assert.equal(error.transient, false);
}

/** A username and password for AUTH. */
export interface Credentials {
  readonly username: string;
  readonly password: string;
}

