/**
 * TLS against the scripted server: STARTTLS response injection, STARTTLS missing or refused
 * (never a silent plaintext fallback), implicit TLS against a plaintext server, and certificate
 * checks where the fixture CA is trusted so that only the one named defect fails.
 */
import assert from 'node:assert/strict';
import { SmtpProtocolError, SmtpReplyError, SmtpTlsError, SmtpUnsupportedError } from '../../src/core/smtp/errors';
import { close, expect, send, sendBytes, silence, startTls } from '../support/scripted-server';
import type { Step } from '../support/scripted-server';
import { assertScriptHeld, assertSmtpError, certs, closeSessions, describeError, ehlo, greet, openSession, rejection, tlsDetails, withoutTrailingQuit } from '../support/scripted-session';

const offerStartTls: readonly Step[] = [greet, ...ehlo(['STARTTLS', 'AUTH PLAIN']), expect('STARTTLS')];
/** An implicit-TLS session that says hello and then answers QUIT. */
const implicitHello: readonly Step[] = [greet, ...ehlo(['AUTH PLAIN'])];

describe('scripted server: TLS', () => {
  afterEach(closeSessions);

  describe('STARTTLS (RFC 3207)', () => {
    it('never takes a reply injected after "220" in the same packet as the answer to the EHLO inside TLS', async () => {
      // The attack (CVE-2011-0411 and kin): bytes that arrive in the clear with the 220 would be
      // read as the first reply inside TLS. RFC 3207 6: the client must discard them, or fail.
      const { server, client } = await openSession(
        [...offerStartTls, send('220 2.0.0 go ahead\r\n250 injected\r\n'), startTls(certs.localhost), expect('EHLO '), send('250-mx.secure\r\n250 AUTH PLAIN\r\n')],
        { security: 'starttls', tls: { ca: certs.ca } },
      );
      let outcome: unknown;
      try {
        outcome = await client.connect();
      } catch (error) {
        outcome = error;
      }
      if (outcome instanceof Error) {
        // Preferred by the contract: a protocol error, and not one byte inside TLS.
        assertSmtpError(outcome, SmtpProtocolError, ['starttls', 'tls']);
        assert.equal(withoutTrailingQuit(server.plainText), 'EHLO client.test\r\nSTARTTLS\r\n');
        assert.equal(server.secureText, '');
      } else {
        // Also acceptable: the injected line was discarded and EHLO was sent again inside TLS.
        const info = client.info;
        assert.ok(info !== undefined, `connect resolved with ${String(outcome)}`);
        assert.equal(info.name, 'mx.secure', 'the EHLO answer came from inside TLS, not the injected line');
        assert.equal(info.secure, true);
        assertScriptHeld(server);
        assert.ok(server.secureText.startsWith('EHLO client.test\r\n'), JSON.stringify(server.secureText));
        await client.quit();
      }
      await server.clientGone();
    });

    it('injected bytes trickling in right after the 220 → connect fails with a typed error and never reads them as a reply', async () => {
      // Byte by byte, the injected line may arrive after the client started its handshake: then
      // the TLS layer sees plaintext. Either way the session must not go on.
      const { server, client } = await openSession(
        [...offerStartTls, sendBytes('220 2.0.0 go ahead\r\n250 injected\r\n', { split: 'bytewise' }), silence()],
        { security: 'starttls', tls: { ca: certs.ca } },
      );
      const error = await rejection(client.connect());
      assert.ok(error instanceof SmtpProtocolError || error instanceof SmtpTlsError, describeError(error));
      assert.ok(['starttls', 'tls'].includes(error.stage), describeError(error));
      assert.notEqual(client.info?.name, 'injected');
      await server.clientGone();
      assert.ok(server.text.startsWith('EHLO client.test\r\nSTARTTLS\r\n'), JSON.stringify(server.text));
      assert.ok(!server.text.includes('EHLO client.test\r\n', 1), 'no second EHLO in the clear');
    });

    it('STARTTLS required but not offered → SmtpUnsupportedError; nothing but QUIT after EHLO', async () => {
      const { server, client } = await openSession([greet, ...ehlo(['AUTH PLAIN LOGIN', 'PIPELINING'])], {
        security: 'starttls',
      });
      const error = assertSmtpError(await rejection(client.connect()), SmtpUnsupportedError, ['ehlo', 'starttls']);
      assert.equal(error.feature, 'STARTTLS');
      await server.clientGone();
      assertScriptHeld(server);
      assert.equal(withoutTrailingQuit(server.text), 'EHLO client.test\r\n');
    });

    it('STARTTLS refused with 454 → SmtpReplyError stage starttls, no plaintext fallback', async () => {
      const { server, client } = await openSession([...offerStartTls, send('454 4.7.0 TLS not available due to temporary reason\r\n')], {
        security: 'starttls',
      });
      const error = assertSmtpError(await rejection(client.connect()), SmtpReplyError, 'starttls');
      assert.equal(error.reply.code, 454);
      assert.equal(error.transient, true);
      await client.quit().catch(() => undefined);
      await server.clientGone();
      assertScriptHeld(server);
      assert.equal(withoutTrailingQuit(server.text), 'EHLO client.test\r\nSTARTTLS\r\n');
    });

    it('a certificate for another host after STARTTLS → SmtpTlsError; nothing more is written, in the clear or inside TLS', async () => {
      const { server, client } = await openSession([...offerStartTls, send('220 2.0.0 go ahead\r\n'), startTls(certs.wrongHost), expect('EHLO ')], {
        security: 'starttls',
        tls: { ca: certs.ca },
      });
      const error = assertSmtpError(await rejection(client.connect()), SmtpTlsError, 'tls');
      assert.equal(error.tlsCode, 'ERR_TLS_CERT_ALTNAME_INVALID');
      await server.clientGone();
      assert.equal(server.plainText, 'EHLO client.test\r\nSTARTTLS\r\n');
      assert.equal(server.secureText, '');
    });
  });

  describe('implicit TLS (RFC 8314)', () => {
    it('a plaintext server on the TLS port → SmtpTlsError, stage tls', async () => {
      const { server, client } = await openSession([send('220 mx.test plaintext ESMTP\r\n'), silence()], { security: 'tls', tls: { ca: certs.ca } });
      const error = assertSmtpError(await rejection(client.connect()), SmtpTlsError, 'tls');
      assert.match(error.tlsCode, /^ERR_SSL_/, describeError(error));
      await server.clientGone();
      assert.equal(server.transcript[0], 0x16, 'the client wrote a TLS handshake record, nothing else');
      assert.ok(!server.text.includes('EHLO'), 'no EHLO in the clear');
    });

    it('the good certificate, trusted through the fixture CA, passes', async () => {
      const { server, client, events } = await openSession([...implicitHello], { security: 'tls', tls: { ca: certs.ca } }, { implicitTls: certs.localhost });
      const info = await client.connect();
      await client.quit();
      assert.equal(info.secure, true);
      const details = tlsDetails(events);
      assert.equal(details?.authorized, true);
      assert.equal(server.secureText, 'EHLO client.test\r\nQUIT\r\n');
      assertScriptHeld(server);
      await server.clientGone();
    });

    const defects = [
      { name: 'a certificate for another host', pair: certs.wrongHost, code: 'ERR_TLS_CERT_ALTNAME_INVALID' },
      { name: 'an expired certificate', pair: certs.expired, code: 'CERT_HAS_EXPIRED' },
    ] as const;
    for (const defect of defects) {
      it(`${defect.name} (signed by the trusted CA) → SmtpTlsError ${defect.code}, stage tls`, async () => {
        const { server, client } = await openSession([...implicitHello], { security: 'tls', tls: { ca: certs.ca } }, { implicitTls: defect.pair });
        const error = assertSmtpError(await rejection(client.connect()), SmtpTlsError, 'tls');
        assert.equal(error.tlsCode, defect.code);
        assert.equal(error.transient, false);
        await server.clientGone();
        assert.equal(server.text, '', 'nothing was written over an unverified connection');
      });
    }

    it('a certificate for another host passes when tls.servername names that host', async () => {
      const { server, client } = await openSession(
        [...implicitHello],
        { security: 'tls', tls: { ca: certs.ca, servername: 'mail.example.org' } },
        { implicitTls: certs.wrongHost },
      );
      await client.connect();
      await client.quit();
      assertScriptHeld(server);
      await server.clientGone();
    });

    it('a self-signed certificate fails by default → SmtpTlsError DEPTH_ZERO_SELF_SIGNED_CERT', async () => {
      const { server, client } = await openSession([...implicitHello], { security: 'tls' }, { implicitTls: certs.selfSigned });
      const error = assertSmtpError(await rejection(client.connect()), SmtpTlsError, 'tls');
      assert.equal(error.tlsCode, 'DEPTH_ZERO_SELF_SIGNED_CERT');
      await server.clientGone();
      assert.equal(server.text, '');
    });

    it('a self-signed certificate passes with allowSelfSigned, reported as not authorized', async () => {
      const { server, client, events } = await openSession([...implicitHello], { security: 'tls', tls: { allowSelfSigned: true } }, { implicitTls: certs.selfSigned });
      const info = await client.connect();
      await client.quit();
      assert.equal(info.secure, true);
      const details = tlsDetails(events);
      assert.ok(details, 'a tls event was emitted');
      assert.equal(details.authorized, false);
      assert.equal(details.authorizationError, 'DEPTH_ZERO_SELF_SIGNED_CERT');
      assertScriptHeld(server);
      await server.clientGone();
    });

    it('QUIT inside implicit TLS gets its 221 and the connection ends', async () => {
      const { server, client } = await openSession([...implicitHello, expect('QUIT'), send('221 bye\r\n'), close()], { security: 'tls', tls: { ca: certs.ca } }, { implicitTls: certs.localhost });
      await client.connect();
      await client.quit();
      assertScriptHeld(server);
      await server.clientGone();
    });
  });
});
