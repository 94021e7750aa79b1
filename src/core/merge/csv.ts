/**
 * A small CSV reader for mail-merge data (RFC 4180 plus what spreadsheets really write): an
 * optional UTF-8 byte order mark (Excel writes one), a separator detected from the header line —
 * comma, semicolon (Excel in locales whose decimal mark is a comma) or tab — quoted fields that
 * hold separators, doubled quotes and line breaks, and CRLF, LF or CR line ends. Our own rather
 * than a library: the whole rule fits in one screen, and it must report rows by number.
 */
import { localized } from '../text';
import type { DataProblem } from './types';

export interface CsvTable {
  readonly header: readonly string[];
  /** Data records after the header, each with its 1-based row number (blank lines skipped). */
  readonly records: ReadonlyArray<{ readonly row: number; readonly fields: readonly string[] }>;
  readonly problems: readonly DataProblem[];
}

const SEPARATORS = [',', ';', '\t'] as const;

/** The separator that occurs most often outside quotes on the first line; comma on a tie. */
export function detectSeparator(text: string): string {
  const counts = new Map<string, number>(SEPARATORS.map((s) => [s, 0]));
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) break;
    else if (!quoted && counts.has(char)) counts.set(char, (counts.get(char) ?? 0) + 1);
  }
  let best = ',';
  for (const separator of SEPARATORS) if ((counts.get(separator) ?? 0) > (counts.get(best) ?? 0)) best = separator;
  return best;
}

/** Splits CSV text into records of fields. Returns an error problem for an unclosed quote. */
function records(text: string, separator: string): { readonly list: string[][]; readonly unclosed: boolean } {
  const list: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const char = text[i] as string;
    if (quoted) {
      if (char === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        field += char;
      }
      i++;
      continue;
    }
    if (char === '"' && field.trim() === '') {
      // A quote opens a field only at its start (spaces before it are forgiven and dropped).
      field = '';
      quoted = true;
    } else if (char === separator) {
      record.push(field);
      field = '';
    } else if (char === '\r' || char === '\n') {
      record.push(field);
      list.push(record);
      record = [];
      field = '';
      if (char === '\r' && text[i + 1] === '\n') i++;
    } else {
      field += char;
    }
    i++;
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    list.push(record);
  }
  return { list, unclosed: quoted };
}

function isBlank(fields: readonly string[]): boolean {
  return fields.every((f) => f.trim() === '');
}

export function readCsv(input: string): CsvTable {
  const text = input.startsWith('\uFEFF') ? input.slice(1) : input;
  const { list, unclosed } = records(text, detectSeparator(text));
  const problems: DataProblem[] = [];
  if (unclosed) problems.push({ row: 0, column: undefined, severity: 'error', text: localized('a quoted field is never closed (a " is missing)') });
  const headerIndex = list.findIndex((fields) => !isBlank(fields));
  const header = headerIndex < 0 ? [] : (list[headerIndex] ?? []).map((name) => name.trim());
  const out: Array<{ row: number; fields: string[] }> = [];
  let row = 0;
  for (const fields of list.slice(headerIndex + 1)) {
    if (isBlank(fields)) continue;
    row++;
    if (fields.length > header.length) {
      problems.push({ row, column: undefined, severity: 'error', text: localized('{0} fields, but the header names {1} columns', fields.length, header.length) });
    }
    out.push({ row, fields });
  }
  return { header, records: out, problems };
}
