/**
 * The draft-aware editor: the isDraft context key, live diagnostics, quick fixes, CodeLens and
 * the status bar item, registered in one call from activate(). Each part is its own file.
 */
import * as vscode from 'vscode';
import type { DraftDiagnostics } from '../diagnostics';
import type { Settings } from '../settings';
import { loadOnce } from '../load-once';
import type { DraftCodeActions } from './code-actions';
import type { checkDocument } from './draft-check';
import type { chooseDraftProfile } from './profile-command';
import { DraftCodeLenses } from './code-lens';
import type { LensCommands } from './code-lens';
import { DraftContextKey } from './draft-context';
import { DRAFT_SELECTOR } from './draft-document';
import { LiveDiagnostics } from './live-diagnostics';
import { DraftStatusBar } from './status-bar';

/** The editor's heavier code, loaded on first use (the extension's one lazily loaded file, src/features.ts). */
export interface EditorCode {
  readonly checkDocument: typeof checkDocument;
  readonly DraftCodeActions: typeof DraftCodeActions;
  readonly chooseDraftProfile: typeof chooseDraftProfile;
}

export interface EditorServices {
  readonly settings: Settings;
  readonly diagnostics: DraftDiagnostics;
  /** The command ids the lenses and the status bar run (src/commands/command-ids.ts). */
  readonly commands: LensCommands;
  readonly load: () => Promise<EditorCode>;
}

/** What the extension's API may read about the editor (tests). */
export interface EditorState {
  /** The `sendAsEmail.isDraft` context key as last set. */
  readonly isDraft: boolean;
  /** The `sendAsEmail.isMergeDraft` context key as last set. */
  readonly isMergeDraft: boolean;
  /** The status bar item's text, undefined while it is hidden. */
  readonly statusBarText: string | undefined;
}

export function registerEditorFeatures(context: vscode.ExtensionContext, services: EditorServices): EditorState {
  const { settings, diagnostics, commands, load } = services;
  const draftContext = new DraftContextKey();
  const live = new LiveDiagnostics(settings, diagnostics, async (document, snapshot) => (await load()).checkDocument(document, snapshot));
  const codeActions = loadOnce(async () => new (await load()).DraftCodeActions(settings));
  const lenses = new DraftCodeLenses(settings, commands);
  const statusBar = new DraftStatusBar(live, draftContext, commands.preview);
  context.subscriptions.push(
    draftContext,
    live,
    lenses,
    statusBar,
    // The quick fixes' code (address and key repairs) loads when the first light bulb is asked for.
    vscode.languages.registerCodeActionsProvider(
      DRAFT_SELECTOR,
      { provideCodeActions: async (document, range, actionContext) => (await codeActions()).provideCodeActions(document, range, actionContext) },
      { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] },
    ),
    vscode.languages.registerCodeLensProvider(DRAFT_SELECTOR, lenses),
    vscode.commands.registerCommand(commands.chooseDraftProfile, async (argument?: unknown) => (await load()).chooseDraftProfile(settings, argument)),
  );
  return {
    get isDraft() {
      return draftContext.isDraft;
    },
    get isMergeDraft() {
      return draftContext.isMergeDraft;
    },
    get statusBarText() {
      return statusBar.text;
    },
  };
}
