/**
 * What to do after a SignInError, for explain.ts: the CLI names `send-as-email login`, the
 * extension its "Sign In to SMTP Profile…" command (its notification adds "Sign In Again").
 */
import type { Translate } from '../text';
import type { SignInError } from './errors';

/**
 * The server refused a fresh access token (it was already renewed once): not a password problem.
 * The usual causes: the wrong scope, an account other than `username`, a tenant policy that
 * blocks SMTP AUTH (Microsoft's 535 5.7.139).
 */
export function tokenRefusedAdvice(profileName: string, cli: boolean, t: Translate): string {
  return cli
    ? t('The server refused the access token: check that the app has the SMTP scope, that "username" is the account that signed in, and that the tenant allows SMTP AUTH; then send-as-email login --profile {0}.', profileName)
    : t('The server refused the access token: check that the app has the SMTP scope, that "username" is the account that signed in, and that the tenant allows SMTP AUTH; then sign in again.');
}

export function signInAdvice(error: SignInError, cli: boolean, t: Translate): string {
  const name = error.profileName ?? 'NAME';
  const signInAgain = cli ? t('Sign in again: send-as-email login --profile {0}', name) : t('Sign in again with "Sign In to SMTP Profile…".');
  switch (error.reason) {
    case 'not-signed-in':
    case 'refused':
      return signInAgain;
    case 'denied':
      // Microsoft: AADSTS65001 (consent), AADSTS50020/53003 (tenant or conditional access);
      // Google: access_denied for a user not on the consent screen's test users.
      return t('The account or its administrator did not allow this application: check the consent, the scopes and the tenant policy (README, "Signing in with Microsoft or Google").');
    case 'token-endpoint':
      return t('Check the client id, client secret and endpoints in the profile\'s "oauth" object, and the network.');
    case 'redirect':
      return t('Open the address shown in a browser on this machine and finish the sign-in there.');
    case 'token-command':
      return t('Run the profile\'s tokenCommand in a terminal to see what it needs (often a sign-in of its own).');
    case 'unsupported':
      return t('See README, "Signing in with Microsoft or Google", for what each provider needs.');
  }
}
