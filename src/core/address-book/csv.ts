/**
 * Contacts from a CSV export (RFC 4180: quoted fields, doubled quotes, line breaks inside
 * quotes). The header row says which columns hold addresses and names, in the spellings Google
 * Contacts, Outlook and Thunderbird export ("E-mail 1 - Value", "E-mail Address", "Primary
 * Email", "First Name" + "Last Name", "Display Name", …). Without a recognisable header every
 * cell that is an address counts, named by the first cell of its row that is not one.
 */
import { mailboxFault } from '../mime/grammar';
import type { AddressBookEntry } from './entry';
import { makeEntry, uniqueEntries } from './entry';

export function parseCsvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  // Excel's "sep=;" first line, and semicolon-separated exports from locales with a decimal comma.
  const firstLine = source.split(/\r?\n/, 1)[0] ?? '';
  const separator = !firstLine.includes(',') && firstLine.includes(';') ? ';' : ',';
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (quoted) {
      if (ch === '"' && source[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === separator) {
      row.push(field);
      field = '';
    } else if (ch === '\r' || ch === '\n') {
      if (ch === '\r' && source[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((cells) => cells.some((cell) => cell.trim() !== ''));
}

const EMAIL_HEADER = /e-?mail|^address$/i;
const NAME_HEADER = /^(?:display ?name|full ?name|name|nickname)$/i;
const GIVEN_HEADER = /^(?:first ?name|given ?name)$/i;
const FAMILY_HEADER = /^(?:last ?name|family ?name|surname)$/i;

interface Columns {
  readonly emails: readonly number[];
  readonly name: number | undefined;
  readonly given: number | undefined;
  readonly family: number | undefined;
}

function columnsOf(header: readonly string[]): Columns | undefined {
  const find = (pattern: RegExp): number | undefined => {
    const index = header.findIndex((cell) => pattern.test(cell.trim()));
    return index < 0 ? undefined : index;
  };
  // "E-mail 1 - Type" holds "* Home", not an address: only value columns count.
  const emails = header.flatMap((cell, index) => (EMAIL_HEADER.test(cell) && !/type|label/i.test(cell) ? [index] : []));
  if (emails.length === 0) return undefined;
  return { emails, name: find(NAME_HEADER), given: find(GIVEN_HEADER), family: find(FAMILY_HEADER) };
}

const isAddress = (cell: string): boolean => mailboxFault(cell.trim()) === undefined;

function nameOf(row: readonly string[], columns: Columns): string | undefined {
  const at = (index: number | undefined): string => (index === undefined ? '' : (row[index] ?? '').trim());
  const full = at(columns.name);
  if (full !== '') return full;
  const joined = [at(columns.given), at(columns.family)].filter((part) => part !== '').join(' ');
  return joined === '' ? undefined : joined;
}

export function parseCsv(text: string): AddressBookEntry[] {
  const rows = parseCsvRows(text);
  const columns = columnsOf(rows[0] ?? []);
  const entries: AddressBookEntry[] = [];
  const add = (name: string | undefined, cell: string): void => {
    // Google puts several addresses in one cell: "a@example.com ::: b@example.com".
    for (const address of cell.split(':::')) {
      const entry = makeEntry(name, address);
      if (entry !== undefined) entries.push(entry);
    }
  };
  if (columns !== undefined) {
    for (const row of rows.slice(1)) for (const index of columns.emails) add(nameOf(row, columns), row[index] ?? '');
  } else {
    for (const row of rows) {
      const name = row.find((cell) => cell.trim() !== '' && !isAddress(cell));
      for (const cell of row) if (isAddress(cell)) add(name, cell);
    }
  }
  return uniqueEntries(entries);
}
