/**
 * The server gives up at each stage of a session: a 421 reply (RFC 5321 3.8: service shutting
 * down), a hang-up, a reset, or silence. Each must end in the right typed error and stage, with
 * nothing written past the failure but a polite QUIT, and the client's socket closed.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { Readable } from 'node:stream';
import { SmtpConnectionError, SmtpReplyError, SmtpTimeoutError } from '../../src/core/smtp/errors';
import type { SmtpStage } from '../../src/core/smtp/errors';
import { SmtpClient } from '../../src/core/smtp';
import type { SmtpTimeouts } from '../../src/core/smtp/types';
import { close, expect, expectBytes, reset, send, silence } from '../support/scripted-server';
import type { Step } from '../support/scripted-server';
import {
  assertScriptHeld,
  assertSmtpError,
  certs,
  closeSessions,
  ehlo,
  greet,
  openSession,
  rejection,
  transactionSteps,
  withoutTrailingQuit,
} from '../support/scripted-session';
import type { Session } from '../support/scripted-session';

const CREDENTIALS = { username: 'alice', password: 'pw-for-stage-tests', mechanism: 'PLAIN' } as const;
const PLAIN_IR = Buffer.from('\0alice\0pw-for-stage-tests').toString('base64');
const ENVELOPE = { from: 'alice@example.com', to: ['bob@example.com'] } as const;
const BODY = 'Subject: s\r\n\r\nbody\r\n';

interface StageCase {
  readonly stage: SmtpStage;
  /** Script up to and including reading the command that will fail. */
  readonly prelude: readonly Step[];
  /** What the client writes up to the failure (a trailing QUIT is tolerated). */
  readonly transcript: RegExp;
  readonly security?: 'starttls';
  readonly run: (client: SmtpClient) => Promise<unknown>;
}

const EHLO_AUTH = ehlo(['AUTH PLAIN']);
const connectAndSend = async (client: SmtpClient): Promise<unknown> => {
  await client.connect();
  return client.send(ENVELOPE, BODY);
};
const E = 'EHLO client\\.test\\r\\n';
const MAIL = 'MAIL FROM:<alice@example\\.com>\\r\\n';
const RCPT = 'RCPT TO:<bob@example\\.com>\\r\\n';
const DATA = 'DATA\\r\\n';
const CONTENT = 'Subject: s\\r\\n\\r\\nbody\\r\\n\\.\\r\\n';

const STAGES: readonly StageCase[] = [
  { stage: 'greeting', prelude: [], transcript: /^$/, run: (c) => c.connect() },
  { stage: 'ehlo', prelude: [greet, expect('EHLO ')], transcript: new RegExp(`^${E}$`), run: (c) => c.connect() },
  {
    stage: 'starttls',
    security: 'starttls',
    prelude: [greet, ...ehlo(['STARTTLS']), expect('STARTTLS')],
    transcript: new RegExp(`^${E}STARTTLS\\r\\n$`),
    run: (c) => c.connect(),
  },
  {
    stage: 'auth',
    prelude: [greet, ...EHLO_AUTH, expect('AUTH PLAIN')],
    // With or without the initial response (RFC 4954 4).
    transcript: new RegExp(`^${E}AUTH PLAIN( ${PLAIN_IR.replace(/[+/=]/g, '\\$&')})?\\r\\n$`),
    run: async (c) => {
      await c.connect();
      return c.authenticate(CREDENTIALS);
    },
  },
  { stage: 'mail', prelude: [greet, ...EHLO_AUTH, ...transactionSteps({ until: 'mail' })], transcript: new RegExp(`^${E}${MAIL}$`), run: connectAndSend },
  { stage: 'rcpt', prelude: [greet, ...EHLO_AUTH, ...transactionSteps({ until: 'rcpt' })], transcript: new RegExp(`^${E}${MAIL}${RCPT}$`), run: connectAndSend },
  { stage: 'data', prelude: [greet, ...EHLO_AUTH, ...transactionSteps({ until: 'data' })], transcript: new RegExp(`^${E}${MAIL}${RCPT}${DATA}$`), run: connectAndSend },
  {
    // The reply to the final dot (RFC 5321 4.1.1.4).
    stage: 'message',
    prelude: [greet, ...EHLO_AUTH, ...transactionSteps({ until: 'dot' })],
    transcript: new RegExp(`^${E}${MAIL}${RCPT}${DATA}${CONTENT}$`),
    run: connectAndSend,
  },
];

async function openStage(stageCase: StageCase, failure: readonly Step[], timeouts: Partial<SmtpTimeouts> = {}): Promise<Session> {
  const tlsOptions = stageCase.security === 'starttls' ? { security: 'starttls' as const, tls: { ca: certs.ca } } : {};
  return openSession([...stageCase.prelude, ...failure], { ...tlsOptions, timeouts });
}

describe('scripted server: failures at every stage', () => {
  afterEach(closeSessions);

  describe('421 service shutting down', () => {
    for (const stageCase of STAGES) {
      it(`421 at ${stageCase.stage} → SmtpReplyError, stage ${stageCase.stage}, transient`, async () => {
        const { server, client } = await openStage(stageCase, [send('421 4.3.2 mx.test shutting down\r\n'), close()]);
        const error = assertSmtpError(await rejection(stageCase.run(client)), SmtpReplyError, stageCase.stage);
        assert.equal(error.transient, true);
        assert.equal(error.reply.code, 421);
        assert.equal(error.reply.enhancedCode, '4.3.2');
        assert.deepEqual(error.reply.lines, ['mx.test shutting down']);
        await server.clientGone();
        assertScriptHeld(server);
        assert.match(withoutTrailingQuit(server.text), stageCase.transcript);
      });
    }
  });

  describe('the server hangs up (FIN)', () => {
    for (const stageCase of STAGES) {
      it(`hang-up at ${stageCase.stage} → SmtpConnectionError CLOSED, stage ${stageCase.stage}`, async () => {
        const { server, client } = await openStage(stageCase, [close()]);
        const error = assertSmtpError(await rejection(stageCase.run(client)), SmtpConnectionError, stageCase.stage);
        assert.equal(error.errno, 'CLOSED');
        assert.equal(error.transient, true);
        await server.clientGone();
        assertScriptHeld(server);
        assert.match(withoutTrailingQuit(server.text), stageCase.transcript);
      });
    }

    it('reset (RST) right after accepting → SmtpConnectionError ECONNRESET or CLOSED, stage connect or greeting', async () => {
      const { server, client } = await openSession([reset()]);
      // On loopback the RST can land before the client's connect() completes: either stage is right.
      const error = assertSmtpError(await rejection(client.connect()), SmtpConnectionError, ['connect', 'greeting']);
      assert.ok(['ECONNRESET', 'CLOSED'].includes(error.errno), error.errno);
      await server.clientGone();
    });

    it('reset in the middle of a long message body → SmtpConnectionError, stage message, no final dot', async () => {
      const { server, client } = await openSession([
        greet,
        ...EHLO_AUTH,
        ...transactionSteps({ until: 'content' }),
        expectBytes(4096),
        reset(),
      ]);
      const line = Buffer.from(`${'x'.repeat(1022)}\r\n`);
      function* body(): Generator<Uint8Array> {
        yield Buffer.from('Subject: long\r\n\r\n');
        // 64 MiB at most: far more than socket buffers hold, so the client is still writing.
        for (let i = 0; i < 1024; i++) yield Buffer.concat(Array.from({ length: 64 }, () => line));
      }
      await client.connect();
      const error = assertSmtpError(await rejection(client.send(ENVELOPE, Readable.from(body()))), SmtpConnectionError, 'message');
      assert.ok(['ECONNRESET', 'EPIPE', 'CLOSED'].includes(error.errno), error.errno);
      await server.clientGone();
      assertScriptHeld(server);
      assert.ok(!server.text.includes('\r\n.\r\n'), 'no final dot was written');
    });

    it('connection refused → SmtpConnectionError ECONNREFUSED, stage connect', async () => {
      const probe = net.createServer();
      await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
      const address = probe.address();
      await new Promise<void>((resolve) => probe.close(() => resolve()));
      assert.ok(address !== null && typeof address === 'object');
      const client = new SmtpClient({ host: '127.0.0.1', port: address.port, security: 'none', clientName: 'client.test', timeouts: { connect: 1000 } });
      try {
        const error = assertSmtpError(await rejection(client.connect()), SmtpConnectionError, 'connect');
        assert.equal(error.errno, 'ECONNREFUSED');
        assert.equal(error.transient, true);
      } finally {
        client.close();
      }
    });
  });

  describe('the server goes silent', () => {
    const cases: ReadonlyArray<{ readonly stage: SmtpStage; readonly timeout: keyof SmtpTimeouts }> = [
      { stage: 'greeting', timeout: 'greeting' },
      { stage: 'ehlo', timeout: 'command' },
      { stage: 'mail', timeout: 'command' },
      { stage: 'data', timeout: 'dataStart' },
      { stage: 'message', timeout: 'dataEnd' },
    ];
    for (const { stage, timeout } of cases) {
      it(`silence at ${stage} → SmtpTimeoutError after the ${timeout} timeout, stage ${stage}`, async () => {
        const stageCase = STAGES.find((s) => s.stage === stage);
        assert.ok(stageCase);
        // Every other timeout is 3 s, so finishing well before shows the stage's own timeout fired.
        const slow: SmtpTimeouts = { connect: 3000, greeting: 3000, tls: 3000, command: 3000, dataStart: 3000, dataBlock: 3000, dataEnd: 3000 };
        const { server, client } = await openStage(stageCase, [silence()], { ...slow, [timeout]: 300 });
        const started = Date.now();
        const error = assertSmtpError(await rejection(stageCase.run(client)), SmtpTimeoutError, stage);
        const elapsed = Date.now() - started;
        assert.equal(error.timeoutMs, 300);
        assert.equal(error.transient, true);
        assert.ok(elapsed >= 250 && elapsed < 2000, `elapsed ${elapsed} ms`);
        await server.clientGone();
        assertScriptHeld(server);
        assert.match(withoutTrailingQuit(server.text), stageCase.transcript);
      });
    }

    it('a TLS handshake that never answers → SmtpTimeoutError, stage tls', async () => {
      const { server, client } = await openSession(
        [greet, ...ehlo(['STARTTLS']), expect('STARTTLS'), send('220 go ahead\r\n'), silence()],
        { security: 'starttls', tls: { ca: certs.ca }, timeouts: { tls: 300 } },
      );
      const error = assertSmtpError(await rejection(client.connect()), SmtpTimeoutError, 'tls');
      assert.equal(error.timeoutMs, 300);
      await server.clientGone();
      assertScriptHeld(server);
    });
  });
});
