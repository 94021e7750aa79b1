/**
 * Reads mail-merge data: CSV (csv.ts), JSON (an array of objects) or YAML (a list of maps), by
 * the file's extension. Every value becomes text; column names are matched case-insensitively
 * with surrounding spaces trimmed (`columnKey`), so "E-mail " in a header and `{{ e-mail }}` in
 * the draft are one column.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { errnoOf, isRecord } from '../guards';
import { loadYaml } from '../lazy';
import { localized } from '../text';
import { readCsvCompact } from './csv';
import type { CsvCells } from './csv';
import type { ColumnKey, DataProblem, MergeData, MergeDataFormat, MergeRow, RowValues } from './types';

export function columnKey(name: string): ColumnKey {
  return name.trim().toLowerCase();
}

/** The format a data file is read as, by extension; undefined for an unknown one. */
export function dataFormatFor(path: string): MergeDataFormat | undefined {
  const extension = extname(path).toLowerCase();
  if (extension === '.csv' || extension === '.tsv' || extension === '.txt') return 'csv';
  if (extension === '.json') return 'json';
  if (extension === '.yaml' || extension === '.yml') return 'yaml';
  return undefined;
}

function fileProblem(text: ReturnType<typeof localized>): DataProblem {
  return { row: 0, column: undefined, severity: 'error', text };
}

/** Header names: none empty, none twice (in any spelling). */
function checkColumns(columns: readonly string[], problems: DataProblem[]): void {
  const seen = new Set<ColumnKey>();
  columns.forEach((name, index) => {
    if (name === '') problems.push(fileProblem(localized('column {0} of the header has no name', index + 1)));
    else if (seen.has(columnKey(name))) problems.push({ row: 0, column: name, severity: 'error', text: localized('the column is named twice (names ignore case)') });
    seen.add(columnKey(name));
  });
  if (columns.length === 0) problems.push(fileProblem(localized('no header row: the first line must name the columns')));
}

/** What every row of a CSV table shares: its cells and, for each column key, the header column its values come from. */
interface CsvTableRows {
  readonly cells: CsvCells;
  readonly index: ReadonlyMap<ColumnKey, number>;
}

/**
 * A CSV row's values, read from the table's cells when asked (csv.ts holds them compactly). As
 * with a Map set column by column, a name that appears twice gives the value of its last
 * column, in the place of its first.
 */
class CsvRowValues implements RowValues {
  constructor(
    private readonly table: CsvTableRows,
    private readonly record: number,
  ) {}

  get(key: ColumnKey): string | undefined {
    const column = this.table.index.get(key);
    return column === undefined ? undefined : this.table.cells.cell(this.record, column);
  }

  *values(): IterableIterator<string> {
    for (const column of this.table.index.values()) yield this.table.cells.cell(this.record, column);
  }

  *[Symbol.iterator](): IterableIterator<[ColumnKey, string]> {
    for (const [key, column] of this.table.index) yield [key, this.table.cells.cell(this.record, column)];
  }
}

/**
 * A CSV row: one small object per row for the whole run, its values made when asked (a merge
 * of 10,000 rows holds 10,000 of these; see csv.ts for why that matters).
 */
class CsvRow implements MergeRow {
  constructor(
    readonly number: number,
    private readonly table: CsvTableRows,
  ) {}

  get values(): RowValues {
    return new CsvRowValues(this.table, this.number - 1);
  }
}

function fromCsv(text: string): MergeData {
  const { header, cells, problems: csvProblems } = readCsvCompact(text);
  const problems = [...csvProblems];
  checkColumns(header, problems);
  const index = new Map<ColumnKey, number>();
  header.forEach((name, column) => index.set(columnKey(name), column));
  const table: CsvTableRows = { cells, index };
  const rows: MergeRow[] = [];
  for (let record = 0; record < cells.length; record++) rows.push(new CsvRow(record + 1, table));
  return { format: 'csv', columns: header, rows, problems };
}

/** JSON and YAML: a list of maps whose values are text, numbers, booleans or null. */
function fromObjects(format: MergeDataFormat, list: unknown): MergeData {
  const problems: DataProblem[] = [];
  if (!Array.isArray(list)) return { format, columns: [], rows: [], problems: [fileProblem(localized('the data must be a list of records (one map per person)'))] };
  const columns: string[] = [];
  const known = new Set<ColumnKey>();
  const rows: MergeRow[] = [];
  list.forEach((item: unknown, index) => {
    const row = index + 1;
    const values = new Map<ColumnKey, string>();
    if (!isRecord(item)) {
      problems.push({ row, column: undefined, severity: 'error', text: localized('this record is not a map of column: value') });
    } else {
      for (const [name, value] of Object.entries(item)) {
        const key = columnKey(name);
        if (!known.has(key)) {
          known.add(key);
          columns.push(name.trim());
        }
        if (value === null || value === undefined) values.set(key, '');
        else if (typeof value === 'string') values.set(key, value);
        else if (typeof value === 'number' || typeof value === 'boolean') values.set(key, String(value));
        else if (value instanceof Date) values.set(key, value.toISOString());
        else problems.push({ row, column: name, severity: 'error', text: localized('the value is a list or map, not text') });
      }
    }
    rows.push({ number: row, values });
  });
  if (list.length > 0 && columns.length === 0) problems.push(fileProblem(localized('the records name no columns')));
  return { format, columns, rows, problems };
}

/** Parses data text in the given format. Never throws: every problem is in `problems`. */
export async function parseMergeData(text: string, format: MergeDataFormat): Promise<MergeData> {
  if (format === 'csv') return fromCsv(text);
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  try {
    if (format === 'json') return fromObjects(format, JSON.parse(body) as unknown);
    const Y = await loadYaml();
    const document = Y.parseDocument(body);
    const first = document.errors[0];
    if (first !== undefined) return { format, columns: [], rows: [], problems: [fileProblem(localized('not valid YAML: {0}', first.message))] };
    return fromObjects(format, document.toJS() as unknown);
  } catch (error) {
    return { format, columns: [], rows: [], problems: [fileProblem(localized('not valid JSON: {0}', error instanceof Error ? error.message : String(error)))] };
  }
}

/** Reads a data file by its extension (.csv/.tsv, .json, .yaml/.yml). */
export async function readMergeData(path: string): Promise<MergeData> {
  const format = dataFormatFor(path);
  if (format === undefined) return { format: 'csv', columns: [], rows: [], problems: [fileProblem(localized('unknown data format: use a .csv, .json, .yaml or .yml file'))] };
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    return { format, columns: [], rows: [], problems: [fileProblem(localized('cannot read the data file: {0}', errnoOf(error) ?? String(error)))] };
  }
  return parseMergeData(text, format);
}
