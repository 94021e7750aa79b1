import assert from 'node:assert/strict';
import { explainError } from '../../../src/core/explain';
import type { Audience } from '../../../src/core/explain';
import { ConfigError, SetupError } from '../../../src/core/errors';
import { ComposeError } from '../../../src/core/mime/errors';
import { normaliseProfile } from '../../../src/core/profiles';
import type { SmtpProfile } from '../../../src/core/profiles';
import {
  SmtpAuthError,
  SmtpRecipientsError,
  SmtpReplyError,
  SmtpTimeoutError,
  SmtpTlsError,
  SmtpUnsupportedError,
} from '../../../src/core/smtp/errors';
import { localized } from '../../../src/core/text';
import { everyKind } from './explain-cases';

function profile(raw: Record<string, unknown>): SmtpProfile {
  const result = normaliseProfile('p', raw);
  assert.ok(result.profile, JSON.stringify(result.errors));
  return result.profile;
}

const text = localized('something failed');
const cli = (error: unknown, p?: SmtpProfile): { summary: string; advice: string } => explainError(error, { profile: p, audience: 'cli' });
const ext = (error: unknown, p?: SmtpProfile): { summary: string; advice: string } => explainError(error, { profile: p, audience: 'extension' });

describe('explaining failures', () => {
  const starttls = profile({ host: 'smtp.example.com', port: 587, security: 'starttls', username: 'me@example.com' });

  it('spots TLS on a STARTTLS port (wrong version number)', () => {
    const error = new SmtpTlsError({ stage: 'tls', tlsCode: 'ERR_SSL_WRONG_VERSION_NUMBER', text: localized('wrong version number') });
    assert.match(cli(error, profile({ host: 'smtp.example.com', port: 587, security: 'tls' })).advice, /starttls/);
  });

  it('spots STARTTLS on port 465 (a timeout waiting for the greeting)', () => {
    const error = new SmtpTimeoutError({ stage: 'greeting', timeoutMs: 1000, text: localized('no greeting') });
    assert.match(cli(error, profile({ host: 'smtp.example.com', port: 465, security: 'starttls' })).advice, /"security": "tls"/);
  });

  // Issue 7.13: a starttls/none profile pointed at an implicit-TLS port other than 465 hears no greeting.
  it('suggests implicit TLS when a starttls or none profile hears no greeting, on any port', () => {
    const error = new SmtpTimeoutError({ stage: 'greeting', timeoutMs: 15000, text: localized('no greeting') });
    for (const security of ['starttls', 'none']) {
      const advice = cli(error, profile({ host: 'mail.example.com', port: 2465, security })).advice;
      assert.match(advice, /implicit TLS/, security);
      assert.match(advice, /"security": "tls"/, security);
    }
    assert.doesNotMatch(cli(error, profile({ host: 'mail.example.com', port: 2465, security: 'tls' })).advice, /implicit TLS/);
    const later = new SmtpTimeoutError({ stage: 'mail', timeoutMs: 1000, text: localized('slow') });
    assert.doesNotMatch(cli(later, starttls).advice, /implicit TLS/);
  });

  it('gives provider advice for 535', () => {
    const error = new SmtpAuthError({ stage: 'auth', mechanism: 'PLAIN', text, reply: { code: 535, enhancedCode: '5.7.8', lines: ['Username and Password not accepted'] } });
    const e = cli(error, profile({ preset: 'gmail', username: 'me@gmail.com' }));
    assert.match(e.summary, /535 5\.7\.8 Username and Password not accepted/);
    assert.match(e.advice, /app password/);
    assert.match(cli(error, profile({ preset: 'outlook', username: 'me@outlook.com' })).advice, /basic authentication/);
  });

  it('lists every refused recipient with its reply', () => {
    const error = new SmtpRecipientsError({
      text,
      accepted: ['ok@example.com'],
      refused: [
        { address: 'a@example.com', reply: { code: 550, enhancedCode: '5.1.1', lines: ['No such user'] } },
        { address: 'c@example.com', reply: { code: 553, lines: ['Bad'] } },
      ],
    });
    const e = cli(error);
    assert.match(e.summary, /Recipients refused: a@example\.com \(550 5\.1\.1 No such user\); c@example\.com \(553 Bad\)/);
    assert.match(e.advice, /Check the refused addresses/);
  });

  // Issue 7.13: 450/451 to RCPT is a temporary failure, not a refused address.
  it('explains 450 and 451 to RCPT as temporary: try again later', () => {
    for (const code of [450, 451, 452]) {
      const error = new SmtpRecipientsError({ text, accepted: [], refused: [{ address: 'bob@example.com', reply: { code, lines: ['Try later'] } }] });
      const e = cli(error);
      assert.doesNotMatch(e.summary, /refused/i, `${code}: ${e.summary}`);
      assert.match(e.summary, /bob@example\.com \(\d{3} Try later\)/);
      assert.match(e.advice, /try again later/i);
      assert.doesNotMatch(e.advice, /Check the refused addresses/);
    }
    const mixed = new SmtpRecipientsError({
      text,
      accepted: [],
      refused: [
        { address: 'gone@example.com', reply: { code: 550, lines: ['No such user'] } },
        { address: 'busy@example.com', reply: { code: 451, lines: ['Later'] } },
      ],
    });
    const e = cli(mixed);
    assert.match(e.summary, /refused: gone@example\.com/);
    assert.doesNotMatch(e.summary, /refused: [^;]*busy/);
    assert.match(e.summary, /temporary failure\): busy@example\.com/);
  });

  it('explains a 4xx to MAIL or DATA as temporary, not as a refused sender', () => {
    const mail = new SmtpReplyError({ stage: 'mail', command: 'MAIL FROM:<x@y>', text, reply: { code: 451, enhancedCode: '4.3.0', lines: ['Local error'] } });
    assert.match(cli(mail).advice, /temporary problem; try again later/);
    assert.doesNotMatch(cli(mail).advice, /refused the sender/);
  });

  // Issue 7.12: "421 Service not available, closing transmission channel" (RFC 5321 3.8).
  it('explains a 421 at any stage as the server closing the connection, never as a refusal', () => {
    const reply = { code: 421, enhancedCode: '4.7.0', lines: ['Try again later, closing connection'] };
    const errors = [
      new SmtpReplyError({ stage: 'greeting', command: '', text, reply }),
      new SmtpReplyError({ stage: 'ehlo', command: 'EHLO x', text, reply }),
      new SmtpReplyError({ stage: 'mail', command: 'MAIL FROM:<a@example.com>', text, reply }),
      new SmtpReplyError({ stage: 'data', command: 'DATA', text, reply }),
      new SmtpReplyError({ stage: 'message', command: '.', text, reply }),
      new SmtpAuthError({ stage: 'auth', mechanism: 'PLAIN', text, reply }),
      new SmtpRecipientsError({ text, accepted: [], refused: [{ address: 'bob@example.com', reply }] }),
    ];
    for (const error of errors) {
      for (const e of [cli(error, starttls), ext(error, starttls)]) {
        assert.match(e.advice, /the server is closing the connection \(temporarily unavailable\): try again later/i, error.stage);
        assert.doesNotMatch(`${e.summary} ${e.advice}`, /refused|password|username/i, `${error.stage}: ${e.summary} — ${e.advice}`);
        assert.match(e.summary, /421 4\.7\.0/);
      }
    }
  });

  it('names the stage once, in the summary', () => {
    const error = new SmtpReplyError({ stage: 'mail', command: 'MAIL FROM:<x@y>', text, reply: { code: 553, lines: ['not yours'] } });
    const e = cli(error);
    assert.equal(e.summary.match(/\(stage mail\)/g)?.length, 1, e.summary);
    assert.match(e.advice, /refused the sender/);
    const timeout = cli(new SmtpTimeoutError({ stage: 'rcpt', timeoutMs: 1, text: localized('no answer to RCPT') }));
    assert.equal(timeout.summary, 'no answer to RCPT (stage rcpt)');
  });

  it('explains a size limit, an expired certificate and a pin that does not match', () => {
    assert.match(cli(new SmtpUnsupportedError({ stage: 'mail', feature: 'SIZE', text })).advice, /larger than the server accepts/);
    assert.match(cli(new SmtpTlsError({ stage: 'tls', tlsCode: 'CERT_HAS_EXPIRED', text })).advice, /expired/);
    const pin = new SmtpTlsError({ stage: 'tls', tlsCode: 'FINGERPRINT_MISMATCH', text });
    assert.match(cli(pin).advice, /pinned in "tls\.fingerprint".*send-as-email test-profile/);
    assert.match(ext(pin).advice, /Test SMTP Profile…/);
  });

  it('offers pinning, not turning verification off, for a self-signed certificate', () => {
    const error = new SmtpTlsError({ stage: 'tls', tlsCode: 'SELF_SIGNED_CERT_IN_CHAIN', text });
    for (const e of [cli(error), ext(error)]) {
      assert.match(e.advice, /"fingerprint"/);
      assert.doesNotMatch(e.advice, /allowSelfSigned/);
    }
  });

  // Issue 8: an unreadable attachment exited 1 with no advice (explainError had no case for ComposeError).
  it('advises on an attachment that cannot be read while composing', () => {
    const error = new ComposeError('file-unreadable', localized('Cannot read the attachment ({0}): {1}', '/home/u/report.pdf', 'EACCES'), '/home/u/report.pdf');
    const e = cli(error);
    assert.equal(e.summary, 'Cannot read the attachment (/home/u/report.pdf): EACCES');
    assert.match(e.advice, /"\/home\/u\/report\.pdf" exists and can be read/);
  });

  it('explains every kind of the family with a summary, and all but cancellation with advice', () => {
    for (const audience of ['cli', 'extension'] as Audience[]) {
      for (const [name, error] of everyKind()) {
        const e = explainError(error, { profile: starttls, audience });
        assert.ok(e.summary.length > 0, `${audience} ${name}: no summary`);
        const quiet = name === 'aborted' || (audience === 'cli' && name === 'setup untrusted');
        assert.equal(e.advice === '', quiet, `${audience} ${name}: advice "${e.advice}"`);
      }
    }
  });

  // Issue 7.13: the CLI's advice must name CLI steps, never the extension's commands.
  it('gives the CLI its own steps and the extension its commands', () => {
    const extensionCommands = /Set SMTP Password|Test SMTP Profile|Problems view|sendAsEmail\.|Workspace Trust/;
    for (const [name, error] of everyKind()) {
      assert.doesNotMatch(cli(error, starttls).advice, extensionCommands, name);
      assert.doesNotMatch(ext(error, starttls).advice, /SEND_AS_EMAIL_PASSWORD|--profile|send-as-email |config file/, name);
    }
    const noPassword = new SetupError('no-password', localized('Profile "{0}" needs a password for {1}.', 'p', 'me'));
    assert.match(cli(noPassword).advice, /SEND_AS_EMAIL_PASSWORD/);
    assert.match(ext(noPassword).advice, /Set SMTP Password…/);
    const refused = new SmtpAuthError({ stage: 'auth', mechanism: 'LOGIN', text, reply: { code: 535, lines: ['no'] } });
    assert.match(cli(refused, starttls).advice, /SEND_AS_EMAIL_PASSWORD/);
    assert.match(ext(refused, starttls).advice, /Set SMTP Password…/);
    assert.match(cli(new ConfigError(localized('No profile "x".'))).advice, /--profile/);
  });

  it('shows anything else as its message, without advice', () => {
    assert.deepEqual(cli(new Error('EFBIG: file too large, write')), { summary: 'EFBIG: file too large, write', advice: '' });
    assert.deepEqual(cli('odd'), { summary: 'odd', advice: '' });
  });
});
