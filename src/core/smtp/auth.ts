/**
 * SASL mechanisms for SMTP AUTH (RFC 4954): PLAIN (RFC 4616), LOGIN (draft-murchison-sasl-login),
 * CRAM-MD5 (RFC 2195), OAUTHBEARER (RFC 7628) and XOAUTH2 (Google/Microsoft). Each mechanism produces both the line it
 * writes and the redacted line for the log, at the same place ("redact at the source"): the
 * credential never travels anywhere but the socket.
 */
import { createHmac } from 'node:crypto';
import { localized } from '../text';
import { isRecord } from '../guards';
import { SmtpAuthError, SmtpProtocolError, SmtpReplyError, SmtpUnsupportedError } from './errors';
import { formatReply } from './reply-text';
import { REDACTED } from './secrets';
import type { AuthMechanism, SmtpCredentials, SmtpReply } from './types';

/** Best first when the caller does not force one: with a token OAUTHBEARER > XOAUTH2, else CRAM-MD5 > PLAIN > LOGIN. */
const PASSWORD_MECHANISMS: readonly AuthMechanism[] = ['CRAM-MD5', 'PLAIN', 'LOGIN'];
/** The standard one first (RFC 7628); XOAUTH2 is its older, provider-defined sibling. */
const TOKEN_MECHANISMS: readonly AuthMechanism[] = ['OAUTHBEARER', 'XOAUTH2'];

function takesToken(mechanism: AuthMechanism): boolean {
  return TOKEN_MECHANISMS.includes(mechanism);
}

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

/**
 * RFC 5801 4: in a GS2 header's authzid, "=" and "," are written "=3D" and "=2C".
 * (The username has already been checked for CR, LF and NUL.)
 */
function gs2Name(username: string): string {
  return username.replace(/=/g, '=3D').replace(/,/g, '=2C');
}

/**
 * RFC 7628 3.1: gs2-header "n,a=" user "," then kvpairs separated by ^A — host, port and
 * "auth=Bearer " token — ending ^A^A; sent base64 as the initial response (RFC 4954).
 */
export function oauthBearerResponse(username: string, host: string, port: number, accessToken: string): string {
  return b64(`n,a=${gs2Name(username)},\u0001host=${host}\u0001port=${port}\u0001auth=Bearer ${accessToken}\u0001\u0001`);
}

/**
 * RFC 7628 3.2.3: after a failure the server sends its error as a 334 challenge (base64 JSON)
 * and waits; OAUTHBEARER answers with a single ^A ("AQ==" in base64), XOAUTH2 with an empty
 * line (Google's XOAUTH2 description). The server then sends the final 5xx.
 */
export function errorChallengeAnswer(mechanism: 'OAUTHBEARER' | 'XOAUTH2'): string {
  return mechanism === 'OAUTHBEARER' ? b64('\u0001') : '';
}

/**
 * What an RFC 7628 3.2.2 error challenge says, for the user: its `status` and `scope` (Google
 * names the scope the token lacked), as `status 400, scope https://mail.google.com/`. Only
 * short printable values are kept; undefined when the challenge is not such a JSON object.
 */
export function describeErrorChallenge(challengeBase64: string | undefined, accessToken: string): string | undefined {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(challengeBase64 ?? '', 'base64').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!isRecord(json)) return undefined;
  const parts = (['status', 'scope'] as const).flatMap((key) => {
    const value = json[key];
    // A server that echoes the token into its JSON does not get it shown.
    const shown = typeof value === 'string' && /^[\x21-\x7e ]{1,200}$/.test(value) && !value.includes(accessToken);
    return shown ? [`${key} ${value}`] : [];
  });
  return parts.length > 0 ? parts.join(', ') : undefined;
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
  if (credentials.accessToken !== undefined) {
    const found = TOKEN_MECHANISMS.find((m) => offered.has(m));
    if (found !== undefined) return found;
  }
  if (credentials.password !== undefined) {
    const found = PASSWORD_MECHANISMS.find((m) => offered.has(m));
    if (found !== undefined) return found;
  }
  if (credentials.password === undefined && credentials.accessToken === undefined) {
    throw new SmtpAuthError({ stage: 'auth', text: localized('No password or access token was given for AUTH') });
  }
  const wanted = credentials.password === undefined ? 'AUTH OAUTHBEARER or XOAUTH2' : 'AUTH';
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
  const missing = takesToken(mechanism) ? credentials.accessToken === undefined : credentials.password === undefined;
  if (missing) {
    throw new SmtpAuthError({
      stage: 'auth',
      mechanism,
      text:
        takesToken(mechanism)
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
  /** Where the client connected: OAUTHBEARER names them (RFC 7628 3.1). */
  readonly server: { readonly host: string; readonly port: number };
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
    case 'XOAUTH2':
    case 'OAUTHBEARER': {
      const token = credentials.accessToken ?? '';
      const { host, port } = exchange.server;
      const blob = mechanism === 'XOAUTH2' ? xoauth2Response(username, token) : oauthBearerResponse(username, host, port, token);
      // The blob is unique to this session (host, port); an echo may drop its padding.
      exchange.secret(blob);
      exchange.secret(blob.replace(/=+$/, ''));
      const reply = await exchange.step(`AUTH ${mechanism} ${blob}`, [235, 334], `AUTH ${mechanism} ${REDACTED}`);
      // A 334 here is the server's error (base64 JSON); answered as the mechanism says, the
      // server then gives the real reply code, which becomes the refusal, with what the JSON said.
      if (reply.code === 334) await answerErrorChallenge(mechanism, reply, token, exchange);
      return;
    }
  }
}

async function answerErrorChallenge(mechanism: 'OAUTHBEARER' | 'XOAUTH2', challenge: SmtpReply, token: string, exchange: AuthExchange): Promise<void> {
  const detail = describeErrorChallenge(challenge.lines[0], token);
  try {
    await exchange.step(errorChallengeAnswer(mechanism), [235]);
  } catch (error) {
    // 421 is the server closing down, not a verdict on the token (the client words that one).
    if (!(error instanceof SmtpReplyError) || error.reply.code === 421 || detail === undefined) throw error;
    throw new SmtpAuthError({
      stage: 'auth',
      mechanism,
      reply: error.reply,
      text: localized('AUTH {0} refused by server: {1} (the token was refused: {2})', mechanism, formatReply(error.reply), detail),
    });
  }
}
