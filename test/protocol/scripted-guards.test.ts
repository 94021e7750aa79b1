/**
 * The client's guards, checked on the wire: refused recipients mean RSET and no message,
 * failed AUTH leaks no credential, CR/LF in an argument writes nothing, an abort stops before
 * the final dot, and a server that breaks the reply grammar gets a protocol error.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { inspect } from 'node:util';
import { randomIdentity } from '../../src/core/identity';
import { composeMessage } from '../../src/core/mime';
import type { SmtpProfile } from '../../src/core/profiles';
import { deliver } from '../../src/core/send';
import { SmtpClient } from '../../src/core/smtp';
import { SmtpAbortError, SmtpArgumentError, SmtpAuthError, SmtpProtocolError, SmtpRecipientsError } from '../../src/core/smtp/errors';
import type { AuthMechanism } from '../../src/core/smtp/types';
import { custom, expect, send, sendBytes, silence, startScriptedServer } from '../support/scripted-server';
import type { ScriptIo } from '../support/scripted-server';
import {
  CLIENT_NAME,
  FAST_TIMEOUTS,
  QUIT_STEPS,
  assertScriptHeld,
  assertSmtpError,
  closeSessions,
  delay,
  describeError,
  ehlo,
  greet,
  openSession,
  rejection,
  trackServer,
  transactionSteps,
  withoutTrailingQuit,
} from '../support/scripted-session';

const BODY = 'Subject: s\r\n\r\nbody\r\n';

describe('scripted server: client guards', () => {
  afterEach(closeSessions);

  describe('refused recipients (no DATA, RSET)', () => {
    it('one-by-one RCPT: every refusal is listed with its reply, then RSET and no DATA', async () => {
      const { server, client } = await openSession([
        greet,
        ...ehlo(),
        ...transactionSteps({
          rcpts: [
            { to: 'bob@example.com', reply: '550 5.1.1 <bob@example.com>: Recipient address rejected\r\n' },
            { to: 'carol@example.com' },
            { to: 'dave@example.com', reply: '452 4.2.2 Mailbox full\r\n' },
          ],
        }),
        ...QUIT_STEPS,
      ]);
      await client.connect();
      const error = assertSmtpError(
        await rejection(client.send({ from: 'alice@example.com', to: ['bob@example.com', 'carol@example.com', 'dave@example.com'] }, BODY)),
        SmtpRecipientsError,
        'rcpt',
      );
      assert.deepEqual(error.refused, [
        { address: 'bob@example.com', reply: { code: 550, enhancedCode: '5.1.1', lines: ['<bob@example.com>: Recipient address rejected'] } },
        { address: 'dave@example.com', reply: { code: 452, enhancedCode: '4.2.2', lines: ['Mailbox full'] } },
      ]);
      assert.deepEqual(error.accepted, ['carol@example.com']);
      assert.equal(error.transient, false, 'one refusal is permanent');
      await client.quit();
      assert.equal(
        server.text,
        'EHLO client.test\r\nMAIL FROM:<alice@example.com>\r\n' +
          'RCPT TO:<bob@example.com>\r\nRCPT TO:<carol@example.com>\r\nRCPT TO:<dave@example.com>\r\nRSET\r\nQUIT\r\n',
      );
      assertScriptHeld(server);
      await server.clientGone();
    });

    it('pipelined, one recipient: refused, DATA answered 554 → SmtpRecipientsError, RSET, no content', async () => {
      const { server, client } = await openSession([
        greet,
        ...ehlo(['PIPELINING', 'ENHANCEDSTATUSCODES']),
        ...transactionSteps({ pipelining: true, rcpts: [{ to: 'bob@example.com', reply: '450 4.1.1 <bob@example.com>: try later\r\n' }] }),
        ...QUIT_STEPS,
      ]);
      await client.connect();
      const error = assertSmtpError(await rejection(client.send({ from: 'alice@example.com', to: ['bob@example.com'] }, BODY)), SmtpRecipientsError, 'rcpt');
      assert.deepEqual(error.refused.map((r) => [r.address, r.reply.code]), [['bob@example.com', 450]]);
      assert.equal(error.transient, true, 'every refusal was 4xx');
      await client.quit();
      assert.equal(server.text, 'EHLO client.test\r\nMAIL FROM:<alice@example.com>\r\nRCPT TO:<bob@example.com>\r\nDATA\r\nRSET\r\nQUIT\r\n');
      assertScriptHeld(server);
      await server.clientGone();
    });

    it('pipelined, one recipient: refused but DATA answered 354 → no content and no final dot; the connection is dropped', async () => {
      // RFC 2920 3.1: with no valid recipient the server must refuse DATA. One that opens a data
      // phase anyway could only be closed by a complete message, which would be delivered to
      // nobody valid (or, on a lax server, to someone): the client drops the connection instead.
      const { server, client } = await openSession([
        greet,
        ...ehlo(['PIPELINING', 'ENHANCEDSTATUSCODES']),
        ...transactionSteps({ pipelining: true, rcpts: [{ to: 'bob@example.com', reply: '550 5.1.1 no such user\r\n' }], dataRefusal: '354 go ahead\r\n' }).filter(
          (_step, index, steps) => index < steps.length - 2,
        ),
      ]);
      await client.connect();
      assertSmtpError(await rejection(client.send({ from: 'alice@example.com', to: ['bob@example.com'] }, BODY)), SmtpRecipientsError, 'rcpt');
      await server.clientGone();
      assertScriptHeld(server);
      const afterData = server.text.slice(server.text.indexOf('DATA\r\n') + 'DATA\r\n'.length);
      assert.ok(!afterData.includes('Subject:'), `no message content after DATA: ${JSON.stringify(afterData)}`);
      assert.ok(!/(^|\r\n)\.\r\n/.test(afterData), `no final dot after DATA: ${JSON.stringify(afterData)}`);
    });

    it('pipelined: one recipient refused among accepted ones → no DATA at all, RSET, and the session ends with QUIT', async () => {
      // Regression: DATA used to be pipelined with several RCPTs, so a 354 could arrive after a
      // refusal. Then only a complete message (delivered to carol alone: half-sent) or a dropped
      // connection (no QUIT, RFC 5321 4.1.1.10; Exim logs "lost") could end the data phase.
      const { server, client } = await openSession([
        greet,
        ...ehlo(['PIPELINING', 'ENHANCEDSTATUSCODES']),
        ...transactionSteps({ pipelining: true, rcpts: [{ to: 'bob@example.com', reply: '550 5.1.1 no such user\r\n' }, { to: 'carol@example.com' }] }),
        ...QUIT_STEPS,
      ]);
      await client.connect();
      const error = assertSmtpError(
        await rejection(client.send({ from: 'alice@example.com', to: ['bob@example.com', 'carol@example.com'] }, BODY)),
        SmtpRecipientsError,
        'rcpt',
      );
      assert.deepEqual(error.refused.map((r) => r.address), ['bob@example.com']);
      assert.deepEqual(error.accepted, ['carol@example.com']);
      await client.quit();
      assertScriptHeld(server);
      assert.equal(
        server.text,
        'EHLO client.test\r\nMAIL FROM:<alice@example.com>\r\nRCPT TO:<bob@example.com>\r\nRCPT TO:<carol@example.com>\r\nRSET\r\nQUIT\r\n',
      );
      await server.clientGone();
    });
  });

  describe('a message source that fails half-way', () => {
    it('closes the connection: no QUIT (or anything) is written into the open DATA, and nothing is delivered', async () => {
      // Regression: after the source failed, close() sent QUIT politely, and the server read
      // "QUIT" as a line of message content; the socket then lingered until the QUIT timeout.
      const { server, client } = await openSession([greet, ...ehlo(['PIPELINING']), ...transactionSteps({ pipelining: true, until: 'content' }), silence()]);
      await client.connect();
      async function* source(): AsyncGenerator<Uint8Array> {
        yield Buffer.from('Subject: s\r\n\r\nfirst half\r\n');
        await delay(20);
        throw new Error('the attachment vanished');
      }
      const error = await rejection(client.send({ from: 'alice@example.com', to: ['bob@example.com'] }, source()));
      assert.match(String(error), /the attachment vanished/);
      client.close();
      await server.clientGone();
      const afterData = server.text.slice(server.text.indexOf('DATA\r\n') + 'DATA\r\n'.length);
      assert.equal(afterData, 'Subject: s\r\n\r\nfirst half\r\n', 'only the half that was read, then the connection ends');
    });
  });

  describe('deliver() settles only when the session is over', () => {
    it('a refused recipient: the QUIT is on the wire and answered before the promise rejects (nothing lingers)', async () => {
      // Regression: the session's QUIT ran in the background after deliver() rejected, so a CLI
      // process could outlive its answer by the QUIT and close timeouts.
      const server = await startScriptedServer([
        greet,
        ...ehlo(['PIPELINING']),
        ...transactionSteps({ pipelining: true, rcpts: [{ to: 'bob@example.com', reply: '550 5.1.1 no such user\r\n' }] }),
        ...QUIT_STEPS,
      ]);
      trackServer(server);
      const profile: SmtpProfile = { name: 't', host: server.host, port: server.port, security: 'none', auth: 'none', tls: { allowSelfSigned: false }, allowPlaintextAuth: false };
      const composed = await composeMessage({
        draft: { format: 'plaintext', baseDir: '.', to: [{ address: 'bob@example.com' }], cc: [], bcc: [], replyTo: [], subject: 's', attachments: [], references: [], headers: [], body: 'hi\n', bodyStartLine: 1 },
        from: { address: 'alice@example.com' },
        identity: randomIdentity('alice@example.com'),
        html: undefined,
        eightBitMime: false,
      });
      await rejection(deliver(composed, { profile, trace: 'off', clientName: CLIENT_NAME, timeouts: FAST_TIMEOUTS }));
      assert.ok(server.text.endsWith('RSET\r\nQUIT\r\n'), inspect(server.text));
      await server.clientGone(200);
    });
  });

  describe('AUTH failure leaks no credential', () => {
    const username = 'alice@example.com';
    const password = 'Tr0ub4dor&3-s3cret';
    const challenge = '<1896.697170952@mx.test>';
    const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
    const cramResponse = b64(`${username} ${createHmac('md5', password).update(challenge).digest('hex')}`);
    const refuse = '535 5.7.8 Authentication credentials invalid\r\n';

    /** Server side of each mechanism, with or without an initial response (RFC 4954 4). */
    const serverSide: Record<Exclude<AuthMechanism, 'XOAUTH2' | 'OAUTHBEARER'>, (io: ScriptIo) => Promise<void>> = {
      PLAIN: async (io) => {
        const line = await io.readLine();
        if (line === 'AUTH PLAIN') {
          await io.write('334 \r\n');
          await io.readLine();
        } else {
          assert.ok(line.startsWith('AUTH PLAIN '), line);
        }
        await io.write(refuse);
      },
      LOGIN: async (io) => {
        const line = await io.readLine();
        if (line === 'AUTH LOGIN') {
          await io.write('334 VXNlcm5hbWU6\r\n');
          await io.readLine();
        } else {
          assert.ok(line.startsWith('AUTH LOGIN '), line);
        }
        await io.write('334 UGFzc3dvcmQ6\r\n');
        await io.readLine();
        await io.write(refuse);
      },
      'CRAM-MD5': async (io) => {
        assert.equal(await io.readLine(), 'AUTH CRAM-MD5');
        await io.write(`334 ${b64(challenge)}\r\n`);
        await io.readLine();
        await io.write(refuse);
      },
    };
    /** What each mechanism puts on the wire that carries the password. */
    const secretsOnWire: Record<keyof typeof serverSide, string> = {
      PLAIN: b64(`\0${username}\0${password}`),
      LOGIN: b64(password),
      'CRAM-MD5': cramResponse,
    };

    for (const mechanism of ['PLAIN', 'LOGIN', 'CRAM-MD5'] as const) {
      it(`${mechanism} refused with 535 → SmtpAuthError; the password appears in no event and not in the error`, async () => {
        const { server, client, events } = await openSession(
          [greet, ...ehlo(['AUTH PLAIN LOGIN CRAM-MD5', 'ENHANCEDSTATUSCODES']), custom(serverSide[mechanism]), ...QUIT_STEPS],
          { trace: 'verbose' },
        );
        await client.connect();
        const error = assertSmtpError(await rejection(client.authenticate({ username, password, mechanism })), SmtpAuthError, 'auth');
        assert.equal(error.mechanism, mechanism);
        assert.equal(error.reply?.code, 535);
        assert.equal(error.reply.enhancedCode, '5.7.8');
        assert.equal(error.transient, false);
        await client.quit();
        assertScriptHeld(server);
        await server.clientGone();

        const wireSecret = secretsOnWire[mechanism];
        assert.ok(server.text.includes(wireSecret), 'the test looks for what the client really sent');
        const seen = [inspect(events, { depth: 20 }), inspect(error, { depth: 20 }), String(error), error.message, error.stack ?? '', JSON.stringify(events)].join('\n');
        for (const secret of [password, b64(password), wireSecret, b64(`\0${username}\0${password}`)]) {
          assert.ok(!seen.includes(secret), `a credential (${secret.length} chars) leaked into events or the error`);
        }
        const authLines = events.filter((e) => e.type === 'send' && (e.line.startsWith('AUTH') || e.redacted));
        assert.ok(authLines.some((e) => e.type === 'send' && e.redacted), 'credential lines are marked redacted');
      });
    }
  });

  describe('XOAUTH2 failure leaks no token', () => {
    it('XOAUTH2 refused (334 error challenge, empty reply, 535) → SmtpAuthError; the token appears in no event and not in the error', async () => {
      const username = 'alice@example.com';
      const accessToken = 'ya29.a0-test-token-0123456789';
      const initial = Buffer.from(`user=${username}\x01auth=Bearer ${accessToken}\x01\x01`).toString('base64');
      const problem = Buffer.from('{"status":"401","schemes":"Bearer","scope":"https://mail.google.com/"}').toString('base64');
      const { server, client, events } = await openSession(
        [
          greet,
          ...ehlo(['AUTH PLAIN LOGIN XOAUTH2', 'ENHANCEDSTATUSCODES']),
          custom(async (io) => {
            const line = await io.readLine();
            if (line === 'AUTH XOAUTH2') {
              await io.write('334 \r\n');
              await io.readLine();
            } else {
              assert.ok(line.startsWith('AUTH XOAUTH2 '), line);
            }
            // Google's XOAUTH2: the error comes as a 334 challenge the client answers empty.
            await io.write(`334 ${problem}\r\n`);
            assert.equal(await io.readLine(), '', 'an empty line answers the error challenge');
            await io.write('535 5.7.8 Username and Password not accepted\r\n');
          }),
          ...QUIT_STEPS,
        ],
        { trace: 'verbose' },
      );
      await client.connect();
      const error = assertSmtpError(await rejection(client.authenticate({ username, accessToken })), SmtpAuthError, 'auth');
      assert.equal(error.mechanism, 'XOAUTH2');
      assert.equal(error.reply?.code, 535);
      await client.quit();
      assertScriptHeld(server);
      await server.clientGone();
      assert.ok(server.text.includes(initial), 'the test looks for what the client really sent');
      const seen = [inspect(events, { depth: 20 }), inspect(error, { depth: 20 }), String(error), error.stack ?? '', JSON.stringify(events)].join('\n');
      assert.ok(!seen.includes(accessToken), 'the access token leaked');
      assert.ok(!seen.includes(initial), 'the encoded XOAUTH2 response leaked');
    });
  });

  describe('CR/LF in an argument (command injection)', () => {
    const cases = [
      { name: 'CRLF in MAIL FROM', envelope: { from: 'alice@example.com\r\nRCPT TO:<evil@example.net>', to: ['bob@example.com'] }, stage: 'mail' },
      { name: 'LF in a recipient', envelope: { from: 'alice@example.com', to: ['bob@example.com', 'carol@example.com\nDATA'] }, stage: 'rcpt' },
      { name: 'bare CR in a recipient', envelope: { from: 'alice@example.com', to: ['dave@example.com\rRSET'] }, stage: 'rcpt' },
    ] as const;
    for (const { name, envelope, stage } of cases) {
      it(`${name} → SmtpArgumentError, stage ${stage}; the server receives nothing after EHLO`, async () => {
        const { server, client } = await openSession([greet, ...ehlo(['PIPELINING']), ...QUIT_STEPS]);
        await client.connect();
        assertSmtpError(await rejection(client.send(envelope, BODY)), SmtpArgumentError, stage);
        await delay(50);
        await client.quit();
        assert.equal(server.text, 'EHLO client.test\r\nQUIT\r\n');
        assertScriptHeld(server);
        await server.clientGone();
      });
    }

    it('CRLF in the EHLO name → SmtpArgumentError before EHLO is written', async () => {
      const server = await startScriptedServer([greet, ...ehlo()]);
      trackServer(server);
      let error: unknown;
      let client: SmtpClient | undefined;
      try {
        client = new SmtpClient({ host: server.host, port: server.port, security: 'none', clientName: `${CLIENT_NAME}\r\nMAIL FROM:<x@example.net>`, timeouts: FAST_TIMEOUTS });
        error = await rejection(client.connect());
      } catch (thrown) {
        error = thrown;
      } finally {
        client?.close();
      }
      assertSmtpError(error, SmtpArgumentError, ['connect', 'greeting', 'ehlo']);
      if (server.connections > 0) await server.clientGone();
      assert.ok(!server.text.includes('MAIL'), JSON.stringify(server.text));
      assert.ok(!server.text.includes('EHLO'), JSON.stringify(server.text));
    });
  });

  describe('abort', () => {
    it('AbortSignal fired during DATA → SmtpAbortError, stage message, no final dot, connection closed', async () => {
      const controller = new AbortController();
      const { server, client } = await openSession([
        greet,
        ...ehlo(),
        ...transactionSteps({ until: 'content' }),
        custom(async (io) => {
          await io.readBytes(2048);
          controller.abort();
        }),
        silence(),
      ]);
      async function* slowBody(): AsyncGenerator<Uint8Array> {
        yield Buffer.from('Subject: slow\r\n\r\n');
        for (let i = 0; i < 500; i++) {
          yield Buffer.from(`line ${i} ${'y'.repeat(100)}\r\n`);
          await delay(1);
        }
      }
      await client.connect();
      const error = assertSmtpError(await rejection(client.send({ from: 'alice@example.com', to: ['bob@example.com'] }, slowBody(), { signal: controller.signal })), SmtpAbortError, 'message');
      assert.equal(error.transient, true);
      await server.clientGone();
      assertScriptHeld(server);
      const afterData = server.text.slice(server.text.indexOf('DATA\r\n') + 'DATA\r\n'.length);
      assert.ok(afterData.startsWith('Subject: slow\r\n'), 'the body had started');
      assert.ok(!afterData.includes('\r\n.\r\n'), 'no final dot was written');
      assert.ok(!afterData.includes('line 499'), 'the body stopped when the signal fired');
    });

    it('AbortSignal fired while waiting for the MAIL reply → SmtpAbortError, stage mail', async () => {
      const controller = new AbortController();
      const { server, client } = await openSession([
        greet,
        ...ehlo(),
        ...transactionSteps({ until: 'mail' }),
        custom(() => {
          controller.abort();
          return Promise.resolve();
        }),
        silence(),
      ]);
      await client.connect();
      assertSmtpError(await rejection(client.send({ from: 'alice@example.com', to: ['bob@example.com'] }, BODY, { signal: controller.signal })), SmtpAbortError, 'mail');
      await server.clientGone();
      assert.equal(withoutTrailingQuit(server.text), 'EHLO client.test\r\nMAIL FROM:<alice@example.com>\r\n');
    });
  });

  describe('malformed replies', () => {
    it('a reply line that never ends (1 MiB, no CRLF) → SmtpProtocolError, stage greeting, before any timeout', async () => {
      const { server, client } = await openSession([sendBytes(`220 ${'x'.repeat(1 << 20)}`, { split: { chunkSize: 65536 } }), silence()]);
      const error = assertSmtpError(await rejection(client.connect()), SmtpProtocolError, 'greeting');
      await server.clientGone();
      assert.ok(!server.text.includes('EHLO'), describeError(error));
    });

    it('an over-long but complete line in the EHLO reply → SmtpProtocolError, stage ehlo', async () => {
      const { server, client } = await openSession([greet, expect('EHLO '), send(`250-mx.test\r\n250-${'X'.repeat(100_000)}\r\n250 HELP\r\n`), silence()]);
      assertSmtpError(await rejection(client.connect()), SmtpProtocolError, 'ehlo');
      await server.clientGone();
      assert.equal(withoutTrailingQuit(server.text), 'EHLO client.test\r\n');
    });

    it('a greeting that is not an SMTP reply → SmtpProtocolError, stage greeting', async () => {
      const { server, client } = await openSession([send('HTTP/1.1 400 Bad Request\r\n\r\n'), silence()]);
      assertSmtpError(await rejection(client.connect()), SmtpProtocolError, 'greeting');
      await server.clientGone();
      assert.equal(withoutTrailingQuit(server.text), '');
    });
  });
});
