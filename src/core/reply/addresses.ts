/**
 * Who a reply goes to (RFC 5322 3.6.2–3.6.3): the original Reply-To if it has one, else its
 * From; "Reply All" also keeps the original To and Cc, without the sender's own addresses (the
 * user does not write to themselves) and without anyone named twice.
 */
import type { Address } from '../draft/types';

export interface ReplyRecipients {
  readonly to: readonly Address[];
  readonly cc: readonly Address[];
}

export interface RecipientSource {
  readonly from: readonly Address[];
  readonly replyTo: readonly Address[];
  readonly to: readonly Address[];
  readonly cc: readonly Address[];
}

/** Addresses compare without case: a reply draft is for people to read, and a user types either. */
function key(address: Address): string {
  return address.address.trim().toLowerCase();
}

/** `list` without the addresses in `without` and without repeats, first spelling kept. */
export function addressesMinus(list: readonly Address[], without: Iterable<string>): Address[] {
  const seen = new Set<string>([...without].map((address) => address.trim().toLowerCase()));
  const kept: Address[] = [];
  for (const address of list) {
    const k = key(address);
    if (k === '' || seen.has(k)) continue;
    seen.add(k);
    kept.push(address);
  }
  return kept;
}

export function replyRecipients(original: RecipientSource, all: boolean, self: readonly string[]): ReplyRecipients {
  const direct = original.replyTo.length > 0 ? original.replyTo : original.from;
  // The one replied to stays even if it is the user (a reply to one's own sent message).
  const to = addressesMinus(direct, []);
  if (!all) return { to, cc: [] };
  const withTo = addressesMinus([...to, ...addressesMinus(original.to, self)], []);
  const cc = addressesMinus(original.cc, [...self, ...withTo.map(key)]);
  return { to: withTo, cc };
}

/** The user's own addresses as a profile knows them: its `from`, and a username that is an address. */
export function ownAddresses(profile: { readonly from?: string | undefined; readonly username?: string | undefined } | undefined): string[] {
  const own: string[] = [];
  const from = profile?.from;
  if (from !== undefined) {
    // `Name <addr>` or a bare address; the angle brackets hold the address when present.
    own.push(/<([^<>]+)>\s*$/.exec(from)?.[1] ?? from);
  }
  if (profile?.username?.includes('@') === true) own.push(profile.username);
  return own.map((address) => address.trim().toLowerCase());
}
