/**
 * SASL mechanisms for SMTP AUTH (RFC 4954): PLAIN (RFC 4616), LOGIN (draft-murchison-sasl-login),
 * CRAM-MD5 (RFC 2195) and XOAUTH2 (Google/Microsoft). Each mechanism produces both the line it
 * writes and the redacted line for the log, at the same place ("redact at the source"): the
 * credential never travels anywhere but the socket.
 */
import { createHmac } from 'node:crypto';
import { localized } from '../text';
import { SmtpAuthError, SmtpProtocolError, SmtpUnsupportedError } from './errors';
import { REDACTED } from './secrets';
import type { AuthMechanism, SmtpCredentials, SmtpReply } from './types';

/** Best first when the caller does not force one (the contract: XOAUTH2 with a token, else CRAM-MD5 > PLAIN > LOGIN). */
const PASSWORD_MECHANISMS: readonly AuthMechanism[] = ['CRAM-MD5', 'PLAIN', 'LOGIN'];

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/** RFC 4616: message = [authzid] UTF8NUL authcid UTF8NUL passwd, sent base64 as the initial response. */
export function plainResponse(username: string, password: string): string {
  return b64(`\u0000${username}\u0000${password}`);
}

/** LOGIN sends the username and the password as two separate base64 answers. */
export function loginResponse(value: string): string {
  return b64(value);
}

/** RFC 2195: base64(username SP hex(HMAC-MD5(password, challenge))), the challenge arriving base64. */
export function cramMd5Response(username: string, password: string, challengeBase64: string): string {
  const challenge = Buffer.from(challengeBase64, 'base64');
  const digest = createHmac('md5', Buffer.from(password, 'utf8')).update(challenge).digest('hex');
  return b64(`${username} ${digest}`);
}

/** XOAUTH2: base64("user=" user ^A "auth=Bearer " token ^A ^A). */
export function xoauth2Response(username: string, accessToken: string): string {
  return b64(`user=${username}\u0001auth=Bearer ${accessToken}\u0001\u0001`);
}

/** Mechanisms named by the EHLO AUTH keyword, upper-cased. */
export function offeredMechanisms(authParams: string | undefined): ReadonlySet<string> {
  if (authParams === undefined) return new Set();
  return new Set(authParams.split(/[\s=]+/).filter((m) => m.length > 0).map((m) => m.toUpperCase()));
}

/** Picks the mechanism, or explains why none can be used. Nothing is sent. */
export function chooseMechanism(offered: ReadonlySet<string>, credentials: SmtpCredentials): AuthMechanism {
  const forced = credentials.mechanism === undefined || credentials.mechanism === 'auto' ? undefined : credentials.mechanism;
  if (forced !== undefined) {
    if (!offered.has(forced)) {
      throw new SmtpUnsupportedError({
        stage: 'auth',
        feature: `AUTH ${forced}`,
        text:
          offered.size === 0
            ? localized('The server does not offer AUTH {0} (it offers no AUTH mechanism)', forced)
            : localized('The server does not offer AUTH {0} (it offers: {1})', forced, [...offered].join(', ')),
      });
    }
    requireSecret(forced, credentials);
    return forced;
  }
  if (credentials.accessToken !== undefined && offered.has('XOAUTH2')) return 'XOAUTH2';
  if (credentials.password !== undefined) {
    const found = PASSWORD_MECHANISMS.find((m) => offered.has(m));
    if (found !== undefined) return found;
  }
  if (credentials.password === undefined && credentials.accessToken === undefined) {
    throw new SmtpAuthError({ stage: 'auth', text: localized('No password or access token was given for AUTH') });
  }
  const wanted = credentials.password === undefined ? 'AUTH XOAUTH2' : 'AUTH';
  throw new SmtpUnsupportedError({
    stage: 'auth',
    feature: wanted,
    text:
      offered.size === 0
        ? localized('The server does not offer AUTH')
        : localized('The server offers no usable AUTH mechanism (it offers: {0})', [...offered].join(', ')),
  });
}

function requireSecret(mechanism: AuthMechanism, credentials: SmtpCredentials): void {
  const missing = mechanism === 'XOAUTH2' ? credentials.accessToken === undefined : credentials.password === undefined;
  if (missing) {
    throw new SmtpAuthError({
      stage: 'auth',
      mechanism,
      text:
        mechanism === 'XOAUTH2'
          ? localized('AUTH {0} needs an access token, and none was given', mechanism)
          : localized('AUTH {0} needs a password, and none was given', mechanism),
    });
  }
}

/** What a mechanism may do on the wire; `line` is secret when `redacted` is given. */
export interface AuthExchange {
  /** Writes one line and reads the reply; throws SmtpReplyError unless the code is expected. */
  step(line: string, expected: readonly number[], redacted?: string): Promise<SmtpReply>;
  /**
   * Registers a string that must be scrubbed from anything the server echoes back. The
   * client registers every fixed form of the credentials (secrets.ts) before AUTH starts;
   * this is for forms made during the exchange (the CRAM-MD5 answer).
   */
  secret(value: string): void;
}

/** Runs the whole SASL exchange; resolves on 235, throws SmtpReplyError on a refusal. */
export async function runMechanism(mechanism: AuthMechanism, credentials: SmtpCredentials, exchange: AuthExchange): Promise<void> {
  const { username } = credentials;
  const password = credentials.password ?? '';
  switch (mechanism) {
    case 'PLAIN': {
      const blob = plainResponse(username, password);
      await exchange.step(`AUTH PLAIN ${blob}`, [235], `AUTH PLAIN ${REDACTED}`);
      return;
    }
    case 'LOGIN': {
      await exchange.step('AUTH LOGIN', [334]);
      await exchange.step(loginResponse(username), [334], REDACTED);
      await exchange.step(loginResponse(password), [235], REDACTED);
      return;
    }
    case 'CRAM-MD5': {
      const challenge = await exchange.step('AUTH CRAM-MD5', [334]);
      const challengeText = challenge.lines[0] ?? '';
      if (!/^[A-Za-z0-9+/]+=*$/.test(challengeText)) {
        // RFC 4954 4: "*" cancels the exchange; the server answers 501.
        await exchange.step('*', [501]).catch(() => undefined);
        throw new SmtpProtocolError({ stage: 'auth', text: localized('The CRAM-MD5 challenge is not base64') });
      }
      const response = cramMd5Response(username, password, challengeText);
      exchange.secret(response);
      await exchange.step(response, [235], REDACTED);
      return;
    }
    case 'XOAUTH2': {
      const token = credentials.accessToken ?? '';
      const blob = xoauth2Response(username, token);
      const reply = await exchange.step(`AUTH XOAUTH2 ${blob}`, [235, 334], `AUTH XOAUTH2 ${REDACTED}`);
      // On failure the server sends 334 with a base64 JSON error and waits for an empty line,
      // then gives the real error code (Google's XOAUTH2 protocol description).
      if (reply.code === 334) await exchange.step('', [235]);
      return;
    }
  }
}
