/**
 * Completion of the data's column names inside `{{ … }}` of a merge draft, in the front matter
 * and in the body. Only the name is replaced: a fallback (`| "there"`) and the closing braces
 * stay; when the braces are not closed yet, they are added.
 */
import * as vscode from 'vscode';
import { escapeForDisplay } from '../../core/escape';
import { columnKey } from '../../core/merge/data';
import type { MergeRow } from '../../core/merge/types';
import { isMergeText } from '../../core/draft/recognise';
import { dataIsReadable, readMergeDocument } from './merge-data';

export interface PlaceholderAt {
  /** Offsets of the column name being written (for the replace range). */
  readonly start: number;
  readonly end: number;
  /** Whether `}}` already closes it on this line. */
  readonly closed: boolean;
}

/** The placeholder name under `offset` when the position is between `{{` and its `|` or `}}`, on one line. */
export function placeholderAt(text: string, offset: number): PlaceholderAt | undefined {
  const lineStart = Math.max(text.lastIndexOf('\n', offset - 1), text.lastIndexOf('\r', offset - 1)) + 1;
  const before = text.slice(lineStart, offset);
  const open = before.lastIndexOf('{{');
  if (open < 0 || /\}\}|\|/.test(before.slice(open + 2))) return undefined;
  const lineEnd = text.slice(offset).search(/[\r\n]|$/);
  const after = text.slice(offset, offset + lineEnd);
  const stop = after.search(/\}\}|\||\{\{/);
  // Closed by `}}` (or a fallback's `|`) on this line: the name runs up to it; else only the word typed.
  const closed = stop >= 0 && !after.startsWith('{{', stop);
  const name = closed ? after.slice(0, stop).trimEnd() : (/^[^\s{}|]*/.exec(after)?.[0] ?? '');
  const lead = before.slice(open + 2).length - before.slice(open + 2).trimStart().length;
  return { start: lineStart + open + 2 + lead, end: offset + name.length, closed };
}

function sample(rows: readonly MergeRow[], name: string): string | undefined {
  const value = rows[0]?.values.get(columnKey(name));
  return value === undefined || value === '' ? undefined : value;
}

export async function columnCompletions(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.CompletionItem[] | undefined> {
  const text = document.getText();
  if (!isMergeText(text)) return undefined;
  const at = placeholderAt(text, document.offsetAt(position));
  if (at === undefined) return undefined;
  const merge = await readMergeDocument(document.uri, text);
  const data = merge?.data;
  if (data === undefined || !dataIsReadable(data)) return [];
  const range = new vscode.Range(document.positionAt(at.start), document.positionAt(at.end));
  return data.columns.map((name, index) => {
    const item = new vscode.CompletionItem(name, vscode.CompletionItemKind.Field);
    const example = sample(data.rows, name);
    item.detail = example === undefined ? vscode.l10n.t('column of {0}', escapeForDisplay(merge?.template.dataFile ?? '')) : vscode.l10n.t('row 1: {0}', escapeForDisplay(example));
    item.insertText = at.closed ? name : `${name} }}`;
    item.range = range;
    item.sortText = String(index).padStart(4, '0');
    return item;
  });
}
