import assert from 'node:assert/strict';
import { defaultPort, normaliseProfile, presetForHost } from '../../../src/core/profiles';
import { renderText } from '../../../src/core/text';

const messages = (raw: unknown): string[] => normaliseProfile('x', raw).errors.map((e) => renderText(e));

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

  it('remembers which preset a profile came from, in lower case, for the features that keep per-preset data', () => {
    assert.equal(normaliseProfile('p', { preset: 'Fastmail', username: 'me@fastmail.com' }).profile?.preset, 'fastmail');
    assert.equal(normaliseProfile('p', { preset: 'yahoo' }).profile?.host, 'smtp.mail.yahoo.com');
    assert.equal(normaliseProfile('p', { host: 'mail.example.com' }).profile?.preset, undefined);
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
    const text = result.errors.map((e) => renderText(e)).join('\n');
    for (const part of ['"host" is required', '"security" must be one of', '"port" must be', '"auth" must be one of', 'allowSelfSigned']) {
      assert.match(text, new RegExp(part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    }
    // Sentences to translate (LocalizedText), each naming the profile.
    assert.ok(result.errors.every((e) => e.template.startsWith('profile "{0}"') && e.args[0] === 'work'));
  });

  it('refuses line breaks in strings that reach the wire', () => {
    const result = normaliseProfile('x', { host: 'smtp.example.com\r\nRCPT TO:<evil@x>' });
    assert.equal(result.profile, undefined);
    assert.match(result.errors.map((e) => renderText(e)).join(), /line breaks/);
  });

  it('rejects an unknown preset and non-object profiles', () => {
    assert.match(messages({ preset: 'aol' }).join(), /unknown preset "aol"/);
    assert.match(messages('smtp.example.com').join(), /must be an object/);
  });

  it('pins a SHA-256 fingerprint written with or without colons, and refuses anything else', () => {
    const colons = 'ab:'.repeat(31) + 'cd';
    assert.equal(normaliseProfile('p', { host: 'h', tls: { fingerprint: colons } }).profile?.tls.fingerprint, colons);
    assert.equal(normaliseProfile('p', { host: 'h', tls: { fingerprint: 'AB'.repeat(32) } }).profile?.tls.fingerprint, 'AB'.repeat(32));
    assert.equal(normaliseProfile('p', { host: 'h' }).profile?.tls.fingerprint, undefined);
    for (const bad of ['AB'.repeat(20), 'sha256:' + 'AB'.repeat(32), 'ZZ'.repeat(32), 42]) {
      const result = normaliseProfile('p', { host: 'h', tls: { fingerprint: bad } });
      assert.equal(result.profile, undefined, String(bad));
      assert.match(result.errors.map((e) => renderText(e)).join(), /tls\.fingerprint|"fingerprint" must be a string/);
    }
  });

  it('finds provider advice by host', () => {
    assert.match(presetForHost('SMTP.QQ.COM')?.passwordAdvice.template ?? '', /授权码/);
    assert.equal(presetForHost('mail.example.com'), undefined);
  });
});
