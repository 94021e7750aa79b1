/**
 * Draft problems as editor diagnostics: underlined in the draft and listed in the Problems view.
 * One collection, written by the live checker (host/editor/live-diagnostics.ts) as you type and
 * by Send / Save as .eml when they check a draft; a document that is not a draft never keeps any.
 */
import * as vscode from 'vscode';
import { isDraftText } from '../core/draft/recognise';
import type { DraftProblem } from '../core/draft/types';
import { escapeForDisplay } from '../core/escape';
import { translate } from './l10n';

export const DIAGNOSTIC_SOURCE = 'Send as Email';

/** Draft positions are 1-based (as `FILE:LINE:COL` prints them); VS Code's are 0-based. */
export function problemRange(problem: DraftProblem): vscode.Range {
  const start = new vscode.Position(Math.max(0, problem.start.line - 1), Math.max(0, problem.start.column - 1));
  const end = new vscode.Position(Math.max(0, problem.end.line - 1), Math.max(0, problem.end.column - 1));
  return new vscode.Range(start, end.isBefore(start) ? start : end);
}

// A function, not a constant: nothing from `vscode` is touched while the bundle is required.
const severity = (): Readonly<Record<DraftProblem['severity'], vscode.DiagnosticSeverity>> => ({
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  // A note (a sent draft's receipt): listed in Problems, never a squiggle that asks for a fix.
  info: vscode.DiagnosticSeverity.Information,
});

export function toDiagnostic(problem: DraftProblem): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(
    problemRange(problem),
    // The draft's own text inside the sentence (an address, a file name) is shown escaped.
    escapeForDisplay(translate(problem.text)),
    severity()[problem.severity],
  );
  diagnostic.source = DIAGNOSTIC_SOURCE;
  diagnostic.code = problem.code;
  return diagnostic;
}

export class DraftDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('send-as-email');
  private readonly onClose = vscode.workspace.onDidCloseTextDocument((document) => this.collection.delete(document.uri));
  private readonly shown = new vscode.EventEmitter<vscode.Uri>();
  /** A command showed a check's problems: the live checker adds its warnings to them at once. */
  readonly onDidShow = this.shown.event;

  /**
   * A command's check of the draft at `uri`. A document that is not a draft (a README sent by
   * mistake) gets none: its "no front matter" is told in a message, not left in Problems.
   */
  show(uri: vscode.Uri, problems: readonly DraftProblem[]): void {
    const document = vscode.workspace.textDocuments.find((open) => open.uri.toString() === uri.toString());
    if (document !== undefined && !isDraftText(document.getText())) {
      this.collection.delete(uri);
      return;
    }
    this.set(uri, problems);
    this.shown.fire(uri);
  }

  /** Replaces this draft's diagnostics; an empty list clears them. */
  set(uri: vscode.Uri, problems: readonly DraftProblem[]): void {
    this.collection.set(uri, problems.map(toDiagnostic));
  }

  clear(uri: vscode.Uri): void {
    this.collection.delete(uri);
  }

  dispose(): void {
    this.onClose.dispose();
    this.shown.dispose();
    this.collection.dispose();
  }
}
