/**
 * The addresses this user has sent to, most recent first, for completion. Kept by the extension
 * in its global state (never in a workspace: a cloned repository must not learn them, nor plant
 * its own). Pure, so the merge rule is tested alone.
 */
import type { Address } from '../draft/types';
import type { AddressBookEntry } from './entry';
import { makeEntry } from './entry';
import { isRecord } from '../guards';

export interface RecentRecipient {
  readonly address: string;
  readonly name?: string;
  /** Milliseconds since the epoch of the last send to it. */
  readonly lastSent: number;
  readonly count: number;
}

/** Enough for everyone one writes to; the oldest fall off. */
export const MAX_RECENT_RECIPIENTS = 500;

/** What global state holds, checked: anything malformed (another version, a hand edit) is dropped. */
export function readRecent(stored: unknown): RecentRecipient[] {
  if (!Array.isArray(stored)) return [];
  return stored.flatMap((item: unknown) => {
    if (!isRecord(item) || typeof item['address'] !== 'string' || typeof item['lastSent'] !== 'number') return [];
    const entry = makeEntry(typeof item['name'] === 'string' ? item['name'] : undefined, item['address']);
    if (entry === undefined) return [];
    const count = typeof item['count'] === 'number' ? item['count'] : 1;
    return [{ ...entry, lastSent: item['lastSent'], count }];
  });
}

/** The list after a send to `sent` at `now`: those moved to the front, a newly given name kept. */
export function rememberRecipients(list: readonly RecentRecipient[], sent: readonly Address[], now: number): RecentRecipient[] {
  const byKey = new Map(list.map((entry) => [entry.address.toLowerCase(), entry]));
  for (const address of sent) {
    const entry = makeEntry(address.name, address.address);
    if (entry === undefined) continue;
    const key = entry.address.toLowerCase();
    const earlier = byKey.get(key);
    byKey.delete(key);
    const name = entry.name ?? earlier?.name;
    byKey.set(key, { address: entry.address, ...(name === undefined ? {} : { name }), lastSent: now, count: (earlier?.count ?? 0) + 1 });
  }
  return [...byKey.values()].sort((a, b) => b.lastSent - a.lastSent).slice(0, MAX_RECENT_RECIPIENTS);
}

export function recentEntries(list: readonly RecentRecipient[]): AddressBookEntry[] {
  return list.map((entry) => (entry.name === undefined ? { address: entry.address } : { name: entry.name, address: entry.address }));
}
