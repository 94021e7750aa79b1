/**
 * The SecretStorage key a password is kept under. It binds the secret to the account, the server
 * and how safely the server is reached: user, host and port, the security mode, whether AUTH may
 * go in plaintext, whether an unverified certificate is accepted, the extra CA (its path and the
 * SHA-256 of its content) and the pinned certificate. Any change gives a different key, so the
 * stored password is simply not found and is asked for again: a workspace that keeps user, host
 * and port but weakens the connection (`security: none` with `allowPlaintextAuth`,
 * `allowSelfSigned`, a CA file shipped in the repository) never receives it.
 */
import { sha256Hex } from './guards';
import { normalizeFingerprint } from './smtp/tls-setup';
import type { SmtpSecurity } from './smtp/types';

export interface SecretTarget {
  readonly username?: string;
  readonly host: string;
  readonly port: number;
  readonly security: SmtpSecurity;
  readonly allowPlaintextAuth: boolean;
  readonly tls: {
    readonly ca?: string;
    readonly allowSelfSigned: boolean;
    readonly fingerprint?: string;
  };
}

/**
 * The key release 0.1.0 stored passwords under (user, host and port only). Nothing is read from
 * it any more; forgetting or storing a password removes it, so it does not linger in the
 * keychain where no command could reach it.
 */
export function legacySecretKey(target: Pick<SecretTarget, 'username' | 'host' | 'port'>): string {
  return `smtp:${target.username ?? ''}@${target.host.toLowerCase()}:${target.port}`;
}

/**
 * `caContent` is the SHA-256 (hex) of the CA file as it is now, or undefined when it cannot be
 * read; the caller reads the file, which keeps this function pure. Replacing the file's content
 * behind an unchanged path also changes the key.
 */
export function secretKey(target: SecretTarget, caContent: string | undefined): string {
  // Host names are case-insensitive (RFC 4343); user names may not be, so they stay as written.
  const parts = [legacySecretKey(target), target.security];
  if (target.allowPlaintextAuth) parts.push('plaintext-auth');
  if (target.tls.allowSelfSigned) parts.push('self-signed');
  // The path is hashed with the content so the key carries no file-system text of its own.
  if (target.tls.ca !== undefined) parts.push(`ca=${sha256Hex(`${target.tls.ca}\n${caContent ?? 'unreadable'}`)}`);
  const pin = normalizeFingerprint(target.tls.fingerprint);
  if (pin !== undefined) parts.push(`pin=${pin}`);
  return parts.join(' ');
}
