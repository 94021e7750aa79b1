/**
 * Whether a send is followed by a copy in the Sent folder, where to, and with which login.
 *
 * The login reuses the SMTP username and secret only when that cannot hand the secret to a
 * server the user did not choose for it: the same user, the profile's own TLS options, and an
 * IMAP host that is the SMTP host or the preset's IMAP host. Otherwise IMAP has its own secret,
 * under its own key (core/secret-key.ts applied to the IMAP endpoint): a workspace that keeps
 * the SMTP side of a profile but points `imap` elsewhere never receives the stored password.
 */
import type { SmtpProfile } from '../profiles';
import { IMAP_PRESETS } from './presets';
import type { ImapEndpoint } from './types';

export type SkipReason = 'never' | 'no-imap' | 'provider-files' | 'no-login';

export type SentCopyPlan =
  | { readonly action: 'skip'; readonly reason: SkipReason }
  | { readonly action: 'save'; readonly imap: ImapEndpoint; readonly folder: string | undefined };

export function sentCopyPlan(profile: SmtpProfile): SentCopyPlan {
  const settings = profile.sentCopy;
  if (settings === undefined || settings.mode === 'never') return { action: 'skip', reason: 'never' };
  const imap = settings.imap;
  // A custom host without `imap`: auto means never (`always` without one is a profile error).
  if (imap === undefined) return { action: 'skip', reason: 'no-imap' };
  if (settings.mode === 'auto' && profile.preset !== undefined && IMAP_PRESETS[profile.preset]?.filesSubmissions === true) {
    return { action: 'skip', reason: 'provider-files' };
  }
  if (imap.username === undefined && profile.username === undefined) return { action: 'skip', reason: 'no-login' };
  return { action: 'save', imap, folder: settings.folder };
}

/** Whether IMAP logs in with the SMTP username and secret (see the module comment). */
export function sharesSmtpSecret(profile: SmtpProfile, imap: ImapEndpoint): boolean {
  const sameUser = imap.username === undefined || imap.username === profile.username;
  const host = imap.host.toLowerCase();
  const presetHost = profile.preset === undefined ? undefined : IMAP_PRESETS[profile.preset]?.host;
  return sameUser && imap.tls === undefined && (host === profile.host.toLowerCase() || host === presetHost);
}

/**
 * The profile as the IMAP login sees it: the IMAP endpoint, user and TLS options in place of
 * the SMTP ones. Password stores key a secret by these fields (core/secret-key.ts), so an IMAP
 * secret is stored apart from the SMTP one, and prompts name the IMAP account.
 */
export function imapLoginProfile(profile: SmtpProfile, imap: ImapEndpoint): SmtpProfile {
  const username = imap.username ?? profile.username;
  return {
    ...profile,
    host: imap.host,
    port: imap.port,
    security: imap.security,
    ...(username === undefined ? {} : { username }),
    tls: imap.tls ?? profile.tls,
  };
}
