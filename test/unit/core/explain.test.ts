import assert from 'node:assert/strict';
import { explainError } from '../../../src/core/explain';
import { normaliseProfile } from '../../../src/core/profiles';
import type { SmtpProfile } from '../../../src/core/profiles';
import { SetupError } from '../../../src/core/errors';
import { localized } from '../../../src/core/text';
import { SmtpAuthError, SmtpRecipientsError, SmtpReplyError, SmtpTimeoutError, SmtpTlsError, SmtpUnsupportedError } from '../../../src/core/smtp/errors';

function profile(raw: Record<string, unknown>): SmtpProfile {
  const result = normaliseProfile('p', raw);
  assert.ok(result.profile, result.errors.join());
  return result.profile;
}

describe('explaining failures', () => {
  it('spots TLS on a STARTTLS port (wrong version number)', () => {
    const error = new SmtpTlsError({ stage: 'tls', code: 'ERR_SSL_WRONG_VERSION_NUMBER', message: 'wrong version number' });
    const e = explainError(error, profile({ host: 'smtp.example.com', port: 587, security: 'tls' }));
    assert.match(e.advice, /starttls/);
    assert.equal(e.category, 'delivery');
  });

  it('spots STARTTLS on port 465 (a timeout waiting for the greeting)', () => {
    const error = new SmtpTimeoutError({ stage: 'greeting', timeoutMs: 1000, message: 'no greeting' });
    assert.match(explainError(error, profile({ host: 'smtp.example.com', port: 465, security: 'starttls' })).advice, /"security": "tls"/);
  });

  it('gives provider advice for 535', () => {
    const error = new SmtpAuthError({ stage: 'auth', mechanism: 'PLAIN', message: 'refused', reply: { code: 535, enhancedCode: '5.7.8', lines: ['Username and Password not accepted'] } });
    const e = explainError(error, profile({ preset: 'gmail', username: 'me@gmail.com' }));
    assert.match(e.summary, /535 5\.7\.8 Username and Password not accepted/);
    assert.match(e.advice, /app password/);
    assert.match(explainError(error, profile({ preset: 'outlook', username: 'me@outlook.com' })).advice, /basic authentication/);
  });

  it('lists every refused recipient with its reply', () => {
    const error = new SmtpRecipientsError({
      message: 'refused',
      accepted: ['ok@example.com'],
      refused: [
        { address: 'a@example.com', reply: { code: 550, enhancedCode: '5.1.1', lines: ['No such user'] } },
        { address: 'b@example.com', reply: { code: 450, lines: ['Try later'] } },
      ],
    });
    const e = explainError(error);
    assert.match(e.summary, /a@example\.com \(550 5\.1\.1 No such user\); b@example\.com \(450 Try later\)/);
    assert.equal(error.transient, false);
  });

  it('explains a refused sender, a size limit, certificates and setup problems', () => {
    const sender = new SmtpReplyError({ stage: 'mail', command: 'MAIL FROM:<x@y>', message: 'no', reply: { code: 553, lines: ['not yours'] } });
    assert.match(explainError(sender).advice, /refused the sender/);
    const size = new SmtpUnsupportedError({ stage: 'mail', feature: 'SIZE', message: 'too big' });
    assert.match(explainError(size).advice, /larger than the server accepts/);
    const expired = new SmtpTlsError({ stage: 'tls', code: 'CERT_HAS_EXPIRED', message: 'expired' });
    assert.match(explainError(expired).advice, /expired/);
    const setup = explainError(new SetupError('no-sender', localized('No sender')));
    assert.equal(setup.category, 'input');
  });
});
