/**
 * Merge data changes on disk (saved in VS Code, exported again from a spreadsheet): the open
 * merge drafts' problems and the Preview follow without a keystroke. One watcher per listener,
 * on the data formats core/merge reads.
 */
import * as vscode from 'vscode';

const DATA_FILES = '**/*.{csv,tsv,txt,json,yaml,yml}';

export function onMergeDataChange(listener: (file: vscode.Uri) => void): vscode.Disposable {
  const watcher = vscode.workspace.createFileSystemWatcher(DATA_FILES);
  return vscode.Disposable.from(watcher, watcher.onDidChange(listener), watcher.onDidCreate(listener), watcher.onDidDelete(listener));
}
