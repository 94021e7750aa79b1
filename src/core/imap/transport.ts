/**
 * The sockets under imapflow (its `transport` option), so IMAP trusts a server exactly as SMTP
 * does: the same connect options and the same verdict on the certificate (smtp/tls-setup.ts —
 * a pinned fingerprint, allowSelfSigned for loopback tests, or Node's full verification). The
 * verdict is reached right after the handshake and before imapflow writes a byte inside TLS, so
 * a refused certificate never sees the login.
 */
import net from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { ImapTransport } from 'imapflow';
import type { SmtpError } from '../smtp/errors';
import { tlsConnectOptions, tlsDetails, verifyPeer } from '../smtp/tls-setup';
import type { SmtpTlsOptions, TlsDetails } from '../smtp/types';
import { nodeTls } from '../lazy';

export interface VerifiedTransport {
  readonly transport: ImapTransport;
  /** The certificate refusal, once one happened: the failure is then stage `tls`. */
  refusal(): SmtpError | undefined;
}

export function verifiedTransport(host: string, options: SmtpTlsOptions, onTls: (details: TlsDetails) => void): VerifiedTransport {
  let refusal: SmtpError | undefined;
  const secure = (socket: TLSSocket, ready: () => void): TLSSocket => {
    socket.once('secureConnect', () => {
      onTls(tlsDetails(socket));
      const verdict = verifyPeer(socket, host, options);
      if (verdict !== undefined) {
        refusal = verdict;
        socket.destroy(verdict);
        return;
      }
      ready();
    });
    return socket;
  };
  const transport: ImapTransport = {
    connect: (target, onConnect) => {
      if (!target.secure) return net.connect({ host: target.host, port: target.port }, onConnect);
      return secure(nodeTls().connect({ ...tlsConnectOptions(host, options), port: target.port }), onConnect);
    },
    upgrade: (socket, _target, onSecure) =>
      secure(nodeTls().connect({ ...tlsConnectOptions(host, options), socket: socket }), onSecure),
  };
  return { transport, refusal: () => refusal };
}
