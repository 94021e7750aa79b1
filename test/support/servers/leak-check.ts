/**
 * Searching everything a client produced (events, errors, their causes) for a credential in
 * any form it could take on the wire: as is, base64 alone (AUTH LOGIN), or inside the base64
 * of an AUTH PLAIN message (RFC 4616: [authzid] NUL authcid NUL passwd).
 */
import { inspect } from 'node:util';

/** The password as is and every encoding of it an AUTH exchange for `username` would use. */
export function secretForms(username: string, password: string): string[] {
  const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
  return [password, b64(password), b64(`\u0000${username}\u0000${password}`), b64(`${username}\u0000${username}\u0000${password}`)];
}

/** Every string reachable from `value`: properties (own, enumerable or not), Error message/stack/cause, Map/Set entries, bytes as text. */
function collectText(value: unknown, out: string[], seen: Set<unknown>, depth: number): void {
  if (depth > 12 || value === null || value === undefined) return;
  if (typeof value === 'string') {
    out.push(value);
    return;
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    out.push(String(value));
    return;
  }
  if (typeof value !== 'object' && typeof value !== 'function') return;
  if (seen.has(value)) return;
  seen.add(value);
  if (value instanceof Uint8Array) {
    const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    out.push(bytes.toString('utf8'), bytes.toString('latin1'));
    return;
  }
  if (value instanceof Error) out.push(value.message, value.stack ?? '', String(value));
  if (value instanceof Map) {
    for (const [k, v] of value) {
      collectText(k, out, seen, depth + 1);
      collectText(v, out, seen, depth + 1);
    }
  }
  if (value instanceof Set) for (const v of value) collectText(v, out, seen, depth + 1);
  for (const key of Object.getOwnPropertyNames(value)) {
    out.push(key);
    let child: unknown;
    try {
      child = (value as Record<string, unknown>)[key];
    } catch {
      continue;
    }
    collectText(child, out, seen, depth + 1);
  }
  // Getters on prototypes (e.g. SmtpReplyError.code) and anything else inspect would print.
  out.push(inspect(value, { depth: 6, showHidden: true, maxStringLength: Infinity, maxArrayLength: Infinity, breakLength: Infinity }));
}

/** Which of `secrets` occur anywhere in `values` (empty when nothing leaked). */
export function findSecrets(values: readonly unknown[], secrets: readonly string[]): string[] {
  const text: string[] = [];
  const seen = new Set<unknown>();
  for (const value of values) collectText(value, text, seen, 0);
  return secrets.filter((secret) => secret.length > 0 && text.some((t) => t.includes(secret)));
}
