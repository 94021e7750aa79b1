import assert from 'node:assert/strict';
import { DEFAULT_TIMEOUTS, PLAINTEXT_GREETING_TIMEOUT, resolveTimeouts } from '../../../src/core/smtp/timeouts';
import { isSha256Fingerprint, normalizeFingerprint, oneLine, tlsConnectOptions } from '../../../src/core/smtp/tls-setup';

describe('greeting timeout by security mode (issue 7.13)', () => {
  it('waits at most 15 s for a plaintext greeting: silence there usually means an implicit-TLS port', () => {
    assert.equal(PLAINTEXT_GREETING_TIMEOUT, 15_000);
    assert.equal(resolveTimeouts(undefined, 'starttls').greeting, 15_000);
    assert.equal(resolveTimeouts(undefined, 'none').greeting, 15_000);
  });

  it('keeps RFC 5321 4.5.3.2.1 (5 minutes) for implicit TLS, and the user override everywhere', () => {
    assert.equal(resolveTimeouts(undefined, 'tls').greeting, DEFAULT_TIMEOUTS.greeting);
    assert.equal(resolveTimeouts({ greeting: 120_000 }, 'starttls').greeting, 120_000);
    assert.equal(resolveTimeouts({ command: 5 }, 'none').command, 5);
  });
});

describe('TLS options and certificate pinning (issue 7.3)', () => {
  const hex = 'ab'.repeat(32);

  it('reads a SHA-256 fingerprint with colons, spaces or any case; anything else is not one', () => {
    assert.equal(normalizeFingerprint(hex.toUpperCase().match(/../g)?.join(':')), hex);
    assert.equal(normalizeFingerprint(` ${hex} `), hex);
    assert.equal(isSha256Fingerprint(hex), true);
    assert.equal(isSha256Fingerprint('AB:CD'), false);
    assert.equal(isSha256Fingerprint(`${hex}00`), false);
    assert.equal(isSha256Fingerprint('zz'.repeat(32)), false);
  });

  it('names the host for SNI and the certificate check (not an IP, no trailing dot)', () => {
    assert.equal(tlsConnectOptions('mx.example.com.', undefined).servername, 'mx.example.com');
    assert.equal(tlsConnectOptions('127.0.0.1', undefined).servername, undefined);
  });

  it('makes OpenSSL messages one line', () => {
    assert.equal(oneLine('error:0A00010B:SSL routines::wrong version number:ssl3_record.c:354:\n'), 'error:0A00010B:SSL routines::wrong version number:ssl3_record.c:354:');
    assert.equal(oneLine('a\r\n  b\nc'), 'a b c');
  });
});
