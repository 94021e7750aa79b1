/** One error of every kind in the application error family, for table tests of explainError and exitCodeFor. */
import { ConfigError, DraftError, SetupError, UsageError } from '../../../src/core/errors';
import type { SetupReason } from '../../../src/core/errors';
import { ComposeError } from '../../../src/core/mime/errors';
import * as smtp from '../../../src/core/smtp/errors';
import { localized } from '../../../src/core/text';

const text = localized('something failed');

export function everyKind(): Array<[string, unknown]> {
  return [
    ['draft', new DraftError(localized('The draft has 1 error.'), [{}])],
    ['config', new ConfigError(localized('No profile "x".'))],
    ['usage', new UsageError(localized('no command given'))],
    ...(['no-sender', 'invalid-sender', 'ca-unreadable', 'no-password', 'untrusted'] as SetupReason[]).map((reason): [string, unknown] => [`setup ${reason}`, new SetupError(reason, text)]),
    ...(['invalid-address', 'invalid-header', 'file-unreadable', 'file-changed', 'boundary-collision'] as const).map((reason): [string, unknown] => [`compose ${reason}`, new ComposeError(reason, text, '/tmp/a.pdf')]),
    ['connection', new smtp.SmtpConnectionError({ stage: 'connect', errno: 'ECONNREFUSED', text })],
    ['tls', new smtp.SmtpTlsError({ stage: 'tls', tlsCode: 'DEPTH_ZERO_SELF_SIGNED_CERT', text })],
    ['tls pin', new smtp.SmtpTlsError({ stage: 'tls', tlsCode: 'FINGERPRINT_MISMATCH', text })],
    ['protocol', new smtp.SmtpProtocolError({ stage: 'ehlo', text })],
    ['reply', new smtp.SmtpReplyError({ stage: 'data', command: 'DATA', reply: { code: 554, lines: ['no'] }, text })],
    ['auth', new smtp.SmtpAuthError({ stage: 'auth', mechanism: 'PLAIN', reply: { code: 535, lines: ['no'] }, text })],
    ['auth not attempted', new smtp.SmtpAuthError({ stage: 'auth', text })],
    ['recipients', new smtp.SmtpRecipientsError({ text, accepted: [], refused: [{ address: 'a@b.example', reply: { code: 550, lines: ['no'] } }] })],
    ['unsupported', new smtp.SmtpUnsupportedError({ stage: 'ehlo', feature: 'STARTTLS', text })],
    ['timeout', new smtp.SmtpTimeoutError({ stage: 'greeting', timeoutMs: 15000, text })],
    ['aborted', new smtp.SmtpAbortError({ stage: 'data', text })],
    ['argument', new smtp.SmtpArgumentError({ stage: 'mail', text })],
  ];
}

