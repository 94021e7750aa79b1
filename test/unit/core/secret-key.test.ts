import assert from 'node:assert/strict';
import { normaliseProfile } from '../../../src/core/profiles';
import type { SmtpProfile } from '../../../src/core/profiles';
import { sha256Hex } from '../../../src/core/guards';
import { legacySecretKey, secretKey } from '../../../src/core/secret-key';

const FINGERPRINT = 'AB:'.repeat(31) + 'CD';

function profile(raw: Record<string, unknown>): SmtpProfile {
  const result = normaliseProfile('work', { host: 'SMTP.Example.com', port: 587, username: 'Ann@example.com', ...raw });
  assert.ok(result.profile, JSON.stringify(result.errors));
  return result.profile;
}

describe('secret key', () => {
  const base = profile({ security: 'starttls' });
  const baseKey = secretKey(base, undefined);

  it('binds user (as written), host (case-insensitively), port and security mode', () => {
    assert.equal(baseKey, 'smtp:Ann@example.com@smtp.example.com:587 starttls');
    assert.equal(secretKey(profile({ security: 'starttls', host: 'smtp.EXAMPLE.com' }), undefined), baseKey);
    assert.notEqual(secretKey(profile({ security: 'starttls', username: 'ann@example.com' }), undefined), baseKey);
    assert.notEqual(secretKey(profile({ security: 'starttls', port: 2525 }), undefined), baseKey);
    assert.notEqual(secretKey(profile({ security: 'starttls', host: 'evil.example' }), undefined), baseKey);
  });

  // The attack: a trusted workspace keeps user, host and port but weakens how the server is
  // reached; the password stored for the safe connection must not be released to it.
  const weakenings: ReadonlyArray<[string, Record<string, unknown>]> = [
    ['security none', { security: 'none' }],
    ['security none with allowPlaintextAuth', { security: 'none', allowPlaintextAuth: true }],
    ['allowPlaintextAuth alone', { security: 'starttls', allowPlaintextAuth: true }],
    ['allowSelfSigned', { security: 'starttls', tls: { allowSelfSigned: true } }],
    ['a CA file shipped in the repository', { security: 'starttls', tls: { ca: './certs/ca.pem' } }],
    ['a pinned fingerprint', { security: 'starttls', tls: { fingerprint: FINGERPRINT } }],
  ];
  for (const [what, raw] of weakenings) {
    it(`changes with ${what}`, () => {
      const changed = profile(raw);
      const digest = changed.tls.ca === undefined ? undefined : sha256Hex('-----BEGIN CERTIFICATE-----');
      assert.notEqual(secretKey(changed, digest), baseKey);
    });
  }

  it('gives every weakening its own key', () => {
    const keys = weakenings.map(([, raw]) => secretKey(profile(raw), undefined));
    assert.equal(new Set([baseKey, ...keys]).size, weakenings.length + 1);
  });

  it('changes when the CA file is replaced behind the same path, or the path changes', () => {
    const withCa = profile({ security: 'starttls', tls: { ca: '/etc/ssl/mine.pem' } });
    const original = secretKey(withCa, sha256Hex('original CA'));
    assert.notEqual(secretKey(withCa, sha256Hex('replaced CA')), original);
    assert.notEqual(secretKey(withCa, undefined), original);
    assert.notEqual(secretKey(profile({ security: 'starttls', tls: { ca: '/tmp/other.pem' } }), sha256Hex('original CA')), original);
    assert.equal(secretKey(withCa, sha256Hex('original CA')), original);
    // The path is hashed, not written into the key.
    assert.doesNotMatch(original, /mine\.pem/);
  });

  it('treats a fingerprint written with or without colons, in either case, as the same pin', () => {
    const colons = secretKey(profile({ tls: { fingerprint: FINGERPRINT } }), undefined);
    const plain = secretKey(profile({ tls: { fingerprint: FINGERPRINT.replace(/:/g, '').toLowerCase() } }), undefined);
    assert.equal(colons, plain);
    assert.notEqual(secretKey(profile({ tls: { fingerprint: 'EF:'.repeat(31) + 'CD' } }), undefined), colons);
  });

  it('names the 0.1.0 key (user, host, port) so it can be removed, and never reuses it', () => {
    // Release 0.1.0 stored passwords as smtp:USER@HOST:PORT; that key must not find a password now.
    assert.equal(legacySecretKey(base), 'smtp:Ann@example.com@smtp.example.com:587');
    assert.notEqual(baseKey, legacySecretKey(base));
  });
});
