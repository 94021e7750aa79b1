/**
 * What some providers do to a message sent through their SMTP submission server, keyed by the
 * preset name (SmtpProfile.preset). Custom hosts have no entry: their limits are unknown.
 */
import type { SmtpProfile } from '../../profiles';

/**
 * Recipients (To + Cc + Bcc) one message may have when sent over SMTP; more is refused.
 * - gmail: 100 — Google Workspace Admin Help, "Gmail sending limits in Google Workspace"
 *   (support.google.com/a/answer/166852): "Recipients per message sent via SMTP … 100".
 * - outlook: 500 — Microsoft Learn, "Exchange Online limits", Sending limits: recipient limit
 *   500 recipients per message.
 * - yahoo: 100 — Yahoo Help, "Sending limits in Yahoo Mail".
 * - icloud: 500 — Apple Support, "iCloud Mail limits": up to 500 recipients per message.
 * QQ, 163 and Fastmail publish no per-message figure we could confirm: no entry.
 */
export const RECIPIENTS_PER_MESSAGE: Readonly<Record<string, number>> = {
  gmail: 100,
  outlook: 500,
  yahoo: 100,
  icloud: 500,
};

/**
 * Gmail's SMTP server replaces a From address that is not the account's own or one of its
 * verified "Send mail as" aliases with the account's address (Gmail Help, "Send emails from a
 * different address or alias").
 */
export function rewritesFrom(profile: Pick<SmtpProfile, 'preset' | 'host'>): boolean {
  return profile.preset === 'gmail' || profile.host.toLowerCase() === 'smtp.gmail.com';
}
