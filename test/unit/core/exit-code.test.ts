import assert from 'node:assert/strict';
import { ConfigError, DraftError, SetupError, UsageError } from '../../../src/core/errors';
import { exitCodeFor } from '../../../src/core/exit-code';
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

const text = localized('x');

describe('exit status for every error (exitCodeFor)', () => {
  it('is 2 for input the user must change, nothing having been sent', () => {
    const input = [
      new DraftError(text),
      new ConfigError(text),
      new UsageError(text),
      new SetupError('no-password', text),
      new SetupError('ca-unreadable', text),
      // The client refused an argument before writing anything (CR/LF in an address).
      new SmtpArgumentError({ stage: 'mail', text }),
    ];
    for (const error of input) assert.equal(exitCodeFor(error), 2, error.kind);
  });

  it('is 1 when delivery or composing failed, or for anything unexpected; never 0', () => {
    const failures: unknown[] = [
      new ComposeError('file-unreadable', text, '/x'),
      new SmtpConnectionError({ stage: 'connect', errno: 'ECONNREFUSED', text }),
      new SmtpTlsError({ stage: 'tls', tlsCode: 'CERT_HAS_EXPIRED', text }),
      new SmtpProtocolError({ stage: 'data', text }),
      new SmtpReplyError({ stage: 'mail', command: 'MAIL FROM:<a@b>', reply: { code: 421, lines: [] }, text }),
      new SmtpAuthError({ stage: 'auth', text }),
      new SmtpRecipientsError({ text, accepted: [], refused: [] }),
      new SmtpUnsupportedError({ stage: 'mail', feature: 'SIZE', text }),
      new SmtpTimeoutError({ stage: 'greeting', timeoutMs: 1, text }),
      new SmtpAbortError({ stage: 'data', text }),
      new Error('EFBIG'),
      'a string',
      undefined,
    ];
    for (const error of failures) assert.equal(exitCodeFor(error), 1, String(error));
  });
});
