/** One error of every kind in the application error family, for table tests of explainError. */
import { ConfigError, DraftError, SetupError, UsageError } from '../../../src/core/errors';
import type { SetupReason } from '../../../src/core/errors';
import { ComposeError } from '../../../src/core/mime/errors';
import {
  SmtpAbortError,
  SmtpArgumentError,
  SmtpAuthError,
  SmtpConnectionError,
  SmtpProtocolError,
  SmtpRecipientsError,
  SmtpReplyError,
  SmtpTimeoutError,
  SmtpTlsError,
  SmtpUnsupportedError,
} from '../../../src/core/smtp/errors';
import { localized } from '../../../src/core/text';

const text = localized('something failed');

export function everyKind(): Array<[string, unknown]> {
  return [
    ['draft', new DraftError(localized('The draft has 1 error.'), [{}])],
    ['config', new ConfigError(localized('No profile "x".'))],
    ['usage', new UsageError(localized('no command given'))],
    ...(['no-sender', 'invalid-sender', 'ca-unreadable', 'no-password', 'untrusted'] as SetupReason[]).map((reason): [string, unknown] => [`setup ${reason}`, new SetupError(reason, text)]),
    ...(['invalid-address', 'invalid-header', 'file-unreadable', 'file-changed', 'boundary-collision'] as const).map((reason): [string, unknown] => [`compose ${reason}`, new ComposeError(reason, text, '/tmp/a.pdf')]),
    ['connection', new SmtpConnectionError({ stage: 'connect', errno: 'ECONNREFUSED', text })],
    ['tls', new SmtpTlsError({ stage: 'tls', tlsCode: 'DEPTH_ZERO_SELF_SIGNED_CERT', text })],
    ['tls pin', new SmtpTlsError({ stage: 'tls', tlsCode: 'FINGERPRINT_MISMATCH', text })],
    ['protocol', new SmtpProtocolError({ stage: 'ehlo', text })],
    ['reply', new SmtpReplyError({ stage: 'data', command: 'DATA', reply: { code: 554, lines: ['no'] }, text })],
    ['auth', new SmtpAuthError({ stage: 'auth', mechanism: 'PLAIN', reply: { code: 535, lines: ['no'] }, text })],
    ['auth not attempted', new SmtpAuthError({ stage: 'auth', text })],
    ['recipients', new SmtpRecipientsError({ text, accepted: [], refused: [{ address: 'a@b.example', reply: { code: 550, lines: ['no'] } }] })],
    ['unsupported', new SmtpUnsupportedError({ stage: 'ehlo', feature: 'STARTTLS', text })],
    ['timeout', new SmtpTimeoutError({ stage: 'greeting', timeoutMs: 15000, text })],
    ['aborted', new SmtpAbortError({ stage: 'data', text })],
    ['argument', new SmtpArgumentError({ stage: 'mail', text })],
  ];
}

