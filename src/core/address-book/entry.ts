/** One contact of an address book or of the remembered recipients: a mailbox and its display name. */
import { mailboxFault } from '../mime/grammar';
import { isFormatCharacter } from '../mime/grammar';
import type { Address } from '../draft/types';

export type AddressBookEntry = Address;

/**
 * An entry as completion may offer it, or undefined when the address is not one a draft would
 * accept (the same grammar the draft checker uses). Line breaks and invisible format characters
 * are removed from the name: completion inserts it into the front matter, where a line break
 * would start a new key.
 */
export function makeEntry(name: string | undefined, address: string): AddressBookEntry | undefined {
  const trimmed = address.trim();
  if (mailboxFault(trimmed) !== undefined) return undefined;
  const cleanName = [...(name ?? '')].filter((ch) => !isFormatCharacter(ch)).join('').replace(/[\s]+/g, ' ').trim();
  return cleanName === '' || cleanName === trimmed ? { address: trimmed } : { name: cleanName, address: trimmed };
}

/** Case-insensitive on the whole address: completion lists one entry per mailbox, the first found wins. */
export function uniqueEntries(entries: readonly AddressBookEntry[]): AddressBookEntry[] {
  const seen = new Set<string>();
  return entries.filter((entry) => {
    const key = entry.address.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
