/** Core's line edits (core/draft/warnings/fixes.ts) as VS Code edits. */
import * as vscode from 'vscode';
import type { LineEdit } from '../../core/draft/warnings/fixes';

export function eolOf(document: vscode.TextDocument): string {
  return document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
}

export function workspaceEdit(uri: vscode.Uri, changes: ReadonlyArray<LineEdit | undefined>): vscode.WorkspaceEdit | undefined {
  const defined = changes.filter((change): change is LineEdit => change !== undefined);
  if (defined.length === 0 || defined.length !== changes.length) return undefined;
  const edit = new vscode.WorkspaceEdit();
  for (const change of defined) edit.replace(uri, new vscode.Range(change.line, change.column, change.endLine, change.endColumn), change.newText);
  return edit;
}
