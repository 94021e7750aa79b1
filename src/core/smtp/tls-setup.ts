/**
 * TLS options, the certificate checks, and the `tls` event's details.
 *
 * Three ways to trust a server, in this order:
 * - a pinned fingerprint (`tls.fingerprint`, SHA-256 of the DER certificate): it stands in for
 *   the chain and host-name checks, for that exact certificate only;
 * - `allowSelfSigned` (for loopback test servers): the chain is not checked, but the host name
 *   still is — a certificate issued for another host is refused;
 * - otherwise Node's full verification (chain against the roots plus `tls.ca`, host name).
 * Node completes the handshake and the client decides right after it (`verifyPeer`), before
 * anything is written inside TLS: so the `tls` event, with the certificate's fingerprint, is
 * reported even for a certificate that is then refused — what a user needs to pin it — and
 * the refusal closes the session with close_notify.
 */
import { isIP } from 'node:net';
import type { ConnectionOptions, PeerCertificate, TLSSocket } from 'node:tls';
import { sha256Hex } from '../guards';
import { localized } from '../text';
import { SmtpTlsError } from './errors';
import type { SmtpTlsOptions, TlsDetails } from './types';
import { nodeTls } from '../lazy';

/** The name the certificate must carry: SNI and host-name check (RFC 6125). */
function serverName(host: string, options: SmtpTlsOptions | undefined): string | undefined {
  // SNI carries names only (RFC 6066 3); for an IP the certificate is checked against the IP.
  return options?.servername ?? (isIP(host) === 0 ? host.replace(/\.$/, '') : undefined);
}

export function tlsConnectOptions(host: string, options: SmtpTlsOptions | undefined): ConnectionOptions {
  const servername = serverName(host, options);
  return {
    host,
    ...(servername === undefined ? {} : { servername }),
    // `ca` replaces Node's roots, so an extra CA is added to them rather than instead of them.
    ...(options?.ca === undefined ? {} : { ca: [...nodeTls().rootCertificates, options.ca] }),
    // Node still verifies chain and host name and reports the result (socket.authorized);
    // `verifyPeer` below refuses the connection on it, right after the handshake.
    rejectUnauthorized: false,
    ...(options?.minVersion === undefined ? {} : { minVersion: options.minVersion }),
  };
}

/** Hex digits only, lower case; undefined when no pin is set. */
export function normalizeFingerprint(fingerprint: string | undefined): string | undefined {
  if (fingerprint === undefined) return undefined;
  return fingerprint.replace(/[:\s]/g, '').toLowerCase();
}

/** True when `fingerprint` (colons, spaces and case ignored) is 64 hex digits: a SHA-256. */
export function isSha256Fingerprint(fingerprint: string): boolean {
  return /^[0-9a-f]{64}$/.test(normalizeFingerprint(fingerprint) ?? '');
}

/** `AB:CD:…`, the form `openssl x509 -fingerprint -sha256` and browsers show. */
function colonHex(hex: string): string {
  return (hex.toUpperCase().match(/../g) ?? []).join(':');
}

function sha256Of(cert: PeerCertificate): string | undefined {
  return Buffer.isBuffer(cert.raw) && cert.raw.length > 0 ? sha256Hex(cert.raw) : undefined;
}

function peerCertificate(socket: TLSSocket): PeerCertificate | undefined {
  const cert = socket.getPeerCertificate();
  return cert !== undefined && cert !== null && Object.keys(cert).length > 0 ? cert : undefined;
}

/**
 * The client's verdict on the server's certificate (see the module comment); undefined when
 * it passes. Called right after the handshake, before anything is written inside TLS.
 */
export function verifyPeer(socket: TLSSocket, host: string, options: SmtpTlsOptions | undefined): SmtpTlsError | undefined {
  const pin = normalizeFingerprint(options?.fingerprint);
  const cert = peerCertificate(socket);
  if (pin !== undefined) {
    const actual = cert === undefined ? undefined : sha256Of(cert);
    if (actual === pin) return undefined;
    return new SmtpTlsError({
      stage: 'tls',
      tlsCode: 'FINGERPRINT_MISMATCH',
      text: localized('The server certificate does not match the pinned fingerprint: expected {0}, got {1}', colonHex(pin), actual === undefined ? '(no certificate)' : colonHex(actual)),
    });
  }
  if (socket.authorized) return undefined; // Node verified chain and host name.
  const verdict = authorizationCode(socket) ?? 'UNABLE_TO_VERIFY_LEAF_SIGNATURE';
  // Node checks the host name only once the chain verified, so for allowSelfSigned it is
  // checked here; a certificate for another host is refused either way.
  if (options?.allowSelfSigned === true && !HOST_NAME_CODES.has(verdict)) {
    const name = serverName(host, options) ?? host;
    const identityError = cert === undefined ? new Error('no certificate') : nodeTls().checkServerIdentity(name, cert);
    if (identityError === undefined) return undefined;
    return new SmtpTlsError({
      stage: 'tls',
      tlsCode: (identityError as NodeJS.ErrnoException).code ?? 'ERR_TLS_CERT_ALTNAME_INVALID',
      text: localized('The server certificate is not valid for {0}: {1}', name, oneLine(identityError.message)),
    });
  }
  return new SmtpTlsError({ stage: 'tls', tlsCode: verdict, text: localized('The server certificate was not accepted: {0}', verdict) });
}

/** Node's codes for a certificate that verified but names another host. */
const HOST_NAME_CODES: ReadonlySet<string> = new Set(['ERR_TLS_CERT_ALTNAME_INVALID', 'ERR_TLS_CERT_ALTNAME_FORMAT', 'HOSTNAME_MISMATCH']);

/** Why Node did not authorize the peer: an OpenSSL code such as CERT_HAS_EXPIRED. */
function authorizationCode(socket: TLSSocket): string | undefined {
  const error = socket.authorizationError as Error | string | undefined | null;
  if (error === undefined || error === null) return undefined;
  return typeof error === 'string' ? error : ((error as NodeJS.ErrnoException).code ?? oneLine(error.message));
}

/** OpenSSL's texts end with (or contain) line breaks; messages here are one line. */
export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

function nameOf(entity: PeerCertificate['subject'] | undefined): string | undefined {
  if (entity === undefined || entity === null) return undefined;
  const pick: string | string[] | undefined = entity.CN ?? entity.O;
  return Array.isArray(pick) ? pick.join(', ') : pick;
}

export function tlsDetails(socket: TLSSocket): TlsDetails {
  const cert = peerCertificate(socket);
  const subject = cert === undefined ? undefined : nameOf(cert.subject);
  const issuer = cert === undefined ? undefined : nameOf(cert.issuer);
  const validTo = cert?.valid_to;
  const sha256 = cert === undefined ? undefined : sha256Of(cert);
  const fingerprint256 = sha256 === undefined ? undefined : colonHex(sha256);
  const authorizationError = authorizationCode(socket);
  return {
    protocol: socket.getProtocol() ?? 'unknown',
    cipher: socket.getCipher()?.name ?? 'unknown',
    authorized: socket.authorized,
    ...(authorizationError === undefined ? {} : { authorizationError }),
    ...(subject === undefined ? {} : { subject }),
    ...(issuer === undefined ? {} : { issuer }),
    ...(validTo === undefined ? {} : { validTo }),
    ...(fingerprint256 === undefined ? {} : { fingerprint256 }),
  };
}
