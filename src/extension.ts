import type * as vscode from 'vscode';

/** Builds the services and registers every command; nothing else happens at activation. */
export function activate(_context: vscode.ExtensionContext): void {
  // Commands arrive with the extension issue.
}

export function deactivate(): void {
  // Nothing to release yet.
}
