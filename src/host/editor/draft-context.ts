/**
 * The `sendAsEmail.isDraft` context key: true while the active editor holds a draft. It gates
 * the editor-title Send and Preview, the Command Palette entries and the keybinding. Updated on
 * every edit of the active document (the test reads fences and keys only: no YAML). Beside it,
 * `sendAsEmail.isMergeDraft`: a draft whose front matter names merge data (Send Mail Merge…).
 */
import * as vscode from 'vscode';
import { isMergeText } from '../../core/draft/recognise';
import { isDraftDocument } from './draft-document';

export const IS_DRAFT_CONTEXT_KEY = 'sendAsEmail.isDraft';
export const IS_MERGE_DRAFT_CONTEXT_KEY = 'sendAsEmail.isMergeDraft';

export class DraftContextKey implements vscode.Disposable {
  private value: boolean | undefined;
  private merge: boolean | undefined;
  private readonly changed = new vscode.EventEmitter<boolean>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    this.subscriptions = [
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.document === vscode.window.activeTextEditor?.document) this.update();
      }),
      vscode.workspace.onDidOpenTextDocument(() => this.update()),
    ];
    this.update();
  }

  get isDraft(): boolean {
    return this.value === true;
  }

  get isMergeDraft(): boolean {
    return this.merge === true;
  }

  private update(): void {
    const document = vscode.window.activeTextEditor?.document;
    const next = document !== undefined && isDraftDocument(document);
    const merge = next && isMergeText(document.getText());
    if (merge !== this.merge) {
      this.merge = merge;
      void vscode.commands.executeCommand('setContext', IS_MERGE_DRAFT_CONTEXT_KEY, merge);
    }
    if (next === this.value) return;
    this.value = next;
    void vscode.commands.executeCommand('setContext', IS_DRAFT_CONTEXT_KEY, next);
    this.changed.fire(next);
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.changed.dispose();
  }
}
