/**
 * The files a merge keeps beside its data, for both front ends (the CLI and the extension's
 * Send Mail Merge…): the journal `<data name>.sent.jsonl` — one file, so a run started in one can
 * be resumed in the other — and the report `<data name>.report.csv`: the input columns of each
 * processed row, then its status, Message-ID and the server's reply (or the problem). RFC 4180
 * quoting; a value that a spreadsheet would run as a formula (=, +, -, @ first) is written as it
 * is but quoted, so opening the report shows text.
 */
import { writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { columnKey } from './data';
import type { MergeData, RowResult } from './types';

function withoutExtension(path: string): string {
  return path.slice(0, path.length - extname(path).length);
}

export function journalPathFor(dataPath: string): string {
  return `${withoutExtension(dataPath)}.sent.jsonl`;
}

export function reportPathFor(dataPath: string): string {
  return `${withoutExtension(dataPath)}.report.csv`;
}

function field(value: string): string {
  return /[",\r\n]|^[=+\-@\t]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function reportCsv(data: MergeData, results: readonly RowResult[]): string {
  const byRow = new Map(data.rows.map((row) => [row.number, row]));
  const lines = [[...data.columns, 'status', 'message-id', 'reply'].map(field).join(',')];
  for (const r of results) {
    const row = byRow.get(r.row);
    const values = data.columns.map((name) => row?.values.get(columnKey(name)) ?? '');
    lines.push([...values, r.status, r.messageId ?? '', r.detail ?? ''].map(field).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

export async function writeReport(path: string, data: MergeData, results: readonly RowResult[]): Promise<void> {
  await writeFile(path, reportCsv(data, results));
}
