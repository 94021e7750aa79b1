/** Draft problems as editor diagnostics: underlined in the draft and listed in the Problems view. */
import * as vscode from 'vscode';
import type { DraftProblem } from '../core/draft/types';
import { escapeForDisplay } from '../core/escape';
import { translate } from './l10n';

/** Draft positions are 1-based (as `FILE:LINE:COL` prints them); VS Code's are 0-based. */
export function problemRange(problem: DraftProblem): vscode.Range {
  const start = new vscode.Position(Math.max(0, problem.start.line - 1), Math.max(0, problem.start.column - 1));
  const end = new vscode.Position(Math.max(0, problem.end.line - 1), Math.max(0, problem.end.column - 1));
  return new vscode.Range(start, end.isBefore(start) ? start : end);
}

export function toDiagnostic(problem: DraftProblem): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(
    problemRange(problem),
    // The draft's own text inside the sentence (an address, a file name) is shown escaped.
    escapeForDisplay(translate(problem.text)),
    problem.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning,
  );
  diagnostic.source = 'Send as Email';
  diagnostic.code = problem.code;
  return diagnostic;
}

export class DraftDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('send-as-email');
  private readonly onClose = vscode.workspace.onDidCloseTextDocument((document) => this.collection.delete(document.uri));

  /** Replaces this draft's diagnostics; an empty list clears them. */
  show(uri: vscode.Uri, problems: readonly DraftProblem[]): void {
    this.collection.set(uri, problems.map(toDiagnostic));
  }

  dispose(): void {
    this.onClose.dispose();
    this.collection.dispose();
  }
}
