/**
 * Credential scrubbing ("redact at the source", for what comes back). A hostile or careless
 * server may echo what the client sent during AUTH — in its 334/535 text, in a later reply, in
 * an error — and base64 often comes back lower-cased. Every form of a credential the client
 * knows is removed, ignoring case, from each reply before it becomes an event, a result or an
 * error, for the whole session (not only while AUTH runs).
 */
import type { SmtpCredentials } from './types';

export const REDACTED = '****';

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/**
 * Every form of the credentials that may travel on the wire: the password or token itself,
 * its base64 (LOGIN's answer), the PLAIN and XOAUTH2 blobs (RFC 4616; Google's XOAUTH2),
 * LOGIN's base64 username, and each base64 form without its "=" padding too (an echo may
 * drop it). Forms made during the exchange — the CRAM-MD5 answer, the OAUTHBEARER blob (RFC
 * 7628, which names the host and port) — are registered by auth.ts through
 * `AuthExchange.secret` before they are written.
 */
export function credentialForms(credentials: SmtpCredentials): string[] {
  const { username, password, accessToken } = credentials;
  const encoded: string[] = [];
  const forms: string[] = [];
  if (password !== undefined && password !== '') {
    forms.push(password);
    encoded.push(b64(password), b64(`\u0000${username}\u0000${password}`), b64(username));
  }
  if (accessToken !== undefined && accessToken !== '') {
    forms.push(accessToken);
    encoded.push(b64(accessToken), b64(`user=${username}\u0001auth=Bearer ${accessToken}\u0001\u0001`));
  }
  for (const form of encoded) forms.push(form, form.replace(/=+$/, ''));
  return forms;
}

/** Replaces every registered secret, in any letter case, with REDACTED. */
export class SecretScrubber {
  private readonly secrets = new Set<string>();
  private pattern: RegExp | undefined;

  /** Registers more secrets; empty strings are ignored. */
  add(values: Iterable<string>): void {
    let changed = false;
    for (const value of values) {
      if (value === '' || this.secrets.has(value)) continue;
      this.secrets.add(value);
      changed = true;
    }
    if (!changed) return;
    // Longest first, so a secret that contains another is removed whole.
    const sorted = [...this.secrets].sort((a, b) => b.length - a.length);
    this.pattern = new RegExp(sorted.map(escapeRegExp).join('|'), 'gi');
  }

  /** `text` without any secret; the same string when there was none (the usual case). */
  scrub(text: string): string {
    const pattern = this.pattern;
    if (pattern === undefined) return text;
    pattern.lastIndex = 0;
    return pattern.test(text) ? text.replace(pattern, REDACTED) : text;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
