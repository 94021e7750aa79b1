/**
 * The retry of a kept copy, the same for both front ends: read the bytes, file them with the
 * profile's current IMAP settings, and drop the copy only once the server has accepted it.
 */
import type { SmtpProfile } from '../profiles';
import { dropPendingCopy, readPendingCopy } from './pending-copies';
import type { PendingCopy } from './pending-copies';
import { saveToSent } from './save-sent';
import type { SaveSentOptions } from './save-sent';
import { SaveSentError } from './errors';
import type { SavedCopy } from './types';
import { sentCopyPlan } from './plan';

export async function retryPendingCopy(copy: PendingCopy, profile: SmtpProfile, options: Omit<SaveSentOptions, 'profile' | 'imap' | 'folder'>): Promise<SavedCopy> {
  const settings = profile.sentCopy;
  // The user asked for this copy: a plan that would skip (auto on a provider that files its own)
  // still files it, as long as there is an IMAP server to file it on.
  const plan = sentCopyPlan(profile);
  const imap = plan.action === 'save' ? plan.imap : settings?.imap;
  if (imap === undefined) throw new SaveSentError('setup', `profile "${profile.name}" has no IMAP server`);
  const saved = await saveToSent(await readPendingCopy(copy), { ...options, profile, imap, folder: settings?.folder });
  await dropPendingCopy(copy);
  return saved;
}
