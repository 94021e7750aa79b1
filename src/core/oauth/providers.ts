/**
 * Each provider's endpoints and default scopes, and which provider a preset signs in with.
 * - Microsoft identity platform v2.0: `https://login.microsoftonline.com/{tenant}/oauth2/v2.0/…`,
 *   scope `https://outlook.office.com/SMTP.Send` plus `offline_access` for a refresh token.
 * - Google: `https://accounts.google.com/o/oauth2/v2/auth` and `https://oauth2.googleapis.com/token`,
 *   scope `https://mail.google.com/`; a refresh token only comes with `access_type=offline`, and
 *   again on a later sign-in only with `prompt=consent`.
 */
import { localized } from '../text';
import { SignInError } from './errors';
import type { OAuthEndpoints, OAuthProvider, OAuthSettings } from './types';

/** Per-preset sign-in provider (profiles.ts's presets, by key): Outlook → Microsoft; Gmail → Google. */
export const OAUTH_PRESETS: Readonly<Record<string, OAuthProvider>> = {
  outlook: 'microsoft',
  gmail: 'google',
};

export const MICROSOFT_SCOPES: readonly string[] = ['https://outlook.office.com/SMTP.Send', 'offline_access'];
export const GOOGLE_SCOPES: readonly string[] = ['https://mail.google.com/'];

/** Where the profile signs in. @throws SignInError `unsupported` when a custom endpoint is missing. */
export function endpointsFor(oauth: OAuthSettings, profileName: string | undefined): OAuthEndpoints {
  switch (oauth.provider) {
    case 'microsoft': {
      const base = `https://login.microsoftonline.com/${encodeURIComponent(oauth.tenant ?? 'common')}/oauth2/v2.0`;
      return { authorizeUrl: `${base}/authorize`, tokenUrl: `${base}/token`, scopes: oauth.scopes ?? MICROSOFT_SCOPES, extraAuthorizeParams: {}, redirectHost: 'localhost' };
    }
    case 'google':
      return {
        authorizeUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
        tokenUrl: 'https://oauth2.googleapis.com/token',
        scopes: oauth.scopes ?? GOOGLE_SCOPES,
        extraAuthorizeParams: { access_type: 'offline', prompt: 'consent' },
        redirectHost: '127.0.0.1',
      };
    case 'custom':
      if (oauth.authorizeUrl === undefined || oauth.tokenUrl === undefined) {
        throw new SignInError('unsupported', localized('Profile "{0}" needs "oauth.authorizeUrl" and "oauth.tokenUrl" to sign in.', profileName ?? ''), profileName);
      }
      return { authorizeUrl: oauth.authorizeUrl, tokenUrl: oauth.tokenUrl, scopes: oauth.scopes ?? [], extraAuthorizeParams: {}, redirectHost: '127.0.0.1' };
  }
}
