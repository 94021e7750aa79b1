/**
 * Builds the MAIL FROM and RCPT TO lines of one transaction from the envelope and what the
 * server announced, and refuses up front what the server cannot take (nothing is sent then).
 */
import { localized } from '../text';
import { SmtpUnsupportedError } from './errors';
import type { Envelope } from './types';

export interface TransactionLines {
  readonly mail: string;
  readonly rcpts: readonly string[];
}

/** RFC 3461 4: xtext, "+" and "=" and anything outside "!".."~" as "+XX". */
export function xtext(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    out += byte >= 0x21 && byte <= 0x7e && byte !== 0x2b && byte !== 0x3d ? String.fromCharCode(byte) : `+${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export function buildTransaction(envelope: Envelope, extensions: ReadonlyMap<string, string>): TransactionLines {
  const mailParams: string[] = [];
  const sizeParam = extensions.get('SIZE');
  if (envelope.size !== undefined && sizeParam !== undefined) {
    // RFC 1870 6: a limit of 0 (or none) means "no fixed maximum".
    const limit = Number.parseInt(sizeParam, 10);
    if (Number.isFinite(limit) && limit > 0 && envelope.size > limit) {
      throw new SmtpUnsupportedError({
        stage: 'mail',
        feature: 'SIZE',
        text: localized('The message ({0} bytes) is larger than the server accepts ({1} bytes)', envelope.size, limit),
      });
    }
    mailParams.push(`SIZE=${envelope.size}`);
  }
  if (envelope.eightBit === true) {
    if (!extensions.has('8BITMIME')) {
      throw new SmtpUnsupportedError({ stage: 'mail', feature: '8BITMIME', text: localized('The message has 8-bit content but the server does not offer 8BITMIME') });
    }
    mailParams.push('BODY=8BITMIME'); // RFC 6152 2.
  }
  if (envelope.smtpUtf8 === true) {
    if (!extensions.has('SMTPUTF8')) {
      throw new SmtpUnsupportedError({ stage: 'mail', feature: 'SMTPUTF8', text: localized('The message needs SMTPUTF8 but the server does not offer it') });
    }
    mailParams.push('SMTPUTF8'); // RFC 6531 3.4.
  }
  // DSN parameters only where the server takes them (RFC 3461 4.1); otherwise they are dropped.
  const dsn = extensions.has('DSN') ? envelope.dsn : undefined;
  if (dsn?.ret !== undefined) mailParams.push(`RET=${dsn.ret}`);
  if (dsn?.envelopeId !== undefined) mailParams.push(`ENVID=${xtext(dsn.envelopeId)}`);
  const notify = dsn?.notify === undefined ? undefined : dsn.notify === 'NEVER' ? 'NEVER' : dsn.notify.join(',');
  const rcptSuffix = notify === undefined || notify === '' ? '' : ` NOTIFY=${notify}`;
  return {
    mail: `MAIL FROM:<${envelope.from}>${mailParams.map((p) => ` ${p}`).join('')}`,
    rcpts: envelope.to.map((to) => `RCPT TO:<${to}>${rcptSuffix}`),
  };
}
