/**
 * On the first line of a draft: Send · Preview · Save as .eml · profile: NAME — the actions on
 * the thing they act on (as REST Client's "Send Request"). The profile lens picks another one.
 * On a merge draft (`merge:`): Send Mail Merge… · Preview · profile.
 */
import * as vscode from 'vscode';
import { effectiveProfileName } from '../../core/draft/warnings/effective-profile';
import { draftLines } from '../../core/draft/warnings/lines';
import { writtenProfile } from '../../core/draft/warnings/unknown-profile';
import { escapeForDisplay } from '../../core/escape';
import type { Settings } from '../settings';
import { SECTION } from '../settings';
import { isMergeText } from '../../core/draft/recognise';
import { isDraftDocument } from './draft-document';

export interface LensCommands {
  readonly send: string;
  readonly preview: string;
  readonly saveEml: string;
  readonly chooseDraftProfile: string;
  readonly sendMerge: string;
}

export class DraftCodeLenses implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly onSettings = vscode.workspace.onDidChangeConfiguration((event) => {
    if (event.affectsConfiguration(SECTION)) this.changed.fire();
  });

  constructor(
    private readonly settings: Settings,
    private readonly commands: LensCommands,
  ) {}

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const lines = draftLines(document.getText());
    if (lines === undefined || !isDraftDocument(document)) return [];
    const profile = effectiveProfileName(this.settings.current, writtenProfile(lines));
    const range = new vscode.Range(0, 0, 0, 0);
    const lens = (title: string, command: string): vscode.CodeLens => new vscode.CodeLens(range, { title, command, arguments: [document.uri] });
    const profileLens = lens(profile === undefined ? vscode.l10n.t('profile: choose…') : vscode.l10n.t('profile: {0}', escapeForDisplay(profile)), this.commands.chooseDraftProfile);
    // A merge draft is sent row by row, never saved whole as one message.
    if (isMergeText(document.getText())) return [lens(vscode.l10n.t('$(send) Send Mail Merge…'), this.commands.sendMerge), lens(vscode.l10n.t('Preview'), this.commands.preview), profileLens];
    return [lens(vscode.l10n.t('$(send) Send'), this.commands.send), lens(vscode.l10n.t('Preview'), this.commands.preview), lens(vscode.l10n.t('Save as .eml'), this.commands.saveEml), profileLens];
  }

  dispose(): void {
    this.onSettings.dispose();
    this.changed.dispose();
  }
}
