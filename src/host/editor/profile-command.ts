/**
 * The CodeLens "profile: NAME" runs this: pick another profile and write `profile: X` into the
 * draft's front matter (an edit the user can undo). Scripts and tests may pass
 * `{ uri, profile }` to skip the pick.
 */
import * as vscode from 'vscode';
import { setProfile } from '../../core/draft/warnings/fixes';
import { draftLines } from '../../core/draft/warnings/lines';
import { escapeForDisplay } from '../../core/escape';
import { isRecord } from '../../core/guards';
import type { Settings } from '../settings';
import { eolOf, workspaceEdit } from './edits';

function targetOf(argument: unknown): { uri: vscode.Uri | undefined; profile: string | undefined } {
  if (argument instanceof vscode.Uri) return { uri: argument, profile: undefined };
  if (isRecord(argument)) {
    const uri = argument['uri'] instanceof vscode.Uri ? argument['uri'] : undefined;
    const profile = typeof argument['profile'] === 'string' ? argument['profile'] : undefined;
    return { uri, profile };
  }
  return { uri: undefined, profile: undefined };
}

async function pickProfile(settings: Settings): Promise<string | undefined> {
  const profiles = [...settings.current.profiles.values()];
  if (profiles.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No SMTP profile is set up yet: add one in setting sendAsEmail.profiles.'));
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    profiles.map((profile) => ({ label: escapeForDisplay(profile.name), description: escapeForDisplay(profile.host), name: profile.name })),
    { placeHolder: vscode.l10n.t('Send this draft with which SMTP profile?') },
  );
  return picked?.name;
}

/** Returns the profile written, or undefined when nothing was changed. */
export async function chooseDraftProfile(settings: Settings, argument: unknown): Promise<string | undefined> {
  const target = targetOf(argument);
  const document = target.uri === undefined ? vscode.window.activeTextEditor?.document : await vscode.workspace.openTextDocument(target.uri);
  if (document === undefined) return undefined;
  const name = target.profile ?? (await pickProfile(settings));
  const lines = draftLines(document.getText());
  if (name === undefined || lines === undefined) return undefined;
  const edit = workspaceEdit(document.uri, [setProfile(lines, name, eolOf(document))]);
  return edit !== undefined && (await vscode.workspace.applyEdit(edit)) ? name : undefined;
}
