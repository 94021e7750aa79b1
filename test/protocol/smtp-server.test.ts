/**
 * The SMTP client against npm `smtp-server` (Nodemailer's server library) in this process:
 * security modes, AUTH mechanisms, PIPELINING on the wire, SIZE/8BITMIME/SMTPUTF8 parameters,
 * byte-exact DATA, refusals, timeouts, cancellation, and that no credential ever leaks.
 */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { inspect } from 'node:util';
import type { SMTPServerOptions } from 'smtp-server';
import {
  SmtpAbortError,
  SmtpAuthError,
  SmtpClient,
  SmtpError,
  SmtpRecipientsError,
  SmtpReplyError,
  SmtpTimeoutError,
  SmtpTlsError,
  SmtpUnsupportedError,
} from '../../src/core/smtp';
import type { AuthMechanism, SmtpClientOptions, SmtpEvent, TlsDetails } from '../../src/core/smtp';
import { makeCertificate, startRecordingProxy, startSmtpServer } from '../support/smtp-server-peer';
import type { PeerServer, TestCertificate } from '../support/smtp-server-peer';

const USER = 'alice@example.org';
const PASSWORD = 'S3cret-Pässword-42';
const TOKEN = 'ya29.test-access-token-9f8e7d';

let certificate: TestCertificate;
const cleanups: (() => Promise<void> | void)[] = [];

/** Accepts USER/PASSWORD (or TOKEN for XOAUTH2) for every mechanism smtp-server knows. */
const authServer: SMTPServerOptions = {
  authMethods: ['PLAIN', 'LOGIN', 'CRAM-MD5', 'XOAUTH2'],
  allowInsecureAuth: true,
  authOptional: false,
  onAuth(auth, _session, callback) {
    const good =
      auth.username === USER &&
      (auth.method === 'XOAUTH2' ? auth.accessToken === TOKEN : auth.method === 'CRAM-MD5' ? auth.validatePassword(PASSWORD) : auth.password === PASSWORD);
    if (good) callback(null, { user: `${auth.method}:${auth.username ?? ''}` });
    else if (auth.method === 'XOAUTH2') callback(null, { data: { status: '401', schemes: 'bearer', scope: 'mail' } });
    else callback(new Error('Invalid username or password'));
  },
};

async function server(options: SMTPServerOptions, host?: string): Promise<PeerServer> {
  const peer = await startSmtpServer({ key: certificate.key, cert: certificate.cert, ...options }, host);
  cleanups.push(() => peer.close());
  return peer;
}

interface Session {
  readonly client: SmtpClient;
  readonly events: SmtpEvent[];
}

function client(port: number, options: Partial<SmtpClientOptions> = {}): Session {
  const events: SmtpEvent[] = [];
  const c = new SmtpClient({ host: '127.0.0.1', port, security: 'none', observer: (e) => events.push(e), ...options });
  cleanups.push(() => c.close());
  return { client: c, events };
}

function sent(events: readonly SmtpEvent[]): string[] {
  return events.flatMap((e) => (e.type === 'send' ? [e.line] : []));
}

async function rejection(promise: Promise<unknown>): Promise<SmtpError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof SmtpError, `not an SmtpError: ${inspect(error)}`);
    return error;
  }
  assert.fail('expected a rejection');
}

const MESSAGE = 'From: a@example.org\r\nTo: b@example.org\r\nSubject: hi\r\n\r\nHello.\r\n';

describe('SmtpClient against smtp-server', function () {
  this.timeout(15_000);

  before(() => {
    certificate = makeCertificate();
  });

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  describe('security modes', () => {
    it('none on loopback: EHLO with an address literal, send, QUIT', async () => {
      const peer = await server({});
      const { client: c, events } = client(peer.port);
      const info = await c.connect();
      assert.equal(info.secure, false);
      assert.equal(info.heloFallback, false);
      assert.ok(info.extensions.has('PIPELINING'));
      assert.equal(info.greeting.code, 220);
      const result = await c.send({ from: 'a@example.org', to: ['b@example.org'] }, MESSAGE);
      assert.equal(result.reply.code, 250);
      assert.deepEqual(result.accepted, ['b@example.org']);
      assert.equal(result.bytesSent, Buffer.byteLength(MESSAGE) + 3);
      await c.quit();
      assert.equal(peer.messages.length, 1);
      assert.equal(peer.messages[0]?.data.toString(), MESSAGE);
      assert.match(peer.messages[0]?.clientHostname ?? '', /^\[127\.0\.0\.1\]$|\./);
      assert.deepEqual(events.map((e) => e.type).filter((t, i, all) => all.indexOf(t) === i), ['connect', 'receive', 'send', 'data', 'close']);
      assert.deepEqual(sent(events).map((l) => l.toLowerCase()), ['EHLO ' + (peer.messages[0]?.clientHostname ?? ''), 'MAIL FROM:<a@example.org>', 'RCPT TO:<b@example.org>', 'DATA', 'QUIT'].map((l) => l.toLowerCase()));
    });

    it('none over IPv6 loopback uses an IPv6 address literal', async () => {
      const peer = await server({}, '::1');
      const { client: c } = client(peer.port, { host: '::1' });
      await c.connect();
      await c.send({ from: 'a@example.org', to: ['b@example.org'] }, MESSAGE);
      await c.quit();
      assert.match(peer.messages[0]?.clientHostname ?? '', /^\[IPv6:::1\]$|\./i);
    });

    it('starttls: upgrades with verification on (trusted CA), forgets the first EHLO and says EHLO again', async () => {
      const peer = await server({ ...authServer });
      const { client: c, events } = client(peer.port, { security: 'starttls', host: 'localhost', tls: { ca: certificate.cert } });
      const info = await c.connect();
      assert.equal(info.secure, true);
      assert.ok(!info.extensions.has('STARTTLS'), 'extensions come from the EHLO after TLS');
      const tls = events.find((e): e is { type: 'tls'; details: TlsDetails } => e.type === 'tls');
      assert.ok(tls);
      assert.equal(tls.details.authorized, true);
      assert.equal(tls.details.subject, 'localhost');
      assert.match(tls.details.protocol, /^TLSv1\.[23]$/);
      assert.ok(tls.details.validTo);
      const lines = sent(events);
      assert.equal(lines.filter((l) => l.startsWith('EHLO ')).length, 2);
      assert.equal(lines[1], 'STARTTLS');
      assert.equal(await c.authenticate({ username: USER, password: PASSWORD }), 'CRAM-MD5');
      await c.send({ from: 'a@example.org', to: ['b@example.org'] }, MESSAGE);
      await c.quit();
      assert.equal(peer.messages[0]?.data.toString(), MESSAGE);
      assert.equal(peer.messages[0]?.user, `CRAM-MD5:${USER}`);
    });

    it('starttls against a server that does not offer it fails, never downgrades', async () => {
      const peer = await server({ hideSTARTTLS: true });
      const { client: c, events } = client(peer.port, { security: 'starttls', tls: { ca: certificate.cert } });
      const error = await rejection(c.connect());
      assert.ok(error instanceof SmtpUnsupportedError);
      assert.equal(error.feature, 'STARTTLS');
      assert.equal(error.stage, 'starttls');
      assert.ok(!sent(events).some((l) => l.startsWith('MAIL') || l.startsWith('AUTH')));
      assert.ok(events.some((e) => e.type === 'error'));
    });

    it('implicit tls with the certificate checked against the IP address', async () => {
      const peer = await server({ secure: true });
      const { client: c, events } = client(peer.port, { security: 'tls', tls: { ca: certificate.cert } });
      const info = await c.connect();
      assert.equal(info.secure, true);
      const types = events.map((e) => e.type);
      assert.ok(types.indexOf('connect') < types.indexOf('tls') && types.indexOf('tls') < types.indexOf('receive'));
      await c.send({ from: 'a@example.org', to: ['b@example.org'] }, MESSAGE);
      await c.quit();
      assert.equal(peer.messages.length, 1);
    });

    it('implicit tls without trusting the certificate fails with a TLS error', async () => {
      const peer = await server({ secure: true });
      const { client: c } = client(peer.port, { security: 'tls', host: 'localhost' });
      const error = await rejection(c.connect());
      assert.ok(error instanceof SmtpTlsError);
      assert.equal(error.stage, 'tls');
      assert.equal(error.tlsCode, 'DEPTH_ZERO_SELF_SIGNED_CERT');
    });

    it('allowSelfSigned connects but reports authorized: false and why', async () => {
      const peer = await server({ secure: true });
      const { client: c, events } = client(peer.port, { security: 'tls', host: 'localhost', tls: { allowSelfSigned: true } });
      await c.connect();
      const tls = events.find((e): e is { type: 'tls'; details: TlsDetails } => e.type === 'tls');
      assert.equal(tls?.details.authorized, false);
      assert.equal(tls?.details.authorizationError, 'DEPTH_ZERO_SELF_SIGNED_CERT');
      await c.quit();
    });

    it('implicit tls to a plaintext port fails with a TLS error (wrong version number)', async () => {
      const peer = await server({});
      const { client: c } = client(peer.port, { security: 'tls', tls: { ca: certificate.cert } });
      const error = await rejection(c.connect());
      assert.ok(error instanceof SmtpTlsError, inspect(error));
      assert.equal(error.stage, 'tls');
      assert.match(`${error.tlsCode} ${error.message}`, /WRONG_VERSION_NUMBER|wrong version number/i);
    });

    it('falls back to HELO when EHLO is not recognised', async () => {
      const peer = await server({ disabledCommands: ['EHLO'] });
      const { client: c, events } = client(peer.port);
      const info = await c.connect();
      assert.equal(info.heloFallback, true);
      assert.equal(info.extensions.size, 0);
      assert.match(sent(events)[1] ?? '', /^HELO /);
      await c.send({ from: 'a@example.org', to: ['b@example.org'] }, MESSAGE);
      await c.quit();
      assert.equal(peer.messages.length, 1);
    });
  });

  describe('AUTH', () => {
    for (const mechanism of ['PLAIN', 'LOGIN', 'CRAM-MD5', 'XOAUTH2'] as const) {
      it(`${mechanism} forced: succeeds and is what the server saw`, async () => {
        const peer = await server({ ...authServer });
        const { client: c } = client(peer.port);
        await c.connect();
        const used = await c.authenticate({ username: USER, password: PASSWORD, accessToken: TOKEN, mechanism });
        assert.equal(used, mechanism);
        await c.send({ from: 'a@example.org', to: ['b@example.org'] }, MESSAGE);
        await c.quit();
        assert.equal(peer.messages[0]?.user, `${mechanism}:${USER}`);
      });
    }

    it('auto picks XOAUTH2 for a token and CRAM-MD5 > PLAIN > LOGIN for a password', async () => {
      const cases: [SMTPServerOptions['authMethods'], { password?: string; accessToken?: string }, AuthMechanism][] = [
        [['PLAIN', 'LOGIN', 'CRAM-MD5', 'XOAUTH2'], { accessToken: TOKEN, password: PASSWORD }, 'XOAUTH2'],
        [['PLAIN', 'LOGIN', 'CRAM-MD5'], { password: PASSWORD }, 'CRAM-MD5'],
        [['LOGIN', 'PLAIN'], { password: PASSWORD }, 'PLAIN'],
        [['LOGIN'], { password: PASSWORD }, 'LOGIN'],
      ];
      for (const [methods, secret, expected] of cases) {
        const peer = await server({ ...authServer, authMethods: methods });
        const { client: c } = client(peer.port);
        await c.connect();
        assert.equal(await c.authenticate({ username: USER, ...secret }), expected);
        await c.quit();
      }
    });

    it('a forced mechanism the server does not offer is refused before anything is sent', async () => {
      const peer = await server({ ...authServer, authMethods: ['PLAIN'] });
      const { client: c, events } = client(peer.port);
      await c.connect();
      const error = await rejection(c.authenticate({ username: USER, password: PASSWORD, mechanism: 'CRAM-MD5' }));
      assert.ok(error instanceof SmtpUnsupportedError);
      assert.ok(!sent(events).some((l) => l.startsWith('AUTH')));
      await c.quit();
    });

    it('a wrong password is an SmtpAuthError carrying the 535 reply; the connection stays usable', async () => {
      const peer = await server({ ...authServer });
      const { client: c } = client(peer.port);
      await c.connect();
      const error = await rejection(c.authenticate({ username: USER, password: 'wrong', mechanism: 'PLAIN' }));
      assert.ok(error instanceof SmtpAuthError);
      assert.equal(error.reply?.code, 535);
      assert.equal(error.mechanism, 'PLAIN');
      assert.equal(error.stage, 'auth');
      assert.match(error.message, /535/);
      assert.doesNotMatch(error.message, /stage/, 'the stage is a field; the formatter adds it');
      assert.equal(await c.authenticate({ username: USER, password: PASSWORD, mechanism: 'PLAIN' }), 'PLAIN');
      await c.quit();
    });

    it('the password, token and their encodings appear in no event, error or inspected object', async () => {
      const forms = (password: string, token: string): string[] => [
        password,
        token,
        Buffer.from(password).toString('base64'),
        Buffer.from(`\u0000${USER}\u0000${password}`).toString('base64'),
        Buffer.from(`user=${USER}\u0001auth=Bearer ${token}\u0001\u0001`).toString('base64'),
        Buffer.from(token).toString('base64'),
      ];
      const forbidden = [...forms(PASSWORD, TOKEN), ...forms(`${PASSWORD}x`, `${TOKEN}x`)];
      const log: string[] = [];
      for (const mechanism of ['PLAIN', 'LOGIN', 'CRAM-MD5', 'XOAUTH2'] as const) {
        for (const good of [true, false]) {
          const peer = await server({ ...authServer });
          const { client: c, events } = client(peer.port, { trace: 'verbose' });
          await c.connect();
          const credentials = good
            ? { username: USER, password: PASSWORD, accessToken: TOKEN, mechanism }
            : { username: USER, password: `${PASSWORD}x`, accessToken: `${TOKEN}x`, mechanism };
          try {
            await c.authenticate(credentials);
            assert.ok(good, `${mechanism} accepted a wrong secret`);
          } catch (error) {
            assert.ok(!good, `${mechanism}: ${String(error)}`);
            assert.ok(error instanceof SmtpAuthError);
            log.push(inspect(error, { depth: 10, showHidden: true }), String(error), JSON.stringify(error), error.stack ?? '');
            if (error.cause !== undefined) log.push(inspect(error.cause, { depth: 10 }));
          }
          await c.quit();
          for (const event of events) log.push(JSON.stringify(event), inspect(event, { depth: 10 }));
          assert.ok(sent(events).some((l) => l.includes('****')), `${mechanism} redacts`);
        }
      }
      const all = log.join('\n');
      for (const secret of forbidden) assert.ok(!all.includes(secret), `leaked ${secret.slice(0, 4)}…`);
      assert.ok(all.includes('AUTH PLAIN ****'));
    });
  });

  describe('transactions', () => {
    it('PIPELINING: MAIL and every RCPT arrive in one TCP read; DATA follows their replies', async () => {
      const peer = await server({});
      const proxy = await startRecordingProxy(peer.port);
      cleanups.push(() => proxy.close());
      const { client: c } = client(proxy.port);
      await c.connect();
      await c.send({ from: 'a@example.org', to: ['b@example.org', 'c@example.org', 'd@example.org'] }, MESSAGE);
      await c.quit();
      const expected = 'MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\nRCPT TO:<c@example.org>\r\nRCPT TO:<d@example.org>\r\n';
      assert.ok(proxy.clientChunks.some((chunk) => chunk.toString() === expected), inspect(proxy.clientChunks.map(String)));
      assert.ok(proxy.clientChunks.some((chunk) => chunk.toString() === 'DATA\r\n'), inspect(proxy.clientChunks.map(String)));
      assert.deepEqual(peer.messages[0]?.to, ['b@example.org', 'c@example.org', 'd@example.org']);
    });

    it('without PIPELINING each command waits for its reply', async () => {
      const peer = await server({ hidePIPELINING: true });
      const proxy = await startRecordingProxy(peer.port);
      cleanups.push(() => proxy.close());
      const { client: c } = client(proxy.port);
      const info = await c.connect();
      assert.ok(!info.extensions.has('PIPELINING'));
      await c.send({ from: 'a@example.org', to: ['b@example.org', 'c@example.org'] }, MESSAGE);
      await c.quit();
      const commands = proxy.clientChunks.map(String).filter((s) => /^(MAIL|RCPT|DATA)/.test(s));
      assert.deepEqual(commands, ['MAIL FROM:<a@example.org>\r\n', 'RCPT TO:<b@example.org>\r\n', 'RCPT TO:<c@example.org>\r\n', 'DATA\r\n']);
      assert.equal(peer.messages.length, 1);
    });

    it('SIZE: declares the size, and refuses a message over the limit before MAIL', async () => {
      const peer = await server({ size: 1000 });
      const { client: c, events } = client(peer.port);
      const info = await c.connect();
      assert.equal(info.extensions.get('SIZE'), '1000');
      const error = await rejection(c.send({ from: 'a@example.org', to: ['b@example.org'], size: 5000 }, 'x'.repeat(5000)));
      assert.ok(error instanceof SmtpUnsupportedError);
      assert.equal(error.feature, 'SIZE');
      assert.equal(error.stage, 'mail');
      assert.ok(!sent(events).some((l) => l.startsWith('MAIL')));
      await c.send({ from: 'a@example.org', to: ['b@example.org'], size: Buffer.byteLength(MESSAGE) }, MESSAGE);
      await c.quit();
      assert.equal(peer.messages[0]?.mailArgs.SIZE, String(Buffer.byteLength(MESSAGE)));
    });

    it('SMTPUTF8 and BODY=8BITMIME reach the server as MAIL FROM parameters', async () => {
      const peer = await server({});
      const { client: c } = client(peer.port);
      await c.connect();
      const body = 'Subject: 周报\r\n\r\nПривет, мир\r\n';
      await c.send({ from: '用户@例子.中国', to: ['b@example.org'], smtpUtf8: true, eightBit: true }, body);
      await c.quit();
      assert.equal(peer.messages[0]?.from, '用户@例子.中国');
      assert.equal(peer.messages[0]?.mailArgs.SMTPUTF8, true);
      assert.equal(peer.messages[0]?.mailArgs.BODY, '8BITMIME');
      assert.equal(peer.messages[0]?.data.toString('utf8'), body);
    });

    it('SMTPUTF8 or 8BITMIME needed but not offered fails before MAIL', async () => {
      const peer = await server({ hideSMTPUTF8: true, hide8BITMIME: true });
      const { client: c, events } = client(peer.port);
      await c.connect();
      const utf8 = await rejection(c.send({ from: 'a@example.org', to: ['b@example.org'], smtpUtf8: true }, MESSAGE));
      assert.ok(utf8 instanceof SmtpUnsupportedError && utf8.feature === 'SMTPUTF8');
      const eight = await rejection(c.send({ from: 'a@example.org', to: ['b@example.org'], eightBit: true }, MESSAGE));
      assert.ok(eight instanceof SmtpUnsupportedError && eight.feature === '8BITMIME');
      assert.ok(!sent(events).some((l) => l.startsWith('MAIL')));
      await c.quit();
    });

    it('DSN parameters go out only when offered', async () => {
      const dsn = { notify: ['SUCCESS', 'FAILURE'] as const, ret: 'HDRS' as const, envelopeId: 'id-1' };
      const withDsn = await server({ hideDSN: false });
      const a = client(withDsn.port);
      await a.client.connect();
      await a.client.send({ from: 'a@example.org', to: ['b@example.org'], dsn }, MESSAGE);
      await a.client.quit();
      assert.equal(withDsn.messages[0]?.mailArgs.RET, 'HDRS');
      assert.equal(withDsn.messages[0]?.mailArgs.ENVID, 'id-1');
      assert.deepEqual(withDsn.messages[0]?.rcptArgs[0], { NOTIFY: 'SUCCESS,FAILURE' });
      const without = await server({ hideDSN: true });
      const b = client(without.port);
      await b.client.connect();
      await b.client.send({ from: 'a@example.org', to: ['b@example.org'], dsn }, MESSAGE);
      await b.client.quit();
      assert.ok(!sent(b.events).some((l) => /NOTIFY|RET=|ENVID/.test(l)));
      assert.equal(without.messages.length, 1);
    });

    it('lines starting with "." and bare line ends arrive byte-exact (dot-stuffing undone by the server)', async () => {
      const peer = await server({});
      const { client: c } = client(peer.port);
      await c.connect();
      const body = '.\r\n..\r\n.leading dot\r\nmid . dot\r\n.\r\n\r\n.end';
      const expected = body + '\r\n';
      const chunks = Array.from(Buffer.from(body), (byte) => Buffer.from([byte])); // one byte per chunk
      const result = await c.send({ from: 'a@example.org', to: ['b@example.org'] }, Readable.from(chunks));
      await c.quit();
      assert.equal(peer.messages[0]?.data.toString('latin1'), expected);
      assert.equal(result.bytesSent, Buffer.byteLength(expected) + 5 /* stuffed dots */ + 3);
    });

    it('streams a large message with backpressure and progress, byte-exact', async () => {
      const peer = await server({});
      const { client: c, events } = client(peer.port);
      await c.connect();
      const line = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghij\r\n';
      const total = 8 * 1024 * 1024;
      const body = Buffer.from(line.repeat(Math.ceil(total / line.length)));
      function* slices() {
        for (let i = 0; i < body.length; i += 100_000) yield body.subarray(i, i + 100_000);
      }
      const progress: number[] = [];
      const result = await c.send({ from: 'a@example.org', to: ['b@example.org'], size: body.length }, Readable.from(slices()), {
        onProgress: (sentBytes, expected) => {
          assert.equal(expected, body.length);
          progress.push(sentBytes);
        },
      });
      await c.quit();
      assert.ok(peer.messages[0]?.data.equals(body));
      assert.equal(result.bytesSent, body.length + 3);
      assert.ok(progress.length > 10);
      assert.deepEqual([...progress].sort((x, y) => x - y), progress);
      assert.equal(progress[progress.length - 1], result.bytesSent);
      const dataEvents = events.filter((e) => e.type === 'data');
      assert.deepEqual(dataEvents, [{ type: 'data', bytes: result.bytesSent }], 'one summary at trace "messages"');
    });

    it('several messages over one connection', async () => {
      const peer = await server({});
      const { client: c, events } = client(peer.port);
      await c.connect();
      for (let i = 0; i < 5; i++) await c.send({ from: 'a@example.org', to: [`r${i}@example.org`] }, `Subject: ${i}\r\n\r\nbody ${i}\r\n`);
      await c.quit();
      assert.deepEqual(peer.messages.map((m) => m.to[0]), ['r0@example.org', 'r1@example.org', 'r2@example.org', 'r3@example.org', 'r4@example.org']);
      assert.deepEqual(peer.messages.map((m) => m.data.toString()), [0, 1, 2, 3, 4].map((i) => `Subject: ${i}\r\n\r\nbody ${i}\r\n`));
      assert.equal(events.filter((e) => e.type === 'connect').length, 1);
    });

    const refusing: SMTPServerOptions = {
      hideENHANCEDSTATUSCODES: false,
      onRcptTo(address, _session, callback) {
        if (address.address.startsWith('bad')) {
          const error = Object.assign(new Error(`No such user ${address.address}`), { responseCode: 550 });
          callback(error);
        } else callback();
      },
    };

    for (const pipelining of [true, false]) {
      it(`refused recipients (${pipelining ? 'pipelined' : 'one by one'}) → SmtpRecipientsError listing each, no message data`, async () => {
        const peer = await server({ ...refusing, hidePIPELINING: !pipelining });
        const { client: c, events } = client(peer.port);
        await c.connect();
        const error = await rejection(c.send({ from: 'a@example.org', to: ['bad1@example.org', 'good@example.org', 'bad2@example.org'] }, MESSAGE));
        assert.ok(error instanceof SmtpRecipientsError);
        assert.deepEqual(error.refused.map((r) => [r.address, r.reply.code, r.reply.enhancedCode]), [
          ['bad1@example.org', 550, '5.1.1'],
          ['bad2@example.org', 550, '5.1.1'],
        ]);
        assert.deepEqual(error.accepted, ['good@example.org']);
        assert.equal(error.stage, 'rcpt');
        assert.match(error.message, /bad1@example\.org.*550.*bad2@example\.org/);
        assert.ok(!events.some((e) => e.type === 'data'), 'no message data written');
        await c.quit();
        assert.equal(peer.messages.length, 0);
        if (!pipelining) {
          assert.ok(sent(events).includes('RSET'));
          assert.ok(!sent(events).includes('DATA'));
        }
      });
    }

    it('after a refused transaction the connection carries on (RSET), one by one', async () => {
      const peer = await server({ ...refusing, hidePIPELINING: true });
      const { client: c } = client(peer.port);
      await c.connect();
      await rejection(c.send({ from: 'a@example.org', to: ['bad@example.org'] }, MESSAGE));
      await c.send({ from: 'a@example.org', to: ['good@example.org'] }, MESSAGE);
      await c.quit();
      assert.deepEqual(peer.messages.map((m) => m.to), [['good@example.org']]);
    });

    it('a refused sender is an SmtpReplyError at stage mail, then RSET, then the next send works', async () => {
      const peer = await server({
        onMailFrom(address, _session, callback) {
          if (address.address === 'blocked@example.org') callback(Object.assign(new Error('Sender blocked'), { responseCode: 553 }));
          else callback();
        },
      });
      const { client: c, events } = client(peer.port);
      await c.connect();
      const error = await rejection(c.send({ from: 'blocked@example.org', to: ['b@example.org'] }, MESSAGE));
      assert.ok(error instanceof SmtpReplyError);
      assert.equal(error.stage, 'mail');
      assert.equal(error.reply.code, 553);
      assert.equal(error.command, 'MAIL FROM:<blocked@example.org>');
      assert.match(error.message, /^MAIL FROM:<blocked@example\.org> .*553/);
      assert.doesNotMatch(error.message, /stage/);
      assert.ok(sent(events).includes('RSET'));
      await c.send({ from: 'a@example.org', to: ['b@example.org'] }, MESSAGE);
      await c.quit();
      assert.equal(peer.messages.length, 1);
    });

    for (const pipelining of [true, false]) {
      it(`421 at RCPT (${pipelining ? 'pipelined' : 'one by one'}) is a transient SmtpReplyError naming the stage; the client then closes`, async () => {
        const peer = await server({
          hidePIPELINING: !pipelining,
          onRcptTo(_address, _session, callback) {
            callback(Object.assign(new Error('Try again later'), { responseCode: 421 }));
          },
        });
        const { client: c, events } = client(peer.port);
        await c.connect();
        const error = await rejection(c.send({ from: 'a@example.org', to: ['b@example.org', 'c@example.org'] }, MESSAGE));
        assert.ok(error instanceof SmtpReplyError);
        assert.equal(error.reply.code, 421);
        assert.equal(error.transient, true);
        assert.equal(error.stage, 'rcpt');
        assert.match(error.message, /^RCPT TO:<b@example\.org> .*421/);
        assert.doesNotMatch(error.message, /stage/);
        const after = await rejection(c.send({ from: 'a@example.org', to: ['b@example.org'] }, MESSAGE));
        assert.equal(after.kind, 'connection');
        assert.ok(!sent(events).includes('RSET'));
        await c.quit();
      });
    }

    it('CR/LF in an address is refused before anything is written', async () => {
      const peer = await server({});
      const { client: c, events } = client(peer.port);
      await c.connect();
      const before = sent(events).length;
      const error = await rejection(c.send({ from: 'a@example.org', to: ['b@example.org>\r\nRCPT TO:<evil@example.org'] }, MESSAGE));
      assert.equal(error.kind, 'argument');
      assert.equal(sent(events).length, before);
      await c.quit();
      assert.equal(peer.messages.length, 0);
    });
  });

  describe('timeouts and cancellation', () => {
    it('twenty messages over one connection schedule a handful of wait timers, not one per reply batch (the other tests here check that they still expire)', async () => {
      const peer = await server({});
      const { client: c } = client(peer.port);
      const real = globalThis.setTimeout;
      let scheduled = 0;
      globalThis.setTimeout = ((...args: Parameters<typeof setTimeout>) => {
        scheduled++;
        return real(...args);
      }) as typeof setTimeout;
      try {
        await c.connect();
        for (let i = 0; i < 20; i++) await c.send({ from: 'a@example.org', to: ['b@example.org'] }, MESSAGE);
      } finally {
        globalThis.setTimeout = real;
      }
      await c.quit();
      assert.equal(peer.messages.length, 20);
      // Each message waits twice (MAIL/RCPT/DATA, then the final dot); a timer per wait would be 40 or more.
      assert.ok(scheduled <= 6, `${scheduled} timers scheduled`);
    });

    it('a server that never answers the final dot times out at stage message; the socket is closed', async () => {
      const peer = await server({
        onData(stream) {
          stream.resume(); // read, but never answer
        },
      });
      const { client: c, events } = client(peer.port, { timeouts: { dataEnd: 300 } });
      await c.connect();
      const started = Date.now();
      const error = await rejection(c.send({ from: 'a@example.org', to: ['b@example.org'] }, MESSAGE));
      assert.ok(error instanceof SmtpTimeoutError);
      assert.equal(error.stage, 'message');
      assert.equal(error.timeoutMs, 300);
      assert.ok(Date.now() - started < 3000);
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.ok(events.some((e) => e.type === 'close'));
    });

    it('aborting while the body streams gives SmtpAbortError and delivers nothing', async () => {
      const peer = await server({});
      const { client: c, events } = client(peer.port);
      await c.connect();
      const controller = new AbortController();
      async function* slow() {
        yield Buffer.from('Subject: slow\r\n\r\nfirst part\r\n');
        controller.abort();
        await new Promise(() => undefined); // never settles: only the abort can end this send
        yield Buffer.from('never sent\r\n');
      }
      const started = Date.now();
      const error = await rejection(c.send({ from: 'a@example.org', to: ['b@example.org'] }, slow(), { signal: controller.signal }));
      assert.ok(error instanceof SmtpAbortError);
      assert.equal(error.stage, 'message');
      assert.ok(Date.now() - started < 2000);
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(peer.messages.length, 0);
      assert.ok(events.some((e) => e.type === 'close'));
      const again = await rejection(c.send({ from: 'a@example.org', to: ['b@example.org'] }, MESSAGE));
      assert.ok(again instanceof SmtpAbortError, 'the connection stays closed');
    });

    it('the client-wide signal cancels connect', async () => {
      const peer = await server({});
      const controller = new AbortController();
      controller.abort();
      const { client: c } = client(peer.port, { signal: controller.signal });
      const error = await rejection(c.connect());
      assert.ok(error instanceof SmtpAbortError);
    });
  });
});
