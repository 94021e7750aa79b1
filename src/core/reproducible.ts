/**
 * Reproducible composition, for scripts that must compare what `--eml` wrote with what a send
 * delivered. Follows the reproducible-builds convention SOURCE_DATE_EPOCH: the Date header is
 * that instant, and the Message-ID and boundaries are derived from the draft and that instant
 * instead of random bytes. Two runs over the same draft and epoch give the same bytes.
 */
import { createHash } from 'node:crypto';
import type { ComposeDraftOptions } from './compose-draft';

/** Parses SOURCE_DATE_EPOCH (whole seconds since 1970); undefined when unset, an error when malformed. */
export function sourceDateEpoch(value: string | undefined): Date | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d{1,12}$/.test(value)) throw new Error(`SOURCE_DATE_EPOCH must be whole seconds since 1970, not "${value}"`);
  return new Date(Number(value) * 1000);
}

/** Date, Message-ID and boundaries fixed by `seed` (the draft text) and `date`. */
export function reproducibleIdentity(seed: string, date: Date, senderAddress: string): Required<Pick<ComposeDraftOptions, 'date' | 'messageId' | 'boundary'>> {
  const digest = (label: string): string => createHash('sha256').update(`${label}\0${date.getTime()}\0${seed}`).digest('hex');
  const domain = senderAddress.slice(senderAddress.lastIndexOf('@') + 1);
  const right = /^[A-Za-z0-9.-]+$/.test(domain) ? domain : 'send-as-email.invalid';
  return {
    date,
    messageId: `<${digest('message-id').slice(0, 32)}@${right}>`,
    // `=_sae_` as in mime/boundary.ts: a prefix neither quoted-printable nor base64 can produce.
    boundary: (depth: number) => `=_sae_${digest(`boundary-${depth}`).slice(0, 30)}`,
  };
}
