/**
 * SmtpClient against aiosmtpd 1.4 (Python, Debian's python3-aiosmtpd), a server written
 * independently of Node's SMTP libraries. aiosmtpd does not offer PIPELINING (RFC 2920), so
 * every test here runs the client's sequential path. What aiosmtpd stores
 * (`envelope.original_content`) is exactly the DATA bytes after dot-unstuffing, so a message
 * that goes in as CRLF text must come out byte for byte the same.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { SmtpClient, SmtpClientOptions, SmtpEvent } from '../../src/core/smtp/index';
import { DOT_LINES, assertAuthRefused, realServerHarness, stageTimeouts, startAiosmtpd, testMessage } from '../support/servers/index';
import type { CapturedMessage } from '../support/servers/index';

const USERNAME = 'sender@example.test';
// Random per run and distinctive, so the leak check at the end cannot match by chance.
const PASSWORD = `aio-${randomBytes(12).toString('base64url')}-Pw!`;

/** A complete CRLF message with a unique subject. */
function message(subject: string, body = 'Hello from the interop suite.\r\n'): Buffer {
  return testMessage({ from: 'Sender <sender@example.test>', to: 'Bob <bob@example.test>', subject, domain: 'example.test', body, transferEncoding: '8bit' });
}

describe('SmtpClient ↔ aiosmtpd (real Python server, no PIPELINING)', function () {
  this.timeout(60_000);
  const harness = realServerHarness('aiosmtpd', () => startAiosmtpd({ tls: true, auth: { username: USERNAME, password: PASSWORD } }));
  const { recorder, running } = harness;

  function newClient(security: 'starttls' | 'tls' | 'none', extra: Partial<SmtpClientOptions> = {}): SmtpClient {
    const s = running();
    const port = security === 'tls' ? s.tlsPort : s.port;
    assert.ok(port !== undefined && s.certificate !== undefined);
    return harness.newClient({ port, security, ca: s.certificate.certPem, timeouts: stageTimeouts(10_000), extra });
  }

  /** The messages stored after `before` of them were already there. */
  async function newMessages(before: number, expected: number): Promise<CapturedMessage[]> {
    const all = await running().waitForMessages(before + expected, 5000);
    assert.equal(all.length, before + expected, 'aiosmtpd stored a different number of messages');
    return all.slice(before);
  }

  it('offers no PIPELINING, and the client waits for each reply before the next command', async () => {
    const client = newClient('starttls');
    const info = await client.connect();
    assert.equal(info.secure, true);
    assert.equal(info.extensions.has('PIPELINING'), false, 'aiosmtpd should not offer PIPELINING');
    assert.equal(info.extensions.has('SMTPUTF8'), true);
    assert.equal(info.extensions.has('STARTTLS'), false, 'STARTTLS is not offered again after TLS (RFC 3207 4.2)');
    assert.match(info.extensions.get('AUTH') ?? '', /\bPLAIN\b/);
    await client.authenticate({ username: USERNAME, password: PASSWORD });

    const before = (await running().messages()).length;
    const mark = recorder.mark();
    const sent = message(`sequential ${randomUUID()}`);
    const result = await client.send({ from: USERNAME, to: ['bob@example.test', 'carol@example.test', 'dave@example.test'] }, sent);
    assert.deepEqual(result.accepted, ['bob@example.test', 'carol@example.test', 'dave@example.test']);

    // From MAIL to DATA: send, receive, send, receive... never two commands in flight.
    const conversation = recorder.since(mark).filter((e): e is Extract<SmtpEvent, { type: 'send' | 'receive' }> => e.type === 'send' || e.type === 'receive');
    const mailAt = conversation.findIndex((e) => e.type === 'send' && e.line.startsWith('MAIL FROM:'));
    const dataAt = conversation.findIndex((e) => e.type === 'send' && e.line === 'DATA');
    assert.ok(mailAt >= 0 && dataAt > mailAt, 'MAIL and DATA should both be reported');
    const kinds = conversation.slice(mailAt, dataAt + 2).map((e) => e.type);
    assert.deepEqual(kinds, ['send', 'receive', 'send', 'receive', 'send', 'receive', 'send', 'receive', 'send', 'receive']);

    const [stored] = await newMessages(before, 1);
    assert.ok(stored);
    assert.deepEqual(stored.rcptTos, ['bob@example.test', 'carol@example.test', 'dave@example.test']);
    assert.ok(stored.content.equals(sent), 'stored bytes differ from the bytes sent');
    await client.quit();
  });

  it('STARTTLS + AUTH PLAIN with the right password delivers the exact bytes', async () => {
    const client = newClient('starttls');
    const mark = recorder.mark();
    await client.connect();
    const tlsEvent = recorder.since(mark).find((e) => e.type === 'tls');
    assert.ok(tlsEvent?.type === 'tls' && tlsEvent.details.authorized, 'the certificate should verify against the given CA');
    assert.equal(await client.authenticate({ username: USERNAME, password: PASSWORD, mechanism: 'PLAIN' }), 'PLAIN');

    const before = (await running().messages()).length;
    const sent = message(`starttls plain ${randomUUID()}`);
    const result = await client.send({ from: USERNAME, to: ['bob@example.test'], size: sent.length }, sent);
    assert.equal(result.reply.code, 250);
    await client.quit();

    const [stored] = await newMessages(before, 1);
    assert.ok(stored);
    assert.equal(stored.mailFrom, USERNAME);
    assert.deepEqual(stored.rcptTos, ['bob@example.test']);
    assert.deepEqual(stored.mailOptions, [`SIZE=${sent.length}`]);
    assert.match(stored.tlsVersion ?? 'none', /^TLSv1\.[23]$/);
    assert.equal(stored.authenticatedAs, USERNAME);
    assert.equal(stored.authMechanism, 'PLAIN');
    assert.equal(stored.heloName, 'client.example.test');
    assert.ok(stored.content.equals(sent), 'stored bytes differ from the bytes sent');
    // bytesSent counts what went on the wire after DATA: the message plus ".\r\n" here (no dot lines).
    assert.equal(result.bytesSent, sent.length + 3);
  });

  it('STARTTLS + AUTH LOGIN (forced) with the right password works too', async () => {
    const client = newClient('starttls');
    await client.connect();
    assert.equal(await client.authenticate({ username: USERNAME, password: PASSWORD, mechanism: 'LOGIN' }), 'LOGIN');
    const before = (await running().messages()).length;
    const sent = message(`starttls login ${randomUUID()}`);
    await client.send({ from: USERNAME, to: ['carol@example.test'] }, sent);
    await client.quit();
    const [stored] = await newMessages(before, 1);
    assert.equal(stored?.authMechanism, 'LOGIN');
    assert.ok(stored?.content.equals(sent));
  });

  for (const mechanism of ['PLAIN', 'LOGIN'] as const) {
    it(`a wrong password over AUTH ${mechanism} is SmtpAuthError (kind auth, 535) and nothing is delivered`, async () => {
      const client = newClient('starttls');
      await client.connect();
      const before = (await running().messages()).length;
      const error = await recorder.capture(() => client.authenticate({ username: USERNAME, password: `${PASSWORD}-wrong`, mechanism }));
      assertAuthRefused(error, { mechanism });
      await client.quit();
      assert.equal((await running().messages()).length, before);
    });
  }

  it('implicit TLS (port-465 style) with AUTH delivers the exact bytes', async () => {
    const client = newClient('tls');
    const info = await client.connect();
    assert.equal(info.secure, true);
    await client.authenticate({ username: USERNAME, password: PASSWORD });
    const before = (await running().messages()).length;
    const sent = message(`implicit tls ${randomUUID()}`);
    await client.send({ from: USERNAME, to: ['bob@example.test'] }, sent);
    await client.quit();
    const [stored] = await newMessages(before, 1);
    assert.ok(stored);
    assert.match(stored.tlsVersion ?? 'none', /^TLSv1\.[23]$/);
    assert.equal(stored.authenticatedAs, USERNAME);
    assert.ok(stored.content.equals(sent), 'stored bytes differ from the bytes sent');
  });

  it('implicit TLS with a wrong password is SmtpAuthError', async () => {
    const client = newClient('tls');
    await client.connect();
    const error = await recorder.capture(() => client.authenticate({ username: USERNAME, password: 'not-the-password' }));
    assertAuthRefused(error);
    await client.quit();
  });

  it('lines starting with "." arrive byte-exact (dot-stuffing, RFC 5321 4.5.2)', async () => {
    const client = newClient('starttls');
    await client.connect();
    await client.authenticate({ username: USERNAME, password: PASSWORD });
    const before = (await running().messages()).length;
    const sent = message(`dots ${randomUUID()}`, DOT_LINES.body);
    const mark = recorder.mark();
    const result = await client.send({ from: USERNAME, to: ['bob@example.test'] }, sent);
    await client.quit();
    const [stored] = await newMessages(before, 1);
    assert.ok(stored?.content.equals(sent), `stored ${JSON.stringify(stored?.content.toString('utf8'))}`);
    // Each line that starts with "." gains one: the wire carried that many more bytes (+ ".\r\n").
    assert.equal(result.bytesSent, sent.length + DOT_LINES.stuffed + 3);
    assert.ok(recorder.since(mark).some((e) => e.type === 'data'), 'a data event summarises the message');
  });

  it('SMTPUTF8 (RFC 6531): UTF-8 addresses and headers are delivered with the SMTPUTF8 parameter', async () => {
    const client = newClient('starttls');
    const info = await client.connect();
    assert.ok(info.extensions.has('SMTPUTF8'));
    await client.authenticate({ username: USERNAME, password: PASSWORD });
    const before = (await running().messages()).length;
    const from = 'jörg@bücher.example';
    const to = ['用户@例子.测试', 'zoë@example.test'];
    const sent = Buffer.from(
      `From: Jörg <${from}>\r\nTo: ${to.join(', ')}\r\nSubject: 周报 — ${randomUUID()}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nGrüße, 你好\r\n`,
      'utf8',
    );
    await client.send({ from, to, smtpUtf8: true, eightBit: true }, sent);
    await client.quit();
    const [stored] = await newMessages(before, 1);
    assert.ok(stored);
    assert.equal(stored.mailFrom, from);
    assert.deepEqual(stored.rcptTos, to);
    assert.equal(stored.smtpUtf8, true);
    assert.ok(stored.mailOptions.includes('SMTPUTF8'), `MAIL options were ${JSON.stringify(stored.mailOptions)}`);
    assert.ok(stored.mailOptions.includes('BODY=8BITMIME'), `MAIL options were ${JSON.stringify(stored.mailOptions)}`);
    assert.ok(stored.content.equals(sent), 'stored bytes differ from the bytes sent');
  });

  it('normalises LF-only input to CRLF and streams a Readable source', async () => {
    const client = newClient('starttls');
    await client.connect();
    await client.authenticate({ username: USERNAME, password: PASSWORD });
    const before = (await running().messages()).length;
    const crlf = message(`lf and stream ${randomUUID()}`, 'first\r\n.second\r\nthird\r\n');
    const lfOnly = crlf.toString('utf8').replace(/\r\n/g, '\n');
    await client.send({ from: USERNAME, to: ['bob@example.test'] }, lfOnly);
    // The same message again, as a stream split at awkward places (mid-CRLF, before a dot).
    const cut1 = crlf.indexOf('\r\n.second') + 1;
    const chunks = [crlf.subarray(0, 7), crlf.subarray(7, cut1), crlf.subarray(cut1, cut1 + 1), crlf.subarray(cut1 + 1)];
    await client.send({ from: USERNAME, to: ['bob@example.test'] }, Readable.from(chunks));
    await client.quit();
    const stored = await newMessages(before, 2);
    assert.ok(stored[0]?.content.equals(crlf), `LF input stored as ${JSON.stringify(stored[0]?.content.toString('utf8'))}`);
    assert.ok(stored[1]?.content.equals(crlf), `streamed input stored as ${JSON.stringify(stored[1]?.content.toString('utf8'))}`);
  });

  it('sends several messages over one connection', async () => {
    const client = newClient('starttls');
    await client.connect();
    await client.authenticate({ username: USERNAME, password: PASSWORD });
    const before = (await running().messages()).length;
    const sent = [1, 2, 3].map((n) => message(`one connection #${n} ${randomUUID()}`));
    for (const [i, m] of sent.entries()) await client.send({ from: USERNAME, to: [`r${i}@example.test`] }, m);
    await client.quit();
    const stored = await newMessages(before, 3);
    stored.forEach((s, i) => {
      assert.deepEqual(s.rcptTos, [`r${i}@example.test`]);
      assert.ok(s.content.equals(sent[i] as Buffer), `message ${i + 1} differs`);
    });
  });

  it('the password appears in no event or error of this file', async () => {
    // One more right and one more wrong login, so this check stands on its own under --grep.
    const as = (password: string): { username: string; password: string } => ({ username: USERNAME, password });
    await harness.loginWrongThenRight(newClient('starttls', { trace: 'verbose' }), as(`${PASSWORD}x`), as(PASSWORD));
    assert.ok(recorder.errors.length >= 2, 'the wrong-password errors should have been recorded');
    harness.assertNoCredentialLeaks([as(PASSWORD), as(`${PASSWORD}x`), as(`${PASSWORD}-wrong`)]);
  });
});
