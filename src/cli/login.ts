/**
 * `send-as-email login` and `logout`: sign a profile in with OAuth 2.0 (authorization code +
 * PKCE through a loopback redirect, core/oauth/loopback.ts) and keep the grant in the keyring
 * or the sign-in file (grant-store.ts); or forget it. The authorization URL is printed on standard output on a
 * line of its own (and opened in a browser when one is available), so it can be copied to a
 * browser on another machine only if that machine can reach this one's 127.0.0.1 — which is
 * why RFC 8252 loopback redirects are meant for a browser on the same machine.
 */
import { ConfigError } from '../core/errors';
import { authorizeWithLoopback } from '../core/oauth/loopback';
import { SignInError } from '../core/oauth/errors';
import { grantKeyFor } from '../core/oauth/grant-key';
import { profileUsesOAuth } from '../core/oauth/profile-oauth';
import { endpointsFor } from '../core/oauth/providers';
import type { OAuthSettings } from '../core/oauth/types';
import type { SmtpProfile } from '../core/profiles';
import { localized } from '../core/text';
import { openBrowser } from './browser';
import { loadConfig, pickProfile } from './config';
import { chooseGrantStore } from './grant-store';

export interface LoginIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

/** The command line's --profile and --config (absent when not given). */
export interface LoginOptions {
  readonly profile?: string | undefined;
  readonly config?: string | undefined;
}

async function oauthProfile(options: LoginOptions, onProfile: (profile: SmtpProfile) => void): Promise<SmtpProfile & { readonly oauth: OAuthSettings }> {
  const profile = pickProfile(await loadConfig(options.config), options.profile);
  onProfile(profile);
  if (!profileUsesOAuth(profile) || profile.oauth === undefined) {
    throw new ConfigError(localized('Profile "{0}" does not sign in with OAuth 2.0: give it a "username", "auth": "oauth2" and an "oauth" object.', profile.name));
  }
  return { ...profile, oauth: profile.oauth };
}

export async function commandLogin(options: LoginOptions, io: LoginIo, onProfile: (profile: SmtpProfile) => void): Promise<number> {
  const profile = await oauthProfile(options, onProfile);
  const { oauth } = profile;
  if (oauth.tokenCommand !== undefined) {
    throw new SignInError('unsupported', localized('Profile "{0}" gets its tokens from its tokenCommand; sign in with that program instead.', profile.name), profile.name);
  }
  if (oauth.clientId === undefined) {
    throw new SignInError('unsupported', localized('Profile "{0}" needs "oauth.clientId" (the application id of your app registration) to sign in here.', profile.name), profile.name);
  }
  const grant = await authorizeWithLoopback(
    {
      endpoints: endpointsFor(oauth, profile.name),
      clientId: oauth.clientId,
      clientSecret: oauth.clientSecret,
      signal: undefined,
      openBrowser: async (url) => {
        io.err(`To sign in profile "${profile.name}" (${profile.username ?? ''}), open this address in a browser on this machine:`);
        io.out(url);
        const opened = await openBrowser(url);
        io.err(opened ? 'A browser was opened; waiting for the sign-in to finish…' : 'Waiting for the sign-in to finish…');
      },
    },
    profile.name,
  );
  const store = await chooseGrantStore();
  await store.put(await grantKeyFor(profile), grant);
  io.out(`Signed in: profile "${profile.name}" (${profile.username ?? ''} at ${profile.host}); stored in ${store.description}`);
  if (grant.refreshToken === undefined) {
    io.err('The server granted no refresh token: sign in again when the access token expires (for Microsoft, include the offline_access scope).');
  }
  return 0;
}

export async function commandLogout(options: LoginOptions, io: LoginIo, onProfile: (profile: SmtpProfile) => void): Promise<number> {
  const profile = await oauthProfile(options, onProfile);
  const store = await chooseGrantStore();
  const key = await grantKeyFor(profile);
  const had = (await store.get(key)) !== undefined;
  await store.delete(key);
  io.out(had ? `Signed out: profile "${profile.name}"; its tokens were removed from ${store.description}` : `Profile "${profile.name}" was not signed in.`);
  return 0;
}
