/**
 * AUTH with an access token, refreshed once when the server refuses it: an access token can be
 * revoked or expire early, and the server's verdict (RFC 7628 3.2.2's error, then 535) is the
 * only sure sign. A second refusal is final (wrong scope, consent missing, a policy).
 */
import type { SmtpClient } from '../smtp';
import { SmtpAuthError } from '../smtp/errors';
import type { AuthMechanism } from '../smtp/types';
import { localized } from '../text';
import type { OAuthProfile } from './access-token';
import { SignInError } from './errors';
import { profileUsesOAuth } from './profile-oauth';
import type { TokenSource } from './types';

/** Whether a refusal may be cured by a new token: a 5xx verdict on the credentials, not 421 or a 4xx. */
function tokenRefused(error: unknown): boolean {
  return error instanceof SmtpAuthError && error.reply !== undefined && !error.transient && error.reply.code !== 421;
}

export async function authenticateWithToken(
  client: SmtpClient,
  username: string,
  mechanism: AuthMechanism | 'auto',
  source: TokenSource,
  firstToken: Promise<string>,
): Promise<AuthMechanism> {
  try {
    return await client.authenticate({ username, accessToken: await firstToken, mechanism });
  } catch (error) {
    if (!tokenRefused(error)) throw error;
  }
  return client.authenticate({ username, accessToken: await source.accessToken(true), mechanism });
}

/** A session's plan for AUTH with tokens: the first token is already on its way. */
export interface TokenAuth {
  authenticate(client: SmtpClient): Promise<AuthMechanism>;
}

const FORCED: Readonly<Record<string, AuthMechanism>> = { xoauth2: 'XOAUTH2', oauthbearer: 'OAUTHBEARER' };

/**
 * For a profile whose tokens come from core/oauth: starts getting the first token now (while
 * the connection opens) and returns how to authenticate; undefined for any other profile.
 * `auth: "oauth2"` lets the client prefer OAUTHBEARER; "xoauth2" / "oauthbearer" force one.
 * @throws SignInError `not-signed-in` when no token source was given.
 */
export function tokenAuthFor(profile: OAuthProfile & { readonly auth: string }, source: TokenSource | undefined): TokenAuth | undefined {
  if (!profileUsesOAuth(profile) || profile.username === undefined) return undefined;
  if (source === undefined) {
    throw new SignInError('not-signed-in', localized('Profile "{0}" is not signed in.', profile.name), profile.name);
  }
  const { username } = profile;
  const first = source.accessToken(false);
  // Whoever authenticates sees a failure; until then it must not count as unhandled.
  first.catch(() => undefined);
  const mechanism = FORCED[profile.auth] ?? 'auto';
  return { authenticate: (client) => authenticateWithToken(client, username, mechanism, source, first) };
}
