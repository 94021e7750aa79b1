/**
 * Hostile and careless servers (issue 7, points 4, 11, 13 and 3): each test names the attack
 * or the bad manners it guards against and asserts the exact bytes the client wrote.
 *
 * - A reply before the final dot must never count as acceptance: a server (or a box in the
 *   middle) that answers "250" while the message is still streaming would otherwise make a
 *   partial message look "Sent".
 * - A flood of unsolicited replies is capped in bytes, not only in count.
 * - Every form of a credential a server echoes back (plain, base64, the PLAIN and XOAUTH2
 *   blobs, in any letter case, with or without padding) is scrubbed for the whole session.
 * - After a failure on a usable connection the client says QUIT (RFC 5321 4.1.1.10), waits for
 *   221 and closes TLS with close_notify instead of dropping the socket.
 * - A starttls/none profile pointed at an implicit-TLS port gets a clear greeting timeout.
 * - TLS errors are one line; a pinned certificate is the only one a pin accepts, and
 *   `allowSelfSigned` still checks the host name.
 */
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import net from 'node:net';
import { inspect } from 'node:util';
import {
  SmtpArgumentError,
  SmtpAuthError,
  SmtpProtocolError,
  SmtpRecipientsError,
  SmtpReplyError,
  SmtpTimeoutError,
  SmtpTlsError,
  SmtpUnsupportedError,
} from '../../src/core/smtp/errors';
import type { SmtpEvent } from '../../src/core/smtp/types';
import { expect, pause, send, silence, startTls } from '../support/scripted-server';
import type { Step } from '../support/scripted-server';
import {
  QUIT_221,
  assertScriptHeld,
  assertSmtpError,
  certs,
  closeSessions,
  delay,
  ehlo,
  greet,
  openSession,
  rejection,
  tlsDetails,
  transactionSteps,
} from '../support/scripted-session';

const ENVELOPE = { from: 'alice@example.com', to: ['bob@example.com'] } as const;
const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
const fingerprintOf = (pem: string): string => new X509Certificate(pem).fingerprint256;

describe('scripted server: hostile and careless servers', () => {
  afterEach(closeSessions);

  describe('a reply before the final dot (issue 7.4)', () => {
    it('"250" while the body still streams → SmtpProtocolError, stage message, not confirmed, no final dot', async () => {
      // The attack: a server (or a middlebox) that "accepts" a message it has not received
      // whole. Taking that 250 as the answer to the dot would report a partial message as sent.
      const { server, client } = await openSession([
        greet,
        ...ehlo(),
        ...transactionSteps({ until: 'content' }),
        expect('Subject: slow'),
        send('250 2.0.0 Ok: queued as EARLY\r\n'),
        silence(),
      ]);
      async function* slowBody(): AsyncGenerator<Uint8Array> {
        yield Buffer.from('Subject: slow\r\n\r\n');
        for (let i = 0; i < 200; i++) {
          await delay(5);
          yield Buffer.from(`line ${i}\r\n`);
        }
      }
      await client.connect();
      const error = assertSmtpError(await rejection(client.send(ENVELOPE, slowBody())), SmtpProtocolError, 'message');
      assert.match(error.message, /before the end of the message data.*not confirmed/);
      assert.match(error.message, /250 2\.0\.0 Ok: queued as EARLY/);
      await server.clientGone();
      assertScriptHeld(server);
      const afterData = server.text.slice(server.text.indexOf('DATA\r\n') + 'DATA\r\n'.length);
      assert.ok(afterData.startsWith('Subject: slow\r\n'), 'the body had started');
      assert.ok(!afterData.includes('\r\n.\r\n'), `no final dot after the early reply: ${JSON.stringify(afterData.slice(-40))}`);
      assert.ok(!server.text.includes('QUIT'), 'no QUIT inside message data: it would be read as content');
    });

    it('"354" and "250" in one packet (pipelined) → SmtpProtocolError before any content is written', async () => {
      const { server, client } = await openSession([
        greet,
        ...ehlo(['PIPELINING']),
        ...transactionSteps({ pipelining: true, until: 'data' }),
        send('250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 go ahead\r\n250 2.0.0 Ok: queued as EARLY\r\n'),
        silence(),
      ]);
      await client.connect();
      assertSmtpError(await rejection(client.send(ENVELOPE, 'Subject: s\r\n\r\nbody\r\n')), SmtpProtocolError, 'message');
      await server.clientGone();
      assertScriptHeld(server);
      assert.equal(server.text, 'EHLO client.test\r\nMAIL FROM:<alice@example.com>\r\nRCPT TO:<bob@example.com>\r\nDATA\r\n');
    });
  });

  describe('unsolicited replies are capped in bytes (issue 7.4)', () => {
    it('80 KiB of replies nobody asked for, in only 20 replies → SmtpProtocolError; the client hangs up', async () => {
      // Far under any count cap: only a byte cap stops a server that sends few, large replies.
      const big = Array.from({ length: 20 }, (_, i) => `250-${'x'.repeat(4000)}\r\n250 flood ${i}\r\n`).join('');
      const { server, client } = await openSession([greet, ...ehlo(), send(big), silence()]);
      await client.connect();
      await server.clientGone();
      const error = assertSmtpError(await rejection(client.send(ENVELOPE, 'Subject: s\r\n\r\nx\r\n')), SmtpProtocolError, ['ehlo', 'mail']);
      assert.match(error.message, /65536 bytes of replies nobody asked for/);
      assert.equal(server.text, 'EHLO client.test\r\n', 'no command was written after the flood');
    });

    it('a flood of many small replies stops at the same byte cap', async () => {
      const flood = '250 ok\r\n'.repeat(9_000); // 72 000 bytes in 9 000 replies
      const { server, client } = await openSession([greet, ...ehlo(), send(flood), silence()]);
      await client.connect();
      await server.clientGone();
      assertSmtpError(await rejection(client.send(ENVELOPE, 'x\r\n')), SmtpProtocolError, ['ehlo', 'mail']);
      assert.equal(server.text, 'EHLO client.test\r\n');
    });
  });

  describe('credentials echoed back are scrubbed for the whole session (issue 7.11)', () => {
    const username = 'alice@example.com';
    const password = 'Tr0ub4dor&3-s3cret!';
    const accessToken = 'ya29.A0-Echo-Token_0123456789';
    const plainBlob = b64(`\0${username}\0${password}`);
    const xoauthBlob = b64(`user=${username}\x01auth=Bearer ${accessToken}\x01\x01`);
    const unpadded = (text: string): string => text.replace(/=+$/, '');

    /** Everything the client exposes, as one text to search. */
    function exposed(events: readonly SmtpEvent[], errors: readonly unknown[]): string {
      const parts = [inspect(events, { depth: 20 }), JSON.stringify(events)];
      for (const error of errors) parts.push(inspect(error, { depth: 20 }), String(error), error instanceof Error ? (error.stack ?? '') : '');
      return parts.join('\n').toLowerCase();
    }

    function assertNoForm(seen: string, forms: Record<string, string>): void {
      for (const [name, form] of Object.entries(forms)) assert.ok(!seen.includes(form.toLowerCase()), `${name} leaked (case-insensitive match)`);
    }

    const cases = [
      {
        mechanism: 'PLAIN' as const,
        credentials: { username, password, mechanism: 'PLAIN' as const },
        auth: [expect('AUTH PLAIN '), send(`235 2.7.0 Accepted ${password} ${b64(password).toLowerCase()} ${plainBlob.toUpperCase()}\r\n`)],
        echoes: [password.toUpperCase(), unpadded(plainBlob).toLowerCase(), b64(password)],
        forms: { password, 'base64(password)': b64(password), 'PLAIN blob': plainBlob, 'PLAIN blob without padding': unpadded(plainBlob) },
      },
      {
        mechanism: 'LOGIN' as const,
        credentials: { username, password, mechanism: 'LOGIN' as const },
        auth: [
          expect('AUTH LOGIN'),
          send('334 VXNlcm5hbWU6\r\n'),
          expect(b64(username)),
          send(`334 UGFzc3dvcmQ6 you said ${b64(username).toLowerCase()}\r\n`),
          expect(b64(password)),
          send(`235 2.7.0 Accepted ${b64(password).toUpperCase()} ${password.toLowerCase()}\r\n`),
        ],
        echoes: [b64(password).toLowerCase(), unpadded(b64(password)), password],
        forms: { password, 'base64(password)': b64(password), 'base64(password) without padding': unpadded(b64(password)), 'base64(username)': b64(username) },
      },
      {
        mechanism: 'XOAUTH2' as const,
        credentials: { username, accessToken, mechanism: 'XOAUTH2' as const },
        auth: [expect('AUTH XOAUTH2 '), send(`235 2.7.0 Accepted ${accessToken.toLowerCase()} ${xoauthBlob.toLowerCase()}\r\n`)],
        echoes: [accessToken, xoauthBlob.toUpperCase(), b64(accessToken)],
        forms: { 'access token': accessToken, 'XOAUTH2 blob': xoauthBlob, 'base64(token)': b64(accessToken) },
      },
    ];

    for (const { mechanism, credentials, auth, echoes, forms } of cases) {
      it(`${mechanism}: echoes in the AUTH reply, a MAIL reply, a RCPT refusal and a malformed line never reach events or errors`, async () => {
        const [inMail = '', inRcpt = '', inGarbage = ''] = echoes;
        const { server, client, events } = await openSession(
          [
            greet,
            ...ehlo(['AUTH PLAIN LOGIN XOAUTH2', 'ENHANCEDSTATUSCODES']),
            ...auth,
            ...transactionSteps({ mailReply: `250 2.1.0 Sender ok (${inMail})\r\n`, rcpts: [{ reply: `550 5.1.1 No such user; your secret was ${inRcpt}\r\n` }] }),
            ...transactionSteps({ until: 'mail' }),
            send(`garbage ${inGarbage}\r\n`),
          ],
          { trace: 'verbose' },
        );
        await client.connect();
        assert.equal(await client.authenticate(credentials), mechanism);
        const refused = assertSmtpError(await rejection(client.send(ENVELOPE, 'Subject: s\r\n\r\nx\r\n')), SmtpRecipientsError, 'rcpt');
        assert.match(refused.message, /your secret was \*\*\*\*/);
        const garbage = assertSmtpError(await rejection(client.send(ENVELOPE, 'Subject: s\r\n\r\nx\r\n')), SmtpProtocolError, 'mail');
        assert.match(garbage.message, /garbage \*\*\*\*/);
        await server.clientGone();
        assertScriptHeld(server);
        const seen = exposed(events, [refused, garbage]);
        assertNoForm(seen, forms);
        assert.ok(seen.includes('sender ok (****)'), 'the reply itself still arrives, scrubbed');
      });
    }

    it('a refused AUTH that echoes the password lower-cased → SmtpAuthError without it', async () => {
      const { server, client, events } = await openSession([
        greet,
        ...ehlo(['AUTH PLAIN', 'ENHANCEDSTATUSCODES']),
        expect('AUTH PLAIN '),
        send(`535 5.7.8 Bad credentials ${password.toLowerCase()} / ${plainBlob.toLowerCase()}\r\n`),
        ...QUIT_221,
      ]);
      await client.connect();
      const error = assertSmtpError(await rejection(client.authenticate({ username, password })), SmtpAuthError, 'auth');
      assert.deepEqual(error.reply?.lines, ['Bad credentials **** / ****']);
      client.close();
      await server.clientGone();
      assertNoForm(exposed(events, [error]), { password, 'PLAIN blob': plainBlob });
    });
  });

  describe('QUIT after a failure on a usable connection (issue 7.13, RFC 5321 4.1.1.10)', () => {
    it('535 to AUTH, then close() → QUIT, the 221 is awaited, then the client closes', async () => {
      const blob = b64('\0alice\0wrong-password');
      const { server, client } = await openSession([
        greet,
        ...ehlo(['AUTH PLAIN']),
        expect('AUTH PLAIN '),
        send('535 5.7.8 Authentication credentials invalid\r\n'),
        expect('QUIT'),
        // A late 221: a client that hung up without waiting would make this write fail.
        pause(100),
        send('221 2.0.0 Bye\r\n'),
      ]);
      await client.connect();
      assertSmtpError(await rejection(client.authenticate({ username: 'alice', password: 'wrong-password' })), SmtpAuthError, 'auth');
      client.close();
      await server.clientGone();
      assertScriptHeld(server);
      assert.equal(server.text, `EHLO client.test\r\nAUTH PLAIN ${blob}\r\nQUIT\r\n`);
    });

    it('a refused RCPT, then close() → RSET, QUIT, 221', async () => {
      const { server, client } = await openSession([
        greet,
        ...ehlo(),
        ...transactionSteps({ rcpts: [{ reply: '550 5.1.1 No such user\r\n' }] }),
        ...QUIT_221,
      ]);
      await client.connect();
      assertSmtpError(await rejection(client.send(ENVELOPE, 'x\r\n')), SmtpRecipientsError, 'rcpt');
      client.close();
      await server.clientGone();
      assertScriptHeld(server);
      assert.equal(server.text, 'EHLO client.test\r\nMAIL FROM:<alice@example.com>\r\nRCPT TO:<bob@example.com>\r\nRSET\r\nQUIT\r\n');
    });

    it("the client's own SIZE refusal, then close() → QUIT, 221 (nothing else was written)", async () => {
      const { server, client } = await openSession([greet, ...ehlo(['SIZE 1000']), ...QUIT_221]);
      await client.connect();
      const error = assertSmtpError(await rejection(client.send({ ...ENVELOPE, size: 5000 }, 'x\r\n')), SmtpUnsupportedError, 'mail');
      assert.equal(error.feature, 'SIZE');
      client.close();
      await server.clientGone();
      assertScriptHeld(server);
      assert.equal(server.text, 'EHLO client.test\r\nQUIT\r\n');
    });

    it('a 554 greeting → connect fails with SmtpReplyError after QUIT and 221 (RFC 5321 3.1)', async () => {
      const { server, client } = await openSession([send('554 5.3.2 No SMTP service here\r\n'), ...QUIT_221]);
      const error = assertSmtpError(await rejection(client.connect()), SmtpReplyError, 'greeting');
      assert.equal(error.reply.code, 554);
      await server.clientGone();
      assertScriptHeld(server);
      assert.equal(server.text, 'QUIT\r\n');
    });

    it('STARTTLS required but not offered → QUIT in the clear, nothing else', async () => {
      const { server, client } = await openSession([greet, ...ehlo(['AUTH PLAIN']), ...QUIT_221], { security: 'starttls', tls: { ca: certs.ca } });
      assertSmtpError(await rejection(client.connect()), SmtpUnsupportedError, 'starttls');
      await server.clientGone();
      assertScriptHeld(server);
      assert.equal(server.text, 'EHLO client.test\r\nQUIT\r\n');
    });

    it('421 at the greeting → no QUIT: the server is closing the channel (RFC 5321 3.8)', async () => {
      const { server, client } = await openSession([send('421 4.3.2 Shutting down\r\n'), expect('QUIT')], {}, { answerQuitAfterScript: false });
      const error = assertSmtpError(await rejection(client.connect()), SmtpReplyError, 'greeting');
      assert.equal(error.reply.code, 421);
      await server.clientGone();
      assert.equal(server.text, '');
    });

    it('inside TLS, the session ends with a close_notify alert after the 221, not a dropped socket', async () => {
      // Exim logs a TLS session that ends without close_notify as "TLS error ... non-properly
      // terminated". TLS 1.2 keeps the record type visible: an alert is type 21.
      const upstream = await openSession(
        [greet, ...ehlo(['AUTH PLAIN']), expect('AUTH PLAIN '), send('535 5.7.8 No\r\n'), ...QUIT_221],
        {},
        { implicitTls: { ...certs.localhost, maxVersion: 'TLSv1.2' } },
      );
      const proxy = await recordingProxy(upstream.server.port);
      const { client: direct, server } = upstream;
      direct.close(); // the session's own client is not used: ours goes through the proxy
      const { client } = await openSession([], { port: proxy.port, security: 'tls', tls: { ca: certs.ca } });
      try {
        await client.connect();
        assertSmtpError(await rejection(client.authenticate({ username: 'alice', password: 'pw' })), SmtpAuthError, 'auth');
        client.close();
        await server.clientGone();
        await proxy.closed;
        assert.ok(server.secureText.endsWith('QUIT\r\n'), JSON.stringify(server.secureText));
        const types = recordTypes(proxy.fromClient());
        assert.equal(types.at(-1), 21, `the last record the client sent is an alert (close_notify); record types: ${types.join(',')}`);
      } finally {
        proxy.stop();
      }
    });
  });

  describe('an implicit-TLS port with a starttls/none profile (issue 7.13)', () => {
    for (const security of ['starttls', 'none'] as const) {
      it(`security "${security}" against a TLS listener → SmtpTimeoutError at greeting saying the port may expect implicit TLS`, async () => {
        const { server, client } = await openSession([greet], { security, timeouts: { greeting: 300 } }, { implicitTls: certs.localhost });
        const error = assertSmtpError(await rejection(client.connect()), SmtpTimeoutError, 'greeting');
        assert.equal(error.timeoutMs, 300);
        assert.match(error.message, /sent no greeting within 300 ms; the port may expect implicit TLS \("security": "tls"\)/);
        await server.clientGone();
        assert.equal(server.text, '');
      });
    }
  });

  describe('TLS errors and certificate pinning (issue 7.3, 7.13)', () => {
    it('a TLS error message is one line (OpenSSL text carries a newline)', async () => {
      const { server, client } = await openSession([send('220 mx.test plaintext ESMTP\r\n'), silence()], { security: 'tls', tls: { ca: certs.ca } });
      const error = assertSmtpError(await rejection(client.connect()), SmtpTlsError, 'tls');
      assert.match(error.tlsCode, /^ERR_SSL_/);
      assert.ok(!/[\r\n]/.test(error.message), JSON.stringify(error.message));
      await server.clientGone();
    });

    it('a pinned self-signed certificate passes without a CA, and the tls event shows its fingerprint', async () => {
      const pin = fingerprintOf(certs.selfSigned.cert);
      const { server, client, events } = await openSession([...ehloAfterGreeting()], { security: 'tls', tls: { fingerprint: pin } }, { implicitTls: certs.selfSigned });
      await client.connect();
      await client.quit();
      assert.equal(tlsDetails(events)?.fingerprint256, pin);
      assert.equal(tlsDetails(events)?.authorized, false, 'the chain did not verify; the pin stood in for it');
      assertScriptHeld(server);
      assert.equal(server.secureText, 'EHLO client.test\r\nQUIT\r\n');
    });

    it('a pinned certificate for another host passes (lower case, no colons: the spelling does not matter)', async () => {
      const pin = fingerprintOf(certs.wrongHost.cert).replace(/:/g, '').toLowerCase();
      const { server, client } = await openSession([...ehloAfterGreeting()], { security: 'tls', tls: { fingerprint: pin } }, { implicitTls: certs.wrongHost });
      await client.connect();
      await client.quit();
      assertScriptHeld(server);
    });

    it('a certificate that does not verify is refused, but its fingerprint is reported first (so the user can pin it)', async () => {
      const { server, client, events } = await openSession([...ehloAfterGreeting()], { security: 'tls' }, { implicitTls: certs.selfSigned });
      const error = assertSmtpError(await rejection(client.connect()), SmtpTlsError, 'tls');
      assert.equal(error.tlsCode, 'DEPTH_ZERO_SELF_SIGNED_CERT');
      const details = tlsDetails(events);
      assert.equal(details?.authorized, false);
      assert.equal(details.fingerprint256, fingerprintOf(certs.selfSigned.cert));
      await server.clientGone();
      assert.equal(server.text, '', 'nothing was written inside the unverified session');
    });

    it('a pin accepts that certificate only: a valid, CA-signed certificate with another fingerprint → FINGERPRINT_MISMATCH, nothing written', async () => {
      const pin = fingerprintOf(certs.selfSigned.cert);
      const actual = fingerprintOf(certs.localhost.cert);
      const { server, client } = await openSession([...ehloAfterGreeting()], { security: 'tls', tls: { ca: certs.ca, fingerprint: pin } }, { implicitTls: certs.localhost });
      const error = assertSmtpError(await rejection(client.connect()), SmtpTlsError, 'tls');
      assert.equal(error.tlsCode, 'FINGERPRINT_MISMATCH');
      assert.ok(error.message.includes(pin) && error.message.includes(actual), error.message);
      await server.clientGone();
      assert.equal(server.text, '', 'nothing was written inside an unverified TLS session');
    });

    it('a pin checked after STARTTLS: another certificate → FINGERPRINT_MISMATCH, nothing written inside TLS', async () => {
      const { server, client } = await openSession(
        [greet, ...ehlo(['STARTTLS']), expect('STARTTLS'), send('220 go ahead\r\n'), startTls(certs.localhost), expect('EHLO ')],
        { security: 'starttls', tls: { ca: certs.ca, fingerprint: fingerprintOf(certs.selfSigned.cert) } },
      );
      const error = assertSmtpError(await rejection(client.connect()), SmtpTlsError, 'tls');
      assert.equal(error.tlsCode, 'FINGERPRINT_MISMATCH');
      await server.clientGone();
      assert.equal(server.plainText, 'EHLO client.test\r\nSTARTTLS\r\n');
      assert.equal(server.secureText, '');
    });

    it('allowSelfSigned no longer accepts a certificate issued for another host → ERR_TLS_CERT_ALTNAME_INVALID, nothing written', async () => {
      const { server, client } = await openSession([...ehloAfterGreeting()], { security: 'tls', tls: { allowSelfSigned: true } }, { implicitTls: certs.wrongHost });
      const error = assertSmtpError(await rejection(client.connect()), SmtpTlsError, 'tls');
      assert.equal(error.tlsCode, 'ERR_TLS_CERT_ALTNAME_INVALID');
      assert.ok(!/[\r\n]/.test(error.message));
      await server.clientGone();
      assert.equal(server.text, '');
    });

    it('a fingerprint that is not a SHA-256 → SmtpArgumentError before connecting', async () => {
      const { server, client } = await openSession([greet], { security: 'tls', tls: { fingerprint: 'AB:CD' } });
      assertSmtpError(await rejection(client.connect()), SmtpArgumentError, 'connect');
      assert.equal(server.connections, 0);
    });
  });
});

/** Greeting and EHLO of an implicit-TLS session (QUIT is answered after the script). */
function ehloAfterGreeting(): Step[] {
  return [greet, ...ehlo(['AUTH PLAIN'])];
}

/** TLS record content types in `bytes` (20 change_cipher_spec, 21 alert, 22 handshake, 23 application data). */
function recordTypes(bytes: Buffer): number[] {
  const types: number[] = [];
  for (let offset = 0; offset + 5 <= bytes.length; offset += 5 + bytes.readUInt16BE(offset + 3)) types.push(bytes[offset] ?? -1);
  return types;
}

/** A TCP proxy to `port` on 127.0.0.1 that records the raw bytes the client sends. */
async function recordingProxy(port: number): Promise<{ port: number; fromClient: () => Buffer; closed: Promise<void>; stop: () => void }> {
  const chunks: Buffer[] = [];
  let markClosed: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => {
    markClosed = resolve;
  });
  const sockets = new Set<net.Socket>();
  const listener = net.createServer((inbound) => {
    const outbound = net.connect(port, '127.0.0.1');
    for (const socket of [inbound, outbound]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
    }
    inbound.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      outbound.write(chunk);
    });
    outbound.on('data', (chunk: Buffer) => inbound.write(chunk));
    inbound.on('end', () => outbound.end());
    outbound.on('end', () => inbound.end());
    inbound.on('close', () => {
      outbound.destroy();
      markClosed();
    });
    outbound.on('close', () => inbound.destroy());
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const address = listener.address();
  assert.ok(address !== null && typeof address === 'object');
  return {
    port: address.port,
    fromClient: () => Buffer.concat(chunks),
    closed,
    stop: () => {
      for (const socket of sockets) socket.destroy();
      listener.close();
    },
  };
}
