/**
 * TLS options and the `tls` event's details. Verification is on unless the profile allows a
 * self-signed certificate, and even then the result (authorized, why not) is reported.
 */
import { isIP } from 'node:net';
import { rootCertificates } from 'node:tls';
import type { ConnectionOptions, PeerCertificate, TLSSocket } from 'node:tls';
import type { SmtpTlsOptions, TlsDetails } from './types';

export function tlsConnectOptions(host: string, options: SmtpTlsOptions | undefined): ConnectionOptions {
  // SNI carries names only (RFC 6066 3); for an IP the certificate is checked against the IP.
  const servername = options?.servername ?? (isIP(host) === 0 ? host.replace(/\.$/, '') : undefined);
  return {
    host,
    ...(servername === undefined ? {} : { servername }),
    // `ca` replaces Node's roots, so an extra CA is added to them rather than instead of them.
    ...(options?.ca === undefined ? {} : { ca: [...rootCertificates, options.ca] }),
    rejectUnauthorized: options?.allowSelfSigned !== true,
    ...(options?.minVersion === undefined ? {} : { minVersion: options.minVersion }),
  };
}

function nameOf(entity: PeerCertificate['subject'] | undefined): string | undefined {
  if (entity === undefined || entity === null) return undefined;
  const pick: string | string[] | undefined = entity.CN ?? entity.O;
  return Array.isArray(pick) ? pick.join(', ') : pick;
}

export function tlsDetails(socket: TLSSocket): TlsDetails {
  const cert = socket.getPeerCertificate();
  const hasCert = cert !== undefined && cert !== null && Object.keys(cert).length > 0;
  const subject = hasCert ? nameOf(cert.subject) : undefined;
  const issuer = hasCert ? nameOf(cert.issuer) : undefined;
  const validTo = hasCert ? cert.valid_to : undefined;
  const error = socket.authorizationError as Error | string | undefined | null;
  const authorizationError = error === undefined || error === null ? undefined : typeof error === 'string' ? error : (error as NodeJS.ErrnoException).code ?? error.message;
  return {
    protocol: socket.getProtocol() ?? 'unknown',
    cipher: socket.getCipher()?.name ?? 'unknown',
    authorized: socket.authorized,
    ...(authorizationError === undefined ? {} : { authorizationError }),
    ...(subject === undefined ? {} : { subject }),
    ...(issuer === undefined ? {} : { issuer }),
    ...(validTo === undefined ? {} : { validTo }),
  };
}
