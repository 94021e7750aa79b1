/**
 * The key a grant is stored under: the password key (core/secret-key.ts) with a prefix. It is
 * bound to user, host, port and the connection's safety exactly as a password is, and never
 * collides with the password of the same account.
 */
import { readFile } from 'node:fs/promises';
import { sha256Hex } from '../guards';
import { secretKey } from '../secret-key';
import type { SecretTarget } from '../secret-key';

export function grantKey(target: SecretTarget, caContent: string | undefined): string {
  return `oauth2 ${secretKey(target, caContent)}`;
}

/** grantKey with the CA file's digest read now (undefined when there is none or it is unreadable). */
export async function grantKeyFor(target: SecretTarget): Promise<string> {
  let digest: string | undefined;
  if (target.tls.ca !== undefined) {
    try {
      digest = sha256Hex(await readFile(target.tls.ca));
    } catch {
      // The session reports the unreadable CA itself; the key just differs from any readable one.
      digest = undefined;
    }
  }
  return grantKey(target, digest);
}
