/**
 * Contacts from a vCard file (RFC 6350 for 4.0; 3.0 and 2.1 as phones and mail clients still
 * export them): every EMAIL of every card, named by its FN (or, lacking one, its N).
 */
import type { AddressBookEntry } from './entry';
import { makeEntry, uniqueEntries } from './entry';

interface Property {
  /** Upper case, group prefix (`item1.`) removed. */
  readonly name: string;
  readonly params: readonly string[];
  readonly value: string;
}

/**
 * RFC 6350 3.2: a line break followed by a space or tab continues the previous line. vCard 2.1's
 * quoted-printable values continue with a soft break (`=` at the end of the line) instead.
 */
function unfold(text: string): string[] {
  const lines: string[] = [];
  for (const line of text.split(/\r\n|\r|\n/)) {
    const previous = lines[lines.length - 1];
    if (previous !== undefined && /^[ \t]/.test(line)) lines[lines.length - 1] = previous + line.slice(1);
    else if (previous !== undefined && /QUOTED-PRINTABLE/i.test(previous.split(':')[0] ?? '') && previous.endsWith('=')) lines[lines.length - 1] = previous.slice(0, -1) + line;
    else lines.push(line);
  }
  return lines;
}

function parseLine(line: string): Property | undefined {
  // The value starts at the first colon outside a quoted parameter value (RFC 6350 3.3).
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === '"') quoted = !quoted;
    else if (ch === ':' && !quoted) {
      const [head = '', ...params] = line.slice(0, i).split(';');
      return { name: head.replace(/^.*\./, '').toUpperCase(), params, value: line.slice(i + 1) };
    }
  }
  return undefined;
}

/** RFC 6350 3.4: `\,` `\;` `\\` and `\n` in text values. */
function unescapeText(value: string): string {
  return value.replace(/\\([\\,;nN])/g, (_, ch: string) => (ch === 'n' || ch === 'N' ? ' ' : ch));
}

/** vCard 2.1 `ENCODING=QUOTED-PRINTABLE`, bytes read as UTF-8 (the CHARSET 2.1 exports use today). */
function decodeValue(property: Property): string {
  if (!property.params.some((param) => /^(ENCODING=)?QUOTED-PRINTABLE$/i.test(param))) return property.value;
  const bytes: number[] = [];
  const raw = Buffer.from(property.value, 'utf8');
  for (let i = 0; i < raw.length; i++) {
    const hex = raw.subarray(i + 1, i + 3).toString('latin1');
    if (raw[i] === 0x3d && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(raw[i] ?? 0);
  }
  return Buffer.from(bytes).toString('utf8');
}

/** `N:Family;Given;Additional;Prefix;Suffix` → "Given Additional Family". */
function nameFromN(value: string): string {
  const [family = '', given = '', additional = ''] = value.split(/(?<!\\);/).map(unescapeText);
  return [given, additional, family].filter((part) => part.trim() !== '').join(' ');
}

export function parseVcard(text: string): AddressBookEntry[] {
  const entries: AddressBookEntry[] = [];
  let card: { fn: string | undefined; n: string | undefined; emails: string[] } | undefined;
  for (const line of unfold(text)) {
    const property = parseLine(line);
    if (property === undefined) continue;
    const value = decodeValue(property);
    if (property.name === 'BEGIN' && /^VCARD$/i.test(value.trim())) card = { fn: undefined, n: undefined, emails: [] };
    else if (card === undefined) continue;
    else if (property.name === 'FN') card.fn = unescapeText(value);
    else if (property.name === 'N') card.n = nameFromN(value);
    else if (property.name === 'EMAIL') card.emails.push(unescapeText(value).replace(/^mailto:/i, ''));
    else if (property.name === 'END') {
      const name = card.fn ?? card.n;
      for (const email of card.emails) {
        const entry = makeEntry(name, email);
        if (entry !== undefined) entries.push(entry);
      }
      card = undefined;
    }
  }
  return uniqueEntries(entries);
}
