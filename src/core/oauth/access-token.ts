/**
 * Where a send gets its access token: the profile's tokenCommand, or the stored grant, refreshed
 * first when it has expired or is about to (within a minute by default), and refreshed again
 * when the server has just refused it. A refused refresh (`invalid_grant`) removes the dead
 * grant and ends with a SignInError whose advice is to sign in again.
 */
import type { SmtpProfile } from '../profiles';
import { localized } from '../text';
import { SignInError } from './errors';
import { grantKeyFor } from './grant-key';
import { endpointsFor } from './providers';
import { refreshGrant } from './refresh';
import { runTokenCommand } from './token-command';
import type { AccessTokenOptions, GrantStore, OAuthSettings, TokenGrant, TokenSource } from './types';

const DEFAULT_MIN_VALIDITY_MS = 60_000;

/** The profile fields token handling reads. */
export type OAuthProfile = Pick<SmtpProfile, 'name' | 'host' | 'port' | 'security' | 'username' | 'allowPlaintextAuth' | 'tls'> & {
  readonly oauth?: OAuthSettings | undefined;
};

function settingsOf(profile: OAuthProfile): OAuthSettings {
  if (profile.oauth === undefined) {
    throw new SignInError('unsupported', localized('Profile "{0}" does not sign in with OAuth 2.0 ("auth": "oauth2").', profile.name), profile.name);
  }
  return profile.oauth;
}

/**
 * Whether the grant's access token is still good for a while: `minValidityMs`, or half its
 * lifetime when that is shorter. No expiry known: assumed good (the server's refusal then
 * triggers the refresh).
 */
export function grantIsFresh(grant: TokenGrant, now: number, minValidityMs: number = DEFAULT_MIN_VALIDITY_MS): boolean {
  if (grant.expiresAt === undefined) return true;
  const margin = Math.min(minValidityMs, (grant.expiresAt - grant.issuedAt) / 2);
  return grant.expiresAt - now > margin;
}

/**
 * The stored grant, if it was issued to this profile's client by this profile's token endpoint.
 * A grant for another endpoint is not used (its refresh token never goes anywhere else).
 */
export async function storedGrant(profile: OAuthProfile, store: GrantStore): Promise<{ readonly key: string; readonly grant: TokenGrant | undefined }> {
  const oauth = settingsOf(profile);
  const key = await grantKeyFor(profile);
  const grant = await store.get(key);
  const endpoints = endpointsFor(oauth, profile.name);
  const matches = grant !== undefined && grant.tokenUrl === endpoints.tokenUrl && grant.clientId === oauth.clientId;
  return { key, grant: matches ? grant : undefined };
}

function notSignedIn(profile: OAuthProfile): SignInError {
  return new SignInError('not-signed-in', localized('Profile "{0}" is not signed in.', profile.name), profile.name);
}

/**
 * A usable access token for the profile. `afterRefusal`: the server refused the last one, so a
 * new one is obtained whatever its expiry says.
 * @throws SignInError.
 */
export async function accessTokenFor(profile: OAuthProfile, store: GrantStore, options: AccessTokenOptions, afterRefusal = false): Promise<string> {
  const oauth = settingsOf(profile);
  const who = `${profile.username ?? ''}@${profile.host}`;
  if (oauth.tokenCommand !== undefined) {
    options.log?.(`running the token command for ${who}`);
    return runTokenCommand(oauth.tokenCommand, profile.name, { signal: options.signal });
  }
  const { key, grant } = await storedGrant(profile, store);
  if (grant === undefined) throw notSignedIn(profile);
  const now = (options.now ?? Date.now)();
  if (!afterRefusal && grantIsFresh(grant, now, options.minValidityMs)) return grant.accessToken;
  options.log?.(`refreshing the access token for ${who}`);
  try {
    const refreshed = await refreshGrant(grant, { clientSecret: oauth.clientSecret, signal: options.signal, now: options.now }, profile.name);
    await store.put(key, refreshed);
    return refreshed.accessToken;
  } catch (error) {
    // A refresh token the server refused is dead: keep nothing that looks like a sign-in.
    if (error instanceof SignInError && error.reason === 'refused') await store.delete(key);
    throw error;
  }
}

/** The TokenSource a session uses for an OAuth profile (send.ts). */
export function tokenSourceFor(profile: OAuthProfile, store: GrantStore, options: AccessTokenOptions): TokenSource {
  return { accessToken: (afterRefusal) => accessTokenFor(profile, store, options, afterRefusal) };
}
