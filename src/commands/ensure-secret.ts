/**
 * What a profile needs before its session: for a password profile the password, stored or asked
 * for once and stored; for an OAuth 2.0 profile a sign-in, run first when there is none (asking
 * "Sign in …?" unless the user just chose "Sign In Again"). The session then takes its access
 * tokens from `services.signIn.tokenSource(profile, …)`, refreshed as they expire.
 */
import { profileUsesOAuth } from '../core/oauth/profile-oauth';
import { profileNeedsSecret } from '../core/send';
import type { SmtpProfile } from '../core/profiles';
import { askPassword } from '../host/password-prompt';
import type { Services } from './services';
import { ensureSignedIn } from './sign-in';

export type SecretChoice = { readonly secret: string | undefined } | { readonly cancelled: true };

/** `askAgain`: the server refused the password (or the sign-in): ask (or sign in) again instead of using what is stored. */
export async function ensureSecret(services: Services, profile: SmtpProfile, askAgain = false): Promise<SecretChoice> {
  if (profileUsesOAuth(profile)) return (await ensureSignedIn(services, profile, askAgain)) ? { secret: undefined } : { cancelled: true };
  if (!profileNeedsSecret(profile)) return { secret: undefined };
  const { passwords } = services;
  if (!askAgain) {
    const stored = await passwords.get(profile);
    if (stored !== undefined) return { secret: stored };
  }
  const entered = await askPassword(profile, askAgain);
  if (entered === undefined) return { cancelled: true };
  await passwords.store(profile, entered);
  return { secret: entered };
}
