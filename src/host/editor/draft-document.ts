/** Which open documents are drafts: Markdown or plaintext, on disk or untitled, recognised by core's one rule. */
import type * as vscode from 'vscode';
import { isDraftText } from '../../core/draft/recognise';

export const DRAFT_LANGUAGES: readonly string[] = ['markdown', 'plaintext'];

/** The languages and schemes the editor features register for (virtual workspaces are not supported). */
export const DRAFT_SELECTOR: vscode.DocumentSelector = DRAFT_LANGUAGES.flatMap((language) => [
  { language, scheme: 'file' },
  { language, scheme: 'untitled' },
]);

export function couldBeDraft(document: vscode.TextDocument): boolean {
  return DRAFT_LANGUAGES.includes(document.languageId) && (document.uri.scheme === 'file' || document.uri.scheme === 'untitled');
}

export function isDraftDocument(document: vscode.TextDocument): boolean {
  return couldBeDraft(document) && isDraftText(document.getText());
}
