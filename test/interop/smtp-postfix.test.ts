/**
 * SmtpClient against a private Postfix 3.7 + Dovecot 2.3 instance on loopback: submission with
 * STARTTLS (RFC 3207, port-587 style) and implicit TLS (RFC 8314, port-465 style), SASL through
 * Dovecot, PIPELINING (RFC 2920), delivery into Maildirs read back byte for byte, and IMAP.
 *
 * What Postfix changes on delivery is undone by the harness and nothing else: it prepends
 * Return-Path, X-Original-To, Delivered-To and Received, and stores LF line endings.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { SmtpRecipientsError } from '../../src/core/smtp/index';
import type { SmtpClient, SmtpClientOptions, SmtpEvent } from '../../src/core/smtp/index';
import { DOT_LINES, assertAuthRefused, realServerHarness, stageTimeouts, startPostfix, testMessage } from '../support/servers/index';
import type { PostfixUser } from '../support/servers/index';

/** A complete CRLF message whose Subject carries `token`, so the test can find it in a Maildir. */
function message(token: string, body = 'Hello from the Postfix interop suite.\r\n', to = 'Bob <bob@example.test>'): Buffer {
  return testMessage({ from: 'Alice <alice@example.test>', to, subject: token, domain: 'example.test', body, transferEncoding: '8bit' });
}

function token(label: string): string {
  return `${label} ${randomUUID()}`;
}

describe('SmtpClient ↔ Postfix + Dovecot (real MTA, Maildir, IMAP)', function () {
  this.timeout(60_000);
  const harness = realServerHarness('Postfix', () => startPostfix());
  const { recorder, running } = harness;

  function newClient(port: 'submission' | 'smtps' | 'smtp', extra: Partial<SmtpClientOptions> = {}): SmtpClient {
    const m = running();
    return harness.newClient({
      port: port === 'submission' ? m.submissionPort : port === 'smtps' ? m.smtpsPort : m.smtpPort,
      security: port === 'submission' ? 'starttls' : port === 'smtps' ? 'tls' : 'none',
      ca: m.certificate.certPem,
      timeouts: stageTimeouts(15_000),
      extra,
    });
  }

  async function loggedIn(port: 'submission' | 'smtps', user: PostfixUser): Promise<SmtpClient> {
    const client = newClient(port);
    await client.connect();
    await client.authenticate({ username: user.address, password: user.password });
    return client;
  }

  it('submission offers STARTTLS, then AUTH and the extensions the client uses', async () => {
    const client = newClient('submission');
    const mark = recorder.mark();
    const info = await client.connect();
    assert.equal(info.secure, true);
    const tlsEvent = recorder.since(mark).find((e) => e.type === 'tls');
    assert.ok(tlsEvent?.type === 'tls' && tlsEvent.details.authorized, 'the certificate should verify against the given CA');
    for (const keyword of ['PIPELINING', 'SIZE', '8BITMIME', 'SMTPUTF8', 'DSN', 'ENHANCEDSTATUSCODES']) {
      assert.ok(info.extensions.has(keyword), `${keyword} missing from ${[...info.extensions.keys()].join(' ')}`);
    }
    assert.deepEqual((info.extensions.get('AUTH') ?? '').split(/\s+/).sort(), ['LOGIN', 'PLAIN']);
    assert.equal(info.extensions.get('SIZE'), String(50 * 1024 * 1024));
    await client.quit();
  });

  it('submission + STARTTLS + the right password: the delivered message matches byte for byte', async () => {
    const m = running();
    const alice = m.user('alice');
    const client = await loggedIn('submission', alice);
    const t = token('submission starttls');
    const sent = message(t);
    const result = await client.send({ from: alice.address, to: ['bob@example.test'], size: sent.length }, sent);
    assert.equal(result.reply.code, 250);
    assert.equal(result.reply.enhancedCode, '2.0.0');
    assert.match(result.reply.lines.join(' '), /queued as [0-9A-F]+/);
    await client.quit();

    const delivered = await m.waitForMessage('bob', t);
    assert.ok(delivered.equals(sent), `delivered ${JSON.stringify(delivered.toString('utf8'))}`);
    // What is on disk really is Postfix's: its trace headers on top, LF endings.
    const raw = (await m.readDelivered('bob', { raw: true })).find((r) => r.includes(t));
    assert.ok(raw);
    const head = raw.toString('utf8');
    assert.ok(head.startsWith('Return-Path: <alice@example.test>\nX-Original-To: bob@example.test\nDelivered-To: bob@example.test\nReceived: '), head.slice(0, 200));
    assert.match(head, /with ESMTPSA id/, 'Received should record an authenticated TLS submission');
    assert.equal(raw.includes('\r\n'), false, 'Maildir files have LF endings');
  });

  it('submission + STARTTLS + a wrong password: SmtpAuthError with 535 5.7.8', async () => {
    const m = running();
    const client = newClient('submission');
    await client.connect();
    const error = await recorder.capture(() => client.authenticate({ username: m.user('alice').address, password: `${m.user('alice').password}-wrong` }));
    assertAuthRefused(error, { enhancedCode: '5.7.8' });
    await client.quit();
  });

  it('smtps (implicit TLS) + the right non-ASCII password (UTF-8, RFC 4616): delivered byte for byte', async () => {
    const m = running();
    const dave = m.user('dave');
    assert.ok([...dave.password].some((c) => c.charCodeAt(0) > 0x7f), 'dave has the non-ASCII password');
    for (const mechanism of ['PLAIN', 'LOGIN'] as const) {
      const client = newClient('smtps');
      const info = await client.connect();
      assert.equal(info.secure, true);
      assert.equal(await client.authenticate({ username: dave.address, password: dave.password, mechanism }), mechanism);
      const t = token(`smtps ${mechanism}`);
      const sent = message(t, `Sent over implicit TLS with AUTH ${mechanism}.\r\n`, 'Erin <erin@strict.test>');
      await client.send({ from: dave.address, to: ['erin@strict.test'] }, sent);
      await client.quit();
      const delivered = await m.waitForMessage('erin@strict.test', t);
      assert.ok(delivered.equals(sent), `delivered ${JSON.stringify(delivered.toString('utf8'))}`);
    }
  });

  it('smtps (implicit TLS) + a wrong password: SmtpAuthError', async () => {
    const m = running();
    const client = newClient('smtps');
    await client.connect();
    const error = await recorder.capture(() => client.authenticate({ username: m.user('dave').address, password: 'Pässwörd-wrong' }));
    assertAuthRefused(error);
    await client.quit();
  });

  it('pipelines MAIL, RCPT and DATA for one recipient, and lines starting with "." arrive byte-exact', async () => {
    const m = running();
    const alice = m.user('alice');
    const client = await loggedIn('submission', alice);
    const t = token('dots');
    const sent = message(t, DOT_LINES.body);
    const mark = recorder.mark();
    const result = await client.send({ from: alice.address, to: ['bob@example.test'] }, sent);
    await client.quit();
    // RFC 2920: with one recipient MAIL, RCPT and DATA are written before the first reply is
    // read (with several, DATA waits for the RCPT replies: src/core/smtp/client.ts).
    const kinds = recorder.since(mark).filter((e) => e.type === 'send' || e.type === 'receive').slice(0, 4).map((e: SmtpEvent) => e.type);
    assert.deepEqual(kinds, ['send', 'send', 'send', 'receive']);
    assert.equal(result.bytesSent, sent.length + DOT_LINES.stuffed + 3, 'each dot line gains one dot, then ".\\r\\n"');
    const delivered = await m.waitForMessage('bob', t);
    assert.ok(delivered.equals(sent), `delivered ${JSON.stringify(delivered.toString('utf8'))}`);
  });

  it('streams a 4 MiB message (base64 lines) through STARTTLS and it arrives byte for byte', async () => {
    const m = running();
    const alice = m.user('alice');
    const client = await loggedIn('submission', alice);
    const t = token('large');
    const base64 = randomBytes(3 * 1024 * 1024).toString('base64');
    const lines = base64.match(/.{1,76}/g) ?? [];
    const sent = message(t, `${lines.join('\r\n')}\r\n`);
    const result = await client.send({ from: alice.address, to: ['audit@example.test'], size: sent.length }, sent);
    assert.equal(result.bytesSent, sent.length + 3);
    await client.quit();
    const delivered = await m.waitForMessage('audit', t, 20_000);
    assert.equal(delivered.length, sent.length);
    assert.ok(delivered.equals(sent), 'the large message differs after delivery');
  });

  it('several recipients (To, Cc, Bcc and an unknown user caught by the catch-all) each get the same bytes', async () => {
    const m = running();
    const alice = m.user('alice');
    const client = await loggedIn('submission', alice);
    const t = token('several');
    const sent = message(t, 'To everyone.\r\n', 'Bob <bob@example.test>, carol@example.test');
    const to = ['bob@example.test', 'carol@example.test', 'audit@example.test', 'nobody-in-particular@example.test'];
    const result = await client.send({ from: alice.address, to }, sent);
    assert.deepEqual(result.accepted, to);
    await client.quit();
    for (const [mailbox, recipient] of [['bob', to[0]], ['carol', to[1]], ['audit', to[2]], [m.catchAll, to[3]]] as const) {
      const delivered = await m.waitForMessage(mailbox, t);
      assert.ok(delivered.equals(sent), `${mailbox} got different bytes`);
      const raw = (await m.readDelivered(mailbox, { raw: true })).find((r) => r.includes(t));
      assert.match(raw?.toString('utf8') ?? '', new RegExp(`^X-Original-To: ${recipient}$`, 'm'));
    }
  });

  it('refused recipients: SmtpRecipientsError lists each with its reply, and nothing reaches the accepted one', async () => {
    const m = running();
    const alice = m.user('alice');
    const client = await loggedIn('submission', alice);
    const refusedToken = token('must not arrive');
    const to = ['bob@example.test', 'zed@strict.test', 'someone@elsewhere.test'];
    const error = await recorder.capture(() => client.send({ from: alice.address, to }, message(refusedToken)));
    assert.ok(error instanceof SmtpRecipientsError, `expected SmtpRecipientsError, got ${String(error)}`);
    assert.equal(error.kind, 'recipients');
    assert.equal(error.stage, 'rcpt');
    assert.deepEqual(error.accepted, ['bob@example.test']);
    assert.deepEqual(
      error.refused.map((r) => [r.address, r.reply.code, r.reply.enhancedCode]),
      [
        ['zed@strict.test', 550, '5.1.1'], // unknown user of a domain without catch-all
        ['someone@elsewhere.test', 554, '5.7.1'], // a domain this server does not serve: no relaying
      ],
    );
    assert.equal(error.transient, false);
    assert.equal(recorder.sentLines().some((line) => line.includes(refusedToken)), false);
    client.close();

    // A later message on a new connection arrives; the refused one never does.
    const laterToken = token('after the refusal');
    const later = await loggedIn('submission', alice);
    await later.send({ from: alice.address, to: ['bob@example.test'] }, message(laterToken));
    await later.quit();
    await m.waitForMessage('bob', laterToken);
    const bobs = await m.readDelivered('bob');
    assert.equal(bobs.some((b) => b.includes(refusedToken)), false, 'no (empty or partial) message may be delivered for a refused transaction');
  });

  it('after every recipient is refused, the same connection sends the next message', async () => {
    const m = running();
    const alice = m.user('alice');
    const client = await loggedIn('submission', alice);
    const error = await recorder.capture(() => client.send({ from: alice.address, to: ['zed@strict.test'] }, message(token('nobody'))));
    assert.ok(error instanceof SmtpRecipientsError);
    assert.deepEqual(error.accepted, []);
    const t = token('same connection');
    const sent = message(t, 'After a refusal.\r\n', 'erin@strict.test');
    await client.send({ from: alice.address, to: ['erin@strict.test'] }, sent);
    await client.quit();
    assert.ok((await m.waitForMessage('erin@strict.test', t)).equals(sent));
  });

  it('without AUTH, submission refuses the recipients (554 5.7.1)', async () => {
    const client = newClient('submission');
    await client.connect();
    const error = await recorder.capture(() => client.send({ from: 'alice@example.test', to: ['bob@example.test'] }, message(token('unauthenticated'))));
    assert.ok(error instanceof SmtpRecipientsError, `expected SmtpRecipientsError, got ${String(error)}`);
    assert.equal(error.refused[0]?.reply.code, 554);
    assert.equal(error.refused[0]?.reply.enhancedCode, '5.7.1');
    await client.quit();
  });

  it('SMTPUTF8 (RFC 6531): a UTF-8 address reaches the catch-all with the exact bytes', async () => {
    const m = running();
    const alice = m.user('alice');
    const client = await loggedIn('smtps', alice);
    assert.ok(client.info?.extensions.has('SMTPUTF8'));
    const t = token('smtputf8 周报');
    const recipient = 'jörg.müller@example.test';
    const sent = message(t, 'Grüße, 你好.\r\n', `Jörg Müller <${recipient}>`);
    await client.send({ from: alice.address, to: [recipient], smtpUtf8: true, eightBit: true }, sent);
    await client.quit();
    const delivered = await m.waitForMessage(m.catchAll, t);
    assert.ok(delivered.equals(sent), `delivered ${JSON.stringify(delivered.toString('utf8'))}`);
    const raw = (await m.readDelivered(m.catchAll, { raw: true })).find((r) => r.includes(t));
    assert.match(raw?.toString('utf8') ?? '', new RegExp(`^X-Original-To: ${recipient}$`, 'm'));
  });

  it('plain SMTP port without TLS or AUTH (MTA style) delivers to a served domain', async () => {
    const m = running();
    const client = newClient('smtp');
    const info = await client.connect();
    assert.equal(info.secure, false);
    assert.equal(info.extensions.has('AUTH'), false);
    const t = token('plain port');
    const sent = message(t);
    await client.send({ from: 'sender@elsewhere.test', to: ['bob@example.test'] }, sent);
    await client.quit();
    assert.ok((await m.waitForMessage('bob', t)).equals(sent));
  });

  it('Dovecot serves the delivered message over IMAP, identical to what was sent', async () => {
    const m = running();
    const alice = m.user('alice');
    const client = await loggedIn('smtps', alice);
    const t = token('imap');
    const sent = message(t, 'Read me back over IMAP.\r\n..and a dot line\r\n', 'carol@example.test');
    await client.send({ from: alice.address, to: ['carol@example.test'] }, sent);
    await client.quit();
    await m.waitForMessage('carol', t);
    const carol = m.user('carol');
    const overImap = await m.readViaImap('carol', carol.password);
    const found = overImap.filter((b) => b.includes(t));
    assert.equal(found.length, 1);
    assert.ok(found[0]?.equals(sent), `IMAP served ${JSON.stringify(found[0]?.toString('utf8'))}`);
    const raw = (await m.readViaImap('carol', carol.password, { raw: true })).find((b) => b.includes(t));
    assert.match(raw?.toString('utf8') ?? '', /^Return-Path: <alice@example\.test>\r\n/);
  });

  it('no password appears in any event or error of this file', async () => {
    const m = running();
    // One more right and wrong login on each port, so this check stands on its own under --grep.
    const credentials = (user: PostfixUser, suffix = ''): { username: string; password: string } => ({ username: user.address, password: `${user.password}${suffix}` });
    for (const port of ['submission', 'smtps'] as const) {
      await harness.loginWrongThenRight(newClient(port, { trace: 'verbose' }), credentials(m.user('alice'), 'x'), credentials(m.user('dave')));
    }
    harness.assertNoCredentialLeaks(m.users.flatMap((u) => [credentials(u), credentials(u, 'x'), credentials(u, '-wrong')]));
  });
});
