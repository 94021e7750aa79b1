/** Refreshing an access token (RFC 6749 6) with the grant's own endpoint and client. */
import { requestToken } from './token-endpoint';
import type { RefreshOptions, TokenGrant } from './types';
import { localized } from '../text';
import { SignInError } from './errors';

/**
 * A new grant from `grant`'s refresh token, sent only to the token endpoint that issued it.
 * The old refresh token is kept when the answer carries none.
 * @throws SignInError `not-signed-in` (no refresh token), `refused` (`invalid_grant`),
 *   `token-endpoint`.
 */
export async function refreshGrant(grant: TokenGrant, options: RefreshOptions, profileName?: string): Promise<TokenGrant> {
  if (grant.refreshToken === undefined) {
    throw new SignInError('not-signed-in', localized('The access token has expired and there is no refresh token; sign in again.'), profileName);
  }
  return requestToken({
    tokenUrl: grant.tokenUrl,
    clientId: grant.clientId,
    clientSecret: options.clientSecret,
    params: { grant_type: 'refresh_token', refresh_token: grant.refreshToken },
    profileName,
    signal: options.signal,
    now: options.now ?? Date.now,
    previousRefreshToken: grant.refreshToken,
  });
}
