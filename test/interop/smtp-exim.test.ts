/**
 * SmtpClient and the send pipeline against Exim 4.96 (Debian's exim4-daemon-light, run
 * unprivileged on loopback beside Postfix). Exim enforces SMTP synchronisation: a client that
 * sends ahead without PIPELINING (RFC 2920 3.1) is logged with "synchronization error" and cut
 * off. It also logs how each session ended, so these tests can check the manners of RFC 5321
 * 4.1.1.10: every session, a failed one included, ends with QUIT ("closed by QUIT"), never by
 * dropping the connection ("lost").
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { normaliseProfile } from '../../src/core/profiles';
import type { SmtpProfile } from '../../src/core/profiles';
import { deliver, testProfile } from '../../src/core/send';
import type { ComposedMessage } from '../../src/core/mime/types';
import type { SmtpClient, SmtpEvent } from '../../src/core/smtp/index';
import { assertAuthRefused, realServerHarness, stageTimeouts, startExim, testMessage } from '../support/servers/index';
import type { EximInstance, EximSession } from '../support/servers/index';

const TIMEOUTS = stageTimeouts(10_000);

/** A complete CRLF message with a unique subject (and `padding` extra body bytes). */
function message(subject: string, padding = 0): Buffer {
  const body = padding === 0 ? 'Hello from the Exim interop suite.\r\n' : `${'x'.repeat(70)}\r\n`.repeat(Math.ceil(padding / 72));
  return testMessage({
    from: 'Sender <sender@exim.test>',
    to: 'Bob <bob@example.test>',
    subject,
    domain: 'exim.test',
    // A line starting with a dot: dot-stuffing (RFC 5321 4.5.2) must round-trip.
    body: `.a line that starts with a dot\r\n${body}`,
    transferEncoding: '7bit',
  });
}

/** The composer's output shape around fixed bytes, for the send pipeline's `deliver`. */
function composed(bytes: Buffer, to: readonly string[]): ComposedMessage {
  return {
    messageId: `<${randomUUID()}@exim.test>`,
    envelope: { from: 'sender@exim.test', to, smtpUtf8: false, eightBit: false },
    size: bytes.length,
    stream: () => Readable.from([bytes]),
    inMemory: () => bytes,
    summary: { to, cc: [], bcc: [], attachments: [], attachmentBytes: 0 },
  };
}

function endings(sessions: readonly EximSession[]): string {
  return sessions.map((session) => `:${session.clientPort} → ${session.ending ?? 'still open'}\n    ${session.lines.join('\n    ')}`).join('\n');
}

describe('SmtpClient ↔ Exim 4.96 (real server, strict synchronisation, PIPELINING on and off)', function () {
  this.timeout(60_000);
  const harness = realServerHarness('Exim', () => startExim());
  const { recorder, running } = harness;

  function newClient(port: number, security: 'none' | 'tls'): SmtpClient {
    return harness.newClient({ port, security, ca: running().certificate.certPem, timeouts: TIMEOUTS });
  }

  function profile(port: number, security: 'none' | 'tls'): SmtpProfile {
    const server = running();
    const result = normaliseProfile('exim', { host: server.host, port, security, username: server.username, tls: { ca: server.certificate.certPath } });
    assert.ok(result.profile, `profile: ${JSON.stringify(result.errors)}`);
    return result.profile;
  }

  /** Runs `work`, then asserts that Exim logged every session it opened as ended by QUIT. */
  async function everySessionQuits(work: () => Promise<void>): Promise<void> {
    const server = running();
    const mark = server.logMark();
    await work();
    const sessions = await server.sessionsSince(mark);
    assert.ok(sessions.length > 0, `Exim logged no session:\n${server.mainlog(mark)}`);
    assert.ok(sessions.every((session) => session.ending === 'QUIT'), `every session should end "closed by QUIT":\n${endings(sessions)}`);
    assert.doesNotMatch(server.mainlog(mark), /synchronization error/);
  }

  const variants = [
    { name: 'PIPELINING advertised', port: (server: EximInstance) => server.pipeliningPort, pipelining: true },
    { name: 'PIPELINING not advertised', port: (server: EximInstance) => server.plainPort, pipelining: false },
  ] as const;

  for (const variant of variants) {
    describe(variant.name, () => {
      it('delivers the exact bytes to three recipients, and the session ends with QUIT', async () => {
        const server = running();
        const sent = message(`exim ${variant.name} ${randomUUID()}`);
        await everySessionQuits(async () => {
          const client = newClient(variant.port(server), 'none');
          const info = await client.connect();
          assert.equal(info.extensions.has('PIPELINING'), variant.pipelining);
          await client.authenticate({ username: server.username, password: server.password, mechanism: 'PLAIN' });
          const mark = recorder.mark();
          const result = await client.send({ from: 'sender@exim.test', to: ['bob@example.test', 'carol@example.test', 'dave@example.test'], size: sent.length }, sent);
          assert.deepEqual(result.accepted, ['bob@example.test', 'carol@example.test', 'dave@example.test']);
          await client.quit();
          // Without PIPELINING every command waits for its reply: send, receive, send, receive...
          const conversation = recorder.since(mark).filter((e): e is Extract<SmtpEvent, { type: 'send' | 'receive' }> => e.type === 'send' || e.type === 'receive');
          const kinds = conversation.map((e) => e.type).join(' ');
          if (!variant.pipelining) assert.doesNotMatch(kinds, /send send/, 'two commands in flight without PIPELINING');
          else assert.match(kinds, /send send/, 'with PIPELINING the envelope goes in one batch');
        });
        const stored = await server.waitForMessage(sent.subarray(0, 200).toString('latin1').split('\r\n')[2] ?? '');
        assert.ok(stored.equals(sent), `stored bytes differ from the bytes sent:\n${stored.subarray(0, 400).toString('latin1')}`);
      });

      it('AUTH LOGIN works too', async () => {
        const server = running();
        await everySessionQuits(async () => {
          const client = newClient(variant.port(server), 'none');
          await client.connect();
          assert.equal(await client.authenticate({ username: server.username, password: server.password, mechanism: 'LOGIN' }), 'LOGIN');
          await client.quit();
        });
      });

      it('a wrong password (535) still ends the session with QUIT', async () => {
        const server = running();
        await everySessionQuits(async () => {
          await assert.rejects(testProfile({ profile: profile(variant.port(server), 'none'), secret: 'not-the-password', timeouts: TIMEOUTS }), (error: unknown) => {
            assertAuthRefused(error);
            return true;
          });
        });
      });

      it('a refused recipient (550) among accepted ones still ends the session with QUIT', async () => {
        const server = running();
        const sent = message(`exim refused ${randomUUID()}`);
        await everySessionQuits(async () => {
          await assert.rejects(deliver(composed(sent, ['bob@example.test', 'rejectme@example.test']), { profile: profile(variant.port(server), 'none'), secret: server.password, timeouts: TIMEOUTS }), (error: unknown) => {
            assert.match(String(error), /rejectme@example\.test/);
            return true;
          });
        });
      });

      it('a temporarily refused recipient (451) still ends the session with QUIT', async () => {
        const server = running();
        const sent = message(`exim tempfail ${randomUUID()}`);
        await everySessionQuits(async () => {
          await assert.rejects(deliver(composed(sent, ['tempfail-now@example.test']), { profile: profile(variant.port(server), 'none'), secret: server.password, timeouts: TIMEOUTS }));
        });
      });

      it('a message over the advertised SIZE is refused and the session still ends with QUIT', async () => {
        const server = running();
        const sent = message(`exim too big ${randomUUID()}`, server.messageSizeLimit + 1024);
        await everySessionQuits(async () => {
          await assert.rejects(deliver(composed(sent, ['bob@example.test']), { profile: profile(variant.port(server), 'none'), secret: server.password, timeouts: TIMEOUTS }), (error: unknown) => {
            assert.match(String(error), /size|SIZE|552|large/i);
            return true;
          });
        });
      });
    });
  }

  it('implicit TLS (tls_on_connect) with AUTH delivers the exact bytes through deliver()', async () => {
    const server = running();
    const sent = message(`exim implicit tls ${randomUUID()}`);
    await everySessionQuits(async () => {
      const result = await deliver(composed(sent, ['bob@example.test']), { profile: profile(server.tlsPort, 'tls'), secret: server.password, timeouts: TIMEOUTS });
      assert.deepEqual(result.accepted, ['bob@example.test']);
    });
    const stored = await server.waitForMessage(sent.toString('latin1').split('\r\n')[2] ?? '');
    assert.ok(stored.equals(sent), 'stored bytes differ from the bytes sent');
  });

  it('Exim logged no synchronization error in the whole run', () => {
    const log = running().mainlog();
    assert.match(log, /closed by QUIT/, 'the mainlog should hold the sessions of this run');
    assert.doesNotMatch(log, /synchronization error/);
  });
});
