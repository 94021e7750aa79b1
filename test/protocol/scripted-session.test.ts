/**
 * Exact-transcript tests of whole sessions against the scripted server: every byte the client
 * writes is compared, go-smtp style. Replies arrive whole, byte by byte, or several per packet.
 */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { SmtpUnsupportedError } from '../../src/core/smtp/errors';
import { close, expect, send, sendBytes, startTls } from '../support/scripted-server';
import type { Step } from '../support/scripted-server';
import { QUIT_STEPS, assertScriptHeld, assertSmtpError, certs, closeSessions, openSession, rejection, sentLines, transactionSteps } from '../support/scripted-session';

const GREETING = '220 mx.test ESMTP scripted\r\n';
const EHLO_REPLY = '250-mx.test greets client.test\r\n250-8BITMIME\r\n250-ENHANCEDSTATUSCODES\r\n250 HELP\r\n';
const ENVELOPE = { from: 'alice@example.com', to: ['bob@example.com'] } as const;

/** A non-pipelined transaction: one reply per command. */
function transaction(): Step[] {
  return transactionSteps({ dataReply: '354 End data with <CR><LF>.<CR><LF>\r\n', finalReply: '250 2.0.0 Ok: queued as 4F2A\r\n' });
}

describe('scripted server: whole sessions, exact transcripts', () => {
  afterEach(closeSessions);

  it('writes exactly the expected bytes for greeting, EHLO, MAIL, RCPT, DATA with dot-stuffing, final dot and QUIT', async () => {
    const { server, client, events } = await openSession([send(GREETING), expect('EHLO '), send(EHLO_REPLY), ...transaction(), ...QUIT_STEPS]);
    const body = 'Subject: dots\r\n\r\n.leading dot\r\nmiddle . dot\n..two dots\r\n.\r\nlast\r\n';

    const info = await client.connect();
    const result = await client.send(ENVELOPE, body);
    await client.quit();

    // RFC 5321 4.5.2: a line starting with "." gets one more; bare LF becomes CRLF (2.3.8).
    const wireBody = 'Subject: dots\r\n\r\n..leading dot\r\nmiddle . dot\r\n...two dots\r\n..\r\nlast\r\n.\r\n';
    assert.equal(
      server.text,
      'EHLO client.test\r\n' + 'MAIL FROM:<alice@example.com>\r\n' + 'RCPT TO:<bob@example.com>\r\n' + 'DATA\r\n' + wireBody + 'QUIT\r\n',
    );
    assertScriptHeld(server);
    await server.clientGone();

    assert.equal(info.name, 'mx.test');
    assert.deepEqual(info.greeting.lines, ['mx.test ESMTP scripted']);
    assert.equal(info.greeting.code, 220);
    assert.deepEqual([...info.extensions.keys()].sort(), ['8BITMIME', 'ENHANCEDSTATUSCODES', 'HELP']);
    assert.equal(info.secure, false);
    assert.equal(info.heloFallback, false);
    assert.deepEqual(result.accepted, ['bob@example.com']);
    assert.deepEqual(result.reply, { code: 250, enhancedCode: '2.0.0', lines: ['Ok: queued as 4F2A'] });
    assert.equal(result.bytesSent, Buffer.byteLength(wireBody));
    assert.deepEqual(sentLines(events), ['EHLO client.test', 'MAIL FROM:<alice@example.com>', 'RCPT TO:<bob@example.com>', 'DATA', 'QUIT']);
    assert.equal(events[0]?.type, 'connect');
    assert.ok(events.some((e) => e.type === 'close'), 'a close event was emitted');
  });

  it('adds the CRLF before the final dot when the message does not end with one', async () => {
    const { server, client } = await openSession([send(GREETING), expect('EHLO '), send(EHLO_REPLY), ...transaction(), ...QUIT_STEPS]);
    await client.connect();
    await client.send(ENVELOPE, new TextEncoder().encode('Subject: x\r\n\r\nno newline at the end'));
    await client.quit();
    assert.ok(server.text.endsWith('DATA\r\nSubject: x\r\n\r\nno newline at the end\r\n.\r\nQUIT\r\n'), JSON.stringify(server.text));
    assertScriptHeld(server);
    await server.clientGone();
  });

  it('stuffs a dot and joins a CRLF that a stream splits across chunks', async () => {
    const { server, client } = await openSession([send(GREETING), expect('EHLO '), send(EHLO_REPLY), ...transaction(), ...QUIT_STEPS]);
    await client.connect();
    const chunks = ['Subject: s\r', '\n\r\n', '.', 'dot\r\nx\r', '\n.', '\r\n'].map((s) => Buffer.from(s));
    await client.send(ENVELOPE, Readable.from(chunks));
    await client.quit();
    assert.ok(server.text.endsWith('DATA\r\nSubject: s\r\n\r\n..dot\r\nx\r\n..\r\n.\r\nQUIT\r\n'), JSON.stringify(server.text));
    assertScriptHeld(server);
    await server.clientGone();
  });

  it('parses every reply when each arrives one byte at a time, multi-line greeting and EHLO included', async () => {
    const bytewise = (text: string): Step => sendBytes(text, { split: 'bytewise' });
    const { server, client } = await openSession([
      bytewise('220-mx.test ESMTP\r\n220-second greeting line\r\n220 third\r\n'),
      expect('EHLO '),
      bytewise('250-mx.test\r\n250-SIZE 35882577\r\n250-AUTH PLAIN LOGIN\r\n250 ENHANCEDSTATUSCODES\r\n'),
      ...transactionSteps({ reply: bytewise, finalReply: '250-2.0.0 Ok\r\n250 2.0.0 queued as 77\r\n' }),
      expect('QUIT'),
      bytewise('221 2.0.0 Bye\r\n'),
      close(),
    ]);
    const info = await client.connect();
    assert.deepEqual(info.greeting.lines, ['mx.test ESMTP', 'second greeting line', 'third']);
    assert.equal(info.extensions.get('SIZE'), '35882577');
    assert.equal(info.extensions.get('AUTH'), 'PLAIN LOGIN');
    assert.equal(info.extensions.get('ENHANCEDSTATUSCODES'), '');
    const result = await client.send(ENVELOPE, 'Subject: b\r\n\r\nbody\r\n');
    assert.deepEqual(result.reply, { code: 250, enhancedCode: '2.0.0', lines: ['Ok', 'queued as 77'] });
    await client.quit();
    assertScriptHeld(server);
    await server.clientGone();
  });

  it('with PIPELINING writes MAIL and every RCPT in one write, takes their replies from one packet, then DATA (RFC 2920)', async () => {
    const { server, client } = await openSession([
      send(GREETING),
      expect('EHLO '),
      send('250-mx.test\r\n250-PIPELINING\r\n250 ENHANCEDSTATUSCODES\r\n'),
      // No reply before every command is in: a client that waits for the MAIL reply stalls here.
      ...transactionSteps({ pipelining: true, from: 'alice@example.com', rcpts: [{ to: 'bob@example.com' }, { to: 'carol@example.com' }] }),
      ...QUIT_STEPS,
    ]);
    await client.connect();
    const result = await client.send({ from: 'alice@example.com', to: ['bob@example.com', 'carol@example.com'] }, 'Subject: p\r\n\r\nhi\r\n');
    await client.quit();
    assertScriptHeld(server);
    assert.deepEqual(result.accepted, ['bob@example.com', 'carol@example.com']);
    const batch = server.chunks.find((c) => c.bytes.includes('MAIL FROM'));
    assert.equal(
      batch?.bytes.toString('latin1'),
      'MAIL FROM:<alice@example.com>\r\nRCPT TO:<bob@example.com>\r\nRCPT TO:<carol@example.com>\r\n',
      'MAIL and every RCPT arrive as one write; DATA waits for their replies',
    );
    await server.clientGone();
  });

  it('without PIPELINING waits for each reply before the next command', async () => {
    const { server, client } = await openSession([
      send(GREETING),
      expect('EHLO '),
      send(EHLO_REPLY),
      // Each reply waits 100 ms: a client that sends ahead writes into that silence and fails the script.
      ...transactionSteps({ quietMs: 100, rcpts: [{ to: 'bob@example.com' }, { to: 'carol@example.com' }], finalReply: '250 2.0.0 Ok\r\n' }),
      ...QUIT_STEPS,
    ]);
    await client.connect();
    await client.send({ from: 'alice@example.com', to: ['bob@example.com', 'carol@example.com'] }, 'Subject: n\r\n\r\nhi\r\n');
    await client.quit();
    assertScriptHeld(server);
    await server.clientGone();
  });

  it('sends two messages over one connection without a RSET between successes', async () => {
    const { server, client } = await openSession([send(GREETING), expect('EHLO '), send(EHLO_REPLY), ...transaction(), ...transaction(), ...QUIT_STEPS]);
    await client.connect();
    await client.send(ENVELOPE, 'Subject: 1\r\n\r\none\r\n');
    await client.send({ from: '', to: ['carol@example.com'] }, 'Subject: 2\r\n\r\ntwo\r\n');
    await client.quit();
    assert.equal(
      server.text,
      'EHLO client.test\r\nMAIL FROM:<alice@example.com>\r\nRCPT TO:<bob@example.com>\r\nDATA\r\nSubject: 1\r\n\r\none\r\n.\r\n' +
        'MAIL FROM:<>\r\nRCPT TO:<carol@example.com>\r\nDATA\r\nSubject: 2\r\n\r\ntwo\r\n.\r\nQUIT\r\n',
    );
    assertScriptHeld(server);
    await server.clientGone();
  });

  it('falls back to HELO when EHLO is answered 502 (RFC 5321 4.1.4)', async () => {
    const { server, client } = await openSession([
      send(GREETING),
      expect('EHLO '),
      send('502 5.5.1 Command not implemented\r\n'),
      expect('HELO '),
      send('250 mx.test\r\n'),
      ...QUIT_STEPS,
    ]);
    const info = await client.connect();
    await client.quit();
    assert.equal(server.text, 'EHLO client.test\r\nHELO client.test\r\nQUIT\r\n');
    assert.equal(info.heloFallback, true);
    assert.equal(info.extensions.size, 0);
    assertScriptHeld(server);
    await server.clientGone();
  });

  it('refuses a message larger than the SIZE the server announced before writing MAIL (RFC 1870)', async () => {
    const { server, client } = await openSession([send(GREETING), expect('EHLO '), send('250-mx.test\r\n250 SIZE 1000\r\n'), ...QUIT_STEPS]);
    await client.connect();
    const error = assertSmtpError(await rejection(client.send({ ...ENVELOPE, size: 5000 }, 'Subject: big\r\n\r\nx\r\n')), SmtpUnsupportedError, ['mail', 'message', 'data']);
    assert.equal(error.feature, 'SIZE');
    await client.quit();
    assert.equal(server.text, 'EHLO client.test\r\nQUIT\r\n');
    assertScriptHeld(server);
    await server.clientGone();
  });

  it('sends a quoted local part unchanged: MAIL FROM:<"a b"@example.com> (RFC 5321 4.1.2, the one grammar check uses)', async () => {
    // Issue 7.7: `check` accepted "a b"@example.com and the client then refused it after connecting.
    const { server, client } = await openSession([send(GREETING), expect('EHLO '), send(EHLO_REPLY), ...transaction(), ...QUIT_STEPS]);
    await client.connect();
    await client.send({ from: '"a b"@example.com', to: ['"x\\"y"@example.org'] }, 'Subject: q\r\n\r\nx\r\n');
    await client.quit();
    assert.equal(
      server.text,
      'EHLO client.test\r\nMAIL FROM:<"a b"@example.com>\r\nRCPT TO:<"x\\"y"@example.org>\r\nDATA\r\nSubject: q\r\n\r\nx\r\n.\r\nQUIT\r\n',
    );
    assertScriptHeld(server);
    await server.clientGone();
  });

  it('declares SIZE= on MAIL when the server offers SIZE', async () => {
    const { server, client } = await openSession([send(GREETING), expect('EHLO '), send('250-mx.test\r\n250 SIZE 100000\r\n'), ...transaction(), ...QUIT_STEPS]);
    await client.connect();
    await client.send({ ...ENVELOPE, size: 120 }, 'Subject: s\r\n\r\nx\r\n');
    await client.quit();
    assert.ok(server.text.startsWith('EHLO client.test\r\nMAIL FROM:<alice@example.com> SIZE=120\r\n'), JSON.stringify(server.text));
    assertScriptHeld(server);
    await server.clientGone();
  });

  it('STARTTLS: EHLO, STARTTLS in the clear, then EHLO again inside TLS, forgetting the first EHLO (RFC 3207 4.2)', async () => {
    const { server, client, events } = await openSession(
      [
        send(GREETING),
        expect('EHLO '),
        send('250-mx.test\r\n250-STARTTLS\r\n250 8BITMIME\r\n'),
        expect('STARTTLS'),
        send('220 2.0.0 Ready to start TLS\r\n'),
        startTls(certs.localhost),
        expect('EHLO '),
        send('250-mx.test secure\r\n250 AUTH PLAIN\r\n'),
        ...QUIT_STEPS,
      ],
      { security: 'starttls', tls: { ca: certs.ca } },
    );
    const info = await client.connect();
    await client.quit();
    assertScriptHeld(server);
    assert.equal(server.plainText, 'EHLO client.test\r\nSTARTTLS\r\n');
    assert.equal(server.secureText, 'EHLO client.test\r\nQUIT\r\n');
    assert.equal(info.secure, true);
    assert.deepEqual([...info.extensions.keys()], ['AUTH'], 'extensions come from the EHLO inside TLS only');
    const tlsEvent = events.find((e) => e.type === 'tls');
    assert.ok(tlsEvent?.type === 'tls' && tlsEvent.details.authorized, 'the certificate verified against the fixture CA');
    await server.clientGone();
  });
});
