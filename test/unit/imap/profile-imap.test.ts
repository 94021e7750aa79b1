import assert from 'node:assert/strict';
import { imapLoginProfile, sentCopyPlan, sharesSmtpSecret } from '../../../src/core/imap/plan';
import { IMAP_PRESETS } from '../../../src/core/imap/presets';
import { normaliseProfile, PROVIDER_PRESETS } from '../../../src/core/profiles';
import type { SmtpProfile } from '../../../src/core/profiles';
import { secretKey } from '../../../src/core/secret-key';
import { renderText } from '../../../src/core/text';

function profile(raw: Record<string, unknown>): SmtpProfile {
  const result = normaliseProfile('p', raw);
  assert.deepEqual(result.errors.map((e) => renderText(e)), []);
  assert.ok(result.profile);
  return result.profile;
}

function errors(raw: Record<string, unknown>): string {
  return normaliseProfile('p', raw).errors.map((e) => renderText(e)).join('\n');
}

describe('Sent copy: profile keys and the plan', () => {
  it('has an IMAP entry for every provider preset', () => {
    assert.deepEqual(Object.keys(IMAP_PRESETS).sort(), Object.keys(PROVIDER_PRESETS).sort());
  });

  it('fills imap from the preset: iCloud on imap.mail.me.com:993 over TLS, filed by us', () => {
    const icloud = profile({ preset: 'icloud', username: 'me@icloud.com' });
    assert.deepEqual(icloud.sentCopy, { mode: 'auto', imap: { host: 'imap.mail.me.com', port: 993, security: 'tls' } });
    assert.equal(sentCopyPlan(icloud).action, 'save');
  });

  it('auto skips the providers that file SMTP submissions themselves; always files anyway', () => {
    for (const preset of ['gmail', 'outlook', '163']) {
      assert.deepEqual(sentCopyPlan(profile({ preset, username: 'me@example.com' })), { action: 'skip', reason: 'provider-files' }, preset);
      assert.equal(sentCopyPlan(profile({ preset, username: 'me@example.com', saveSent: 'always' })).action, 'save', preset);
    }
    for (const preset of ['qq', 'icloud', 'fastmail', 'yahoo']) assert.equal(sentCopyPlan(profile({ preset, username: 'me@example.com' })).action, 'save', preset);
  });

  it('a custom host without imap never files; with imap it does; never means never', () => {
    assert.equal(profile({ host: 'smtp.example.com', username: 'u' }).sentCopy, undefined);
    assert.deepEqual(sentCopyPlan(profile({ host: 'smtp.example.com', username: 'u' })), { action: 'skip', reason: 'never' });
    assert.deepEqual(sentCopyPlan(profile({ host: 'smtp.example.com', username: 'u', sentFolder: 'Sent' })), { action: 'skip', reason: 'no-imap' });
    const custom = profile({ host: 'smtp.example.com', username: 'u', imap: { host: 'imap.example.com' } });
    assert.deepEqual(sentCopyPlan(custom), { action: 'save', imap: { host: 'imap.example.com', port: 993, security: 'tls' }, folder: undefined });
    assert.deepEqual(sentCopyPlan(profile({ preset: 'icloud', username: 'u', saveSent: 'never' })), { action: 'skip', reason: 'never' });
    assert.deepEqual(sentCopyPlan(profile({ host: 'h', imap: { host: 'i' } })), { action: 'skip', reason: 'no-login' });
  });

  it('reads port and security from each other (993 TLS, 143 STARTTLS) and keeps sentFolder', () => {
    assert.deepEqual(profile({ host: 'h', imap: { host: 'i', port: 143 } }).sentCopy?.imap, { host: 'i', port: 143, security: 'starttls' });
    assert.deepEqual(profile({ host: 'h', imap: { host: 'i', security: 'starttls' } }).sentCopy?.imap, { host: 'i', port: 143, security: 'starttls' });
    assert.equal(profile({ host: 'h', imap: { host: 'i' }, sentFolder: 'Archive/Sent' }).sentCopy?.folder, 'Archive/Sent');
  });

  it('says what is wrong, naming the profile', () => {
    assert.match(errors({ host: 'h', saveSent: 'always' }), /"saveSent" is "always" but the profile has no "imap" server/);
    assert.match(errors({ host: 'h', saveSent: 'sometimes' }), /"saveSent" must be one of auto, always, never/);
    assert.match(errors({ host: 'h', imap: { port: 993 } }), /"imap.host" is required/);
    assert.match(errors({ host: 'h', imap: { host: 'i', port: 0 } }), /"imap.port" must be a whole number/);
    assert.match(errors({ host: 'h', imap: 'imap.example.com' }), /"imap" must be an object/);
    assert.match(errors({ host: 'h', imap: { host: 'i', tls: { fingerprint: 'abc' } } }), /"imap.tls.fingerprint" must be a SHA-256/);
    // Folder names and hosts reach IMAP command lines.
    assert.match(errors({ host: 'h', imap: { host: 'i' }, sentFolder: 'Sent\r\nA1 DELETE INBOX' }), /"sentFolder" must not contain line breaks/);
  });

  it('shares the SMTP secret only with the SMTP host or the preset\'s IMAP host, same user, same TLS options', () => {
    const gmail = profile({ preset: 'gmail', username: 'me@gmail.com', saveSent: 'always' });
    assert.equal(sharesSmtpSecret(gmail, { host: 'imap.gmail.com', port: 993, security: 'tls' }), true);
    const own = profile({ host: 'mail.example.com', username: 'me', imap: { host: 'mail.example.com' } });
    assert.equal(sharesSmtpSecret(own, { host: 'MAIL.example.com', port: 993, security: 'tls' }), true);
    // A workspace that keeps the SMTP side but points IMAP elsewhere does not get the password.
    assert.equal(sharesSmtpSecret(own, { host: 'collector.example.net', port: 993, security: 'tls' }), false);
    assert.equal(sharesSmtpSecret(own, { host: 'mail.example.com', port: 993, security: 'tls', username: 'other' }), false);
    assert.equal(sharesSmtpSecret(own, { host: 'mail.example.com', port: 993, security: 'tls', tls: { allowSelfSigned: true } }), false);
  });

  it('keys a separate IMAP secret by the IMAP endpoint, user and TLS options', () => {
    const smtp = profile({ host: 'smtp.example.com', username: 'me', imap: { host: 'imap.example.net', username: 'me2' } });
    const imap = smtp.sentCopy?.imap;
    assert.ok(imap);
    const login = imapLoginProfile(smtp, imap);
    assert.deepEqual([login.host, login.port, login.security, login.username], ['imap.example.net', 993, 'tls', 'me2']);
    assert.notEqual(secretKey(login, undefined), secretKey(smtp, undefined));
    assert.match(secretKey(login, undefined), /^smtp:me2@imap\.example\.net:993 tls$/);
  });
});
