/**
 * The profile a draft would be sent with, without asking: the one it names, else the default,
 * else the only one (the order of the send flow's choice). Undefined where sending would ask.
 */
import type { ProfileSettings } from '../../profile-settings';
import type { SmtpProfile } from '../../profiles';

export function effectiveProfileName(settings: ProfileSettings, written: string | undefined): string | undefined {
  const named = written ?? settings.defaultProfile;
  if (named !== undefined) return named;
  const all = [...settings.profiles.keys()];
  return all.length === 1 ? all[0] : undefined;
}

export function effectiveProfile(settings: ProfileSettings, written: string | undefined): SmtpProfile | undefined {
  const name = effectiveProfileName(settings, written);
  return name === undefined ? undefined : settings.profiles.get(name);
}
