/**
 * Writing a draft with help: completion and hover in the front matter, and files dropped or
 * pasted into a draft going to `attach:`. Registered once from activate(); each provider is a
 * small file of its own.
 */
import * as vscode from 'vscode';
import type { Settings } from '../settings';
import { COMPLETION_TRIGGERS, FrontMatterCompletion } from './completion';
import { DRAFT_SELECTOR } from './draft-context';
import { AttachOnDrop, AttachOnPaste, dropMetadata, pasteMetadata } from './drop-paste';
import { FrontMatterHover } from './hover';
import { AddressBook, useRecentState } from './recipients';

export function registerAuthoringFeatures(context: vscode.ExtensionContext, services: { readonly settings: Settings }): void {
  useRecentState(context.globalState);
  const book = new AddressBook(services.settings);
  context.subscriptions.push(
    vscode.languages.registerCompletionItemProvider(DRAFT_SELECTOR, new FrontMatterCompletion(services.settings, book), ...COMPLETION_TRIGGERS),
    vscode.languages.registerHoverProvider(DRAFT_SELECTOR, new FrontMatterHover(services.settings)),
    vscode.languages.registerDocumentDropEditProvider(DRAFT_SELECTOR, new AttachOnDrop(), dropMetadata()),
    vscode.languages.registerDocumentPasteEditProvider(DRAFT_SELECTOR, new AttachOnPaste(), pasteMetadata()),
  );
}
