/**
 * Reads the address book file the user named (`sendAsEmail.addressBook`): a vCard (`.vcf`,
 * `.vcard`) or CSV file, told apart by its extension or, failing that, by a `BEGIN:VCARD` line.
 */
import { readFile, stat } from 'node:fs/promises';
import { errnoOf } from '../guards';
import { formatBytes } from '../byte-size';
import { localized } from '../text';
import type { LocalizedText } from '../text';
import { parseCsv } from './csv';
import type { AddressBookEntry } from './entry';
import { parseVcard } from './vcard';

/** Larger than any personal address book; a mistaken path to a huge file is not read into memory. */
export const MAX_ADDRESS_BOOK_BYTES = 16 * 1024 * 1024;

export type AddressBookResult =
  | { readonly ok: true; readonly entries: readonly AddressBookEntry[] }
  | { readonly ok: false; readonly problem: LocalizedText };

export function parseAddressBook(path: string, text: string): AddressBookEntry[] {
  const vcard = /\.(vcf|vcard)$/i.test(path) || (!/\.csv$/i.test(path) && /^BEGIN:VCARD/im.test(text));
  return vcard ? parseVcard(text) : parseCsv(text);
}

/** `path` must already be absolute (the host resolves `~` and relative paths). */
export async function loadAddressBook(path: string): Promise<AddressBookResult> {
  try {
    const info = await stat(path);
    if (!info.isFile()) return { ok: false, problem: localized('The address book {0} is not a file.', path) };
    if (info.size > MAX_ADDRESS_BOOK_BYTES) {
      return { ok: false, problem: localized('The address book {0} is larger than {1}; it was not read.', path, formatBytes(MAX_ADDRESS_BOOK_BYTES)) };
    }
    return { ok: true, entries: parseAddressBook(path, await readFile(path, 'utf8')) };
  } catch (error) {
    return { ok: false, problem: localized('Cannot read the address book {0}: {1}', path, errnoOf(error) ?? String(error)) };
  }
}
