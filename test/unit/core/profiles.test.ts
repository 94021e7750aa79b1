import assert from 'node:assert/strict';
import { defaultPort, normaliseProfile, presetForHost } from '../../../src/core/profiles';

describe('profiles', () => {
  it('fills a preset and lets given fields override it', () => {
    const { profile, errors } = normaliseProfile('p', { preset: 'gmail', username: 'me@gmail.com', port: 587, security: 'starttls' });
    assert.deepEqual(errors, []);
    assert.equal(profile?.host, 'smtp.gmail.com');
    assert.equal(profile?.port, 587);
    assert.equal(profile?.security, 'starttls');
    assert.equal(profile?.auth, 'auto');
    assert.equal(profile?.tls.allowSelfSigned, false);
  });

  it('infers security from a well-known port and the port from security', () => {
    assert.equal(normaliseProfile('a', { host: 'h', port: 465 }).profile?.security, 'tls');
    assert.equal(normaliseProfile('b', { host: 'h', port: 25 }).profile?.security, 'none');
    assert.equal(normaliseProfile('c', { host: 'h', port: 2525 }).profile?.security, 'starttls');
    assert.equal(normaliseProfile('d', { host: 'h', security: 'tls' }).profile?.port, 465);
    assert.equal(defaultPort('starttls'), 587);
  });

  it('says what is wrong, naming the profile, and returns no profile', () => {
    const result = normaliseProfile('work', { port: 70000, security: 'ssl', auth: 'kerberos', tls: { allowSelfSigned: 'yes' } });
    assert.equal(result.profile, undefined);
    const text = result.errors.join('\n');
    for (const part of ['"host" is required', '"security" must be one of', '"port" must be', '"auth" must be one of', 'allowSelfSigned']) {
      assert.match(text, new RegExp(part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    }
    assert.ok(result.errors.every((e) => e.startsWith('profile "work"')));
  });

  it('refuses line breaks in strings that reach the wire', () => {
    const result = normaliseProfile('x', { host: 'smtp.example.com\r\nRCPT TO:<evil@x>' });
    assert.equal(result.profile, undefined);
    assert.match(result.errors.join(), /line breaks/);
  });

  it('rejects an unknown preset and non-object profiles', () => {
    assert.match(normaliseProfile('x', { preset: 'aol' }).errors.join(), /unknown preset "aol"/);
    assert.match(normaliseProfile('x', 'smtp.example.com').errors.join(), /must be an object/);
  });

  it('finds provider advice by host', () => {
    assert.match(presetForHost('SMTP.QQ.COM')?.passwordAdvice ?? '', /授权码/);
    assert.equal(presetForHost('mail.example.com'), undefined);
  });
});
