/**
 * Writing a draft with help: completion and hover in the front matter, and files dropped or
 * pasted into a draft going to `attach:`. Registered once from activate(); each provider is a
 * small file of its own.
 */
import * as vscode from 'vscode';
import { loadOnce } from '../load-once';
import type { FrontMatterCompletion } from './completion';
import type { FrontMatterHover } from './hover';
import type { AddressBook } from './recipients';
import type { Settings } from '../settings';
import { DRAFT_SELECTOR } from '../editor/draft-document';
import type { AttachOnDrop, AttachOnPaste } from './drop-paste';
import { dropMetadata, pasteMetadata } from './drop-kind';
import { useRecentState } from './recent-state';

/** Typing these in the front matter (and `{` of a merge placeholder) opens the list without Ctrl+Space. */
const COMPLETION_TRIGGERS = [':', ' ', ',', '/', '{'];

/** Completion and hover: loaded on first use (the extension's one lazily loaded file, src/features.ts). */
export interface AuthoringCode {
  readonly FrontMatterCompletion: typeof FrontMatterCompletion;
  readonly FrontMatterHover: typeof FrontMatterHover;
  readonly AddressBook: typeof AddressBook;
  readonly AttachOnDrop: typeof AttachOnDrop;
  readonly AttachOnPaste: typeof AttachOnPaste;
}

/** Completion and hover load their code (address parsing, key descriptions, merge columns) when first asked. */
export function registerAuthoringFeatures(context: vscode.ExtensionContext, services: { readonly settings: Settings; readonly load: () => Promise<AuthoringCode> }): void {
  useRecentState(context.globalState);
  const completion = loadOnce(async () => {
    const code = await services.load();
    return new code.FrontMatterCompletion(services.settings, new code.AddressBook(services.settings));
  });
  const hover = loadOnce(async () => new (await services.load()).FrontMatterHover(services.settings));
  const drop = loadOnce(async () => new (await services.load()).AttachOnDrop());
  const paste = loadOnce(async () => new (await services.load()).AttachOnPaste());
  context.subscriptions.push(
    vscode.languages.registerCompletionItemProvider(
      DRAFT_SELECTOR,
      { provideCompletionItems: async (document, position) => (await completion()).provideCompletionItems(document, position) },
      ...COMPLETION_TRIGGERS,
    ),
    vscode.languages.registerHoverProvider(DRAFT_SELECTOR, { provideHover: async (document, position) => (await hover()).provideHover(document, position) }),
    vscode.languages.registerDocumentDropEditProvider(
      DRAFT_SELECTOR,
      { provideDocumentDropEdits: async (document, position, dataTransfer) => (await drop()).provideDocumentDropEdits(document, position, dataTransfer) },
      dropMetadata(),
    ),
    vscode.languages.registerDocumentPasteEditProvider(
      DRAFT_SELECTOR,
      { provideDocumentPasteEdits: async (document, ranges, dataTransfer) => (await paste()).provideDocumentPasteEdits(document, ranges, dataTransfer) },
      pasteMetadata(),
    ),
  );
}
