/**
 * Which profile the Preview names, found as Send finds it (the draft's `profile:`, else
 * `sendAsEmail.defaultProfile`, else the only one) but without ever asking: when Send would
 * ask, or cannot use a profile, the Preview says so instead. Only the profile's settings are
 * read — no password, no connection.
 */
import type { ProfileSettings } from '../profile-settings';
import type { SmtpProfile } from '../profiles';
import { localized } from '../text';
import type { PreviewProfile } from './view-model';

export interface ProfileForPreview {
  /** The profile to take the sender from, if one is known. */
  readonly profile: SmtpProfile | undefined;
  readonly shown: PreviewProfile;
}

function shownProfile(profile: SmtpProfile): PreviewProfile {
  return { kind: 'profile', name: profile.name, host: profile.host, port: profile.port, security: profile.security, username: profile.username };
}

export function profileForPreview(settings: Pick<ProfileSettings, 'profiles' | 'errors' | 'hiddenByTrust' | 'defaultProfile'>, wanted: string | undefined): ProfileForPreview {
  const name = wanted ?? settings.defaultProfile;
  if (name !== undefined) {
    const profile = settings.profiles.get(name);
    if (profile !== undefined) return { profile, shown: shownProfile(profile) };
    const reason = settings.hiddenByTrust.includes(name)
      ? localized('Profile "{0}" is defined only in the settings of this untrusted workspace and is ignored.', name)
      : settings.errors.has(name)
        ? localized('Profile "{0}" cannot be used: see its settings.', name)
        : localized('There is no SMTP profile named "{0}".', name);
    return { profile: undefined, shown: { kind: 'none', reason } };
  }
  const all = [...settings.profiles.values()];
  const only = all.length === 1 ? all[0] : undefined;
  if (only !== undefined) return { profile: only, shown: shownProfile(only) };
  return {
    profile: undefined,
    shown: {
      kind: 'none',
      reason: all.length === 0 ? localized('No SMTP profile is set up yet; Send will offer to set one up.') : localized('No default profile: Send will ask which of the {0} profiles to use.', all.length),
    },
  };
}
