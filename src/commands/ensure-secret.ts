/** The secret a profile needs: stored, or asked for once and stored. */
import { profileNeedsSecret } from '../core/send';
import type { SmtpProfile } from '../core/profiles';
import { askPassword } from '../host/password-prompt';
import type { PasswordStore } from '../host/passwords';

export type SecretChoice = { readonly secret: string | undefined } | { readonly cancelled: true };

export async function ensureSecret(passwords: PasswordStore, profile: SmtpProfile, askAgain = false): Promise<SecretChoice> {
  if (!profileNeedsSecret(profile)) return { secret: undefined };
  if (!askAgain) {
    const stored = await passwords.get(profile);
    if (stored !== undefined) return { secret: stored };
  }
  const entered = await askPassword(profile, askAgain);
  if (entered === undefined) return { cancelled: true };
  await passwords.store(profile, entered);
  return { secret: entered };
}
