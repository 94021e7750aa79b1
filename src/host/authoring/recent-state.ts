/**
 * The global state recipients are remembered in (never a workspace's, which a cloned repository
 * could read or seed). Set once at activation; its own small file so that activation does not
 * load the address-book code that reads it (recipients.ts).
 */
import type * as vscode from 'vscode';

let recentState: vscode.Memento | undefined;

export function useRecentState(state: vscode.Memento): void {
  recentState = state;
}

/** The state given at activation; undefined before it (or in a test that never activated). */
export function currentRecentState(): vscode.Memento | undefined {
  return recentState;
}
