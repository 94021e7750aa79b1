/**
 * Where a draft's text comes from: the document VS Code holds for it. Going through
 * `openTextDocument` means an open editor's unsaved edits are what gets sent, whether the
 * command came from the editor or the Explorer.
 */
import { homedir } from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { DraftFormat } from '../core/draft/types';
import type { DraftSource } from '../core/compose-draft';
import { renderOptionsFor } from './settings';

export interface DraftDocument {
  readonly document: vscode.TextDocument;
  readonly source: DraftSource;
  /** The file name without extension ("report" for report.md, "Untitled-1"), for the .eml name. */
  readonly stem: string;
  /** Folder a default "Save as .eml" target goes in. */
  readonly folder: string;
}

export function formatForLanguage(languageId: string): DraftFormat {
  return languageId === 'markdown' ? 'markdown' : 'plaintext';
}

/** A file's folder; for an untitled draft, its workspace folder (the first one) or the home folder. */
export function baseDirFor(uri: vscode.Uri): string {
  if (uri.scheme === 'file') return path.dirname(uri.fsPath);
  const folder = vscode.workspace.getWorkspaceFolder(uri) ?? vscode.workspace.workspaceFolders?.[0];
  return folder?.uri.scheme === 'file' ? folder.uri.fsPath : homedir();
}

/**
 * The folder a draft's files are judged against: its workspace folder, else its own folder.
 * A file whose real path lies outside it is shown by that path before sending, and is an error
 * in an untrusted workspace (core/files/local-file.ts).
 */
export function rootFor(uri: vscode.Uri, baseDir: string): string {
  const folder = vscode.workspace.getWorkspaceFolder(uri) ?? (uri.scheme === 'file' ? undefined : vscode.workspace.workspaceFolders?.[0]);
  return folder?.uri.scheme === 'file' ? folder.uri.fsPath : baseDir;
}

export function draftFromDocument(document: vscode.TextDocument): DraftDocument {
  const baseDir = baseDirFor(document.uri);
  const root = rootFor(document.uri, baseDir);
  const base = document.uri.scheme === 'file' ? path.basename(document.uri.fsPath) : path.posix.basename(document.uri.path);
  const stem = base.replace(/\.[^.]*$/, '') || 'message';
  return {
    document,
    source: {
      text: document.getText(),
      format: formatForLanguage(document.languageId),
      baseDir,
      homeDir: homedir(),
      root,
      untrusted: !vscode.workspace.isTrusted,
      render: renderOptionsFor(document.uri),
    },
    stem,
    folder: baseDir,
  };
}

/** The draft at `target`, or the active editor's; undefined (after telling the user) when there is none. */
export async function readDraft(target: vscode.Uri | undefined): Promise<DraftDocument | undefined> {
  const document = target === undefined ? vscode.window.activeTextEditor?.document : await vscode.workspace.openTextDocument(target);
  if (document === undefined) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Open a Markdown or plaintext draft first.'));
    return undefined;
  }
  return draftFromDocument(document);
}
