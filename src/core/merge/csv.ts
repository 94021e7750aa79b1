/**
 * A small CSV reader for mail-merge data (RFC 4180 plus what spreadsheets really write): an
 * optional UTF-8 byte order mark (Excel writes one), a separator detected from the header line —
 * comma, semicolon (Excel in locales whose decimal mark is a comma) or tab — quoted fields that
 * hold separators, doubled quotes and line breaks, and CRLF, LF or CR line ends. Our own rather
 * than a library: the whole rule fits in one screen, and it must report rows by number.
 *
 * Memory: a merge of 10,000 rows keeps its table for the whole run, so the table is held
 * compactly (`CsvCells`): a field is a span of the text, kept as two numbers in a typed array
 * (outside the JavaScript heap), and becomes a string only when it is read. Building each field
 * character by character, or a Map per row, made every row a few hundred bytes of short-lived
 * objects that V8 nevertheless copies and promotes while the file is read — and the young
 * generation grows for good once enough bytes have survived. Only a field that is not one
 * span (a doubled quote, text after a closing quote) is kept as a string.
 */
import { localized } from '../text';
import { grownInt32 } from './off-heap-texts';
import type { DataProblem } from './types';

export interface CsvTable {
  readonly header: readonly string[];
  /** Data records after the header, each with its 1-based row number (blank lines skipped) and one field per header column (missing ones empty). */
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

const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;

/** What `String.prototype.trim` removes (ECMAScript WhiteSpace and LineTerminator). */
function isTrimmed(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  if (code < 0xa0) return false;
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

function isBlankSpan(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (!isTrimmed(text.charCodeAt(i))) return false;
  return true;
}

/**
 * The cells of the data records, `columns` per record: cell c of record r is the text span
 * `[spans[2k], spans[2k+1])` with k = r × columns + c, or, when the start is negative, the
 * string `extra[-start - 1]`. Fields past the header are not kept; missing ones are empty.
 */
export class CsvCells {
  private spans: Int32Array = new Int32Array(0);
  private readonly extra: string[] = [];
  private count = 0;

  constructor(
    private readonly text: string,
    readonly columns: number,
  ) {}

  /** Records held. */
  get length(): number {
    return this.count;
  }

  /** Cell `column` of record `record` (both 0-based). */
  cell(record: number, column: number): string {
    const k = 2 * (record * this.columns + column);
    const start = this.spans[k] ?? 0;
    if (start < 0) return this.extra[-start - 1] ?? '';
    return this.text.slice(start, this.spans[k + 1] ?? start);
  }

  /** Appends a record from the reader's field buffer. */
  add(fields: FieldBuffer): void {
    const needed = 2 * (this.count + 1) * this.columns;
    if (needed > this.spans.length) this.spans = grownInt32(this.spans, Math.max(needed, 2 * this.spans.length, 64));
    const base = 2 * this.count * this.columns;
    for (let c = 0; c < this.columns; c++) {
      if (c >= fields.count) {
        this.spans[base + 2 * c] = 0;
        this.spans[base + 2 * c + 1] = 0;
      } else if (fields.strings[c] !== undefined) {
        this.extra.push(fields.strings[c] as string);
        this.spans[base + 2 * c] = -this.extra.length;
      } else {
        this.spans[base + 2 * c] = fields.starts[c] ?? 0;
        this.spans[base + 2 * c + 1] = fields.ends[c] ?? 0;
      }
    }
    this.count++;
  }
}

/** The fields of the record being read: spans of the text, or a string where a field is not one span. Reused from record to record. */
class FieldBuffer {
  count = 0;
  readonly starts: number[] = [];
  readonly ends: number[] = [];
  readonly strings: Array<string | undefined> = [];

  constructor(private readonly text: string) {}

  push(segments: Segments): void {
    const c = this.count++;
    if (segments.parts === undefined) {
      this.starts[c] = segments.start;
      this.ends[c] = segments.end;
      this.strings[c] = undefined;
    } else {
      this.starts[c] = 0;
      this.ends[c] = 0;
      this.strings[c] = segments.parts + this.text.slice(segments.start, segments.end);
    }
  }

  value(c: number): string {
    return this.strings[c] ?? this.text.slice(this.starts[c] ?? 0, this.ends[c] ?? 0);
  }

  isBlank(): boolean {
    for (let c = 0; c < this.count; c++) {
      const string = this.strings[c];
      if (string === undefined ? !isBlankSpan(this.text, this.starts[c] ?? 0, this.ends[c] ?? 0) : string.trim() !== '') return false;
    }
    return true;
  }
}

/**
 * The field being read, as the text it is made of: the span `[start, end)` after `parts` (the
 * earlier pieces, when the field is not one span). Adding a piece that continues the span only
 * moves `end`, so an ordinary field never becomes a string while it is read.
 */
class Segments {
  start = 0;
  end = 0;
  parts: string | undefined;

  constructor(private readonly text: string) {}

  get empty(): boolean {
    return this.parts === undefined && this.start === this.end;
  }

  add(from: number, to: number): void {
    if (this.start === this.end && this.parts === undefined) {
      this.start = from;
      this.end = to;
    } else if (from === this.end) {
      this.end = to;
    } else {
      this.parts = (this.parts ?? '') + this.text.slice(this.start, this.end);
      this.start = from;
      this.end = to;
    }
  }

  isBlank(): boolean {
    return (this.parts === undefined || this.parts.trim() === '') && isBlankSpan(this.text, this.start, this.end);
  }

  clear(): void {
    this.start = 0;
    this.end = 0;
    this.parts = undefined;
  }
}

interface Scanned {
  readonly header: readonly string[];
  readonly cells: CsvCells;
  /** Each data record's 1-based row number is its index + 1; `widths` is its field count. */
  readonly widths: readonly number[];
  readonly unclosed: boolean;
}

/**
 * Splits CSV text into records of fields: the first record that is not blank is the header,
 * blank records are skipped. A quote opens a field only at its start (spaces before it are
 * forgiven and dropped); a doubled quote inside quotes is one quote.
 */
function scan(text: string, separator: string): Scanned {
  const sep = separator.charCodeAt(0);
  const field = new Segments(text);
  const fields = new FieldBuffer(text);
  let header: string[] | undefined;
  let cells: CsvCells | undefined;
  const widths: number[] = [];
  let quoted = false;

  const endRecord = (): void => {
    fields.push(field);
    field.clear();
    if (!fields.isBlank()) {
      if (header === undefined) {
        header = [];
        for (let c = 0; c < fields.count; c++) header.push(fields.value(c).trim());
        cells = new CsvCells(text, header.length);
      } else {
        cells?.add(fields);
        widths.push(fields.count);
      }
    }
    fields.count = 0;
  };

  let i = 0;
  const length = text.length;
  while (i < length) {
    const code = text.charCodeAt(i);
    if (quoted) {
      if (code === QUOTE) {
        if (text.charCodeAt(i + 1) === QUOTE) {
          field.add(i, i + 1);
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        field.add(i, i + 1);
      }
      i++;
      continue;
    }
    if (code === QUOTE && field.isBlank()) {
      field.clear();
      quoted = true;
    } else if (code === sep) {
      fields.push(field);
      field.clear();
    } else if (code === CR || code === LF) {
      endRecord();
      if (code === CR && text.charCodeAt(i + 1) === LF) i++;
    } else {
      field.add(i, i + 1);
    }
    i++;
  }
  if (!field.empty || fields.count > 0) endRecord();
  const finalHeader = header ?? [];
  return { header: finalHeader, cells: cells ?? new CsvCells(text, 0), widths, unclosed: quoted };
}

/** The CSV table with its cells held compactly (see `CsvCells`); `readCsv` gives the same as strings. */
export interface CompactCsvTable {
  readonly header: readonly string[];
  readonly cells: CsvCells;
  readonly problems: readonly DataProblem[];
}

export function readCsvCompact(input: string): CompactCsvTable {
  const text = input.startsWith('\uFEFF') ? input.slice(1) : input;
  const { header, cells, widths, unclosed } = scan(text, detectSeparator(text));
  const problems: DataProblem[] = [];
  if (unclosed) problems.push({ row: 0, column: undefined, severity: 'error', text: localized('a quoted field is never closed (a " is missing)') });
  widths.forEach((width, index) => {
    if (width > header.length) problems.push({ row: index + 1, column: undefined, severity: 'error', text: localized('{0} fields, but the header names {1} columns', width, header.length) });
  });
  return { header, cells, problems };
}

export function readCsv(input: string): CsvTable {
  const { header, cells, problems } = readCsvCompact(input);
  const records: Array<{ row: number; fields: string[] }> = [];
  for (let r = 0; r < cells.length; r++) {
    const fields: string[] = [];
    for (let c = 0; c < header.length; c++) fields.push(cells.cell(r, c));
    records.push({ row: r + 1, fields });
  }
  return { header, records, problems };
}
