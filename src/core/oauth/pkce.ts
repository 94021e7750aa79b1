/**
 * PKCE (RFC 7636) and the `state` value of the authorization request (RFC 6749 10.12).
 * The verifier is 32 random bytes as base64url (43 characters, within 4.1's 43..128 of the
 * unreserved alphabet); the challenge is S256 (4.2): BASE64URL(SHA256(ASCII(verifier))).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export interface Pkce {
  readonly verifier: string;
  readonly challenge: string;
  readonly method: 'S256';
}

export function s256Challenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

export function createPkce(): Pkce {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: s256Challenge(verifier), method: 'S256' };
}

/** An unguessable `state` binding the redirect to this request (CSRF, RFC 6749 10.12). */
export function createState(): string {
  return randomBytes(24).toString('base64url');
}

/** Compares a returned `state` with ours in constant time. */
export function stateMatches(expected: string, received: string | null | undefined): boolean {
  if (typeof received !== 'string') return false;
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(received, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
