/**
 * Send as Email on a merge draft: its `{{ placeholders }}` are not addresses, and sending the
 * template as one message is never what was meant. Send says so and offers Send Mail Merge…,
 * which checks every row and asks before anything goes.
 */
import * as vscode from 'vscode';
import { isMergeText } from '../../core/draft/recognise';

/** Whether the draft at `uri` (or the active editor's) is a merge draft. */
export async function isMergeTarget(uri: vscode.Uri | undefined): Promise<boolean> {
  const document = uri === undefined ? vscode.window.activeTextEditor?.document : await vscode.workspace.openTextDocument(uri);
  return document !== undefined && isMergeText(document.getText());
}

/** Tells the user and offers `sendMergeCommand` on the same draft; nothing is sent here. */
export function offerSendMerge(uri: vscode.Uri | undefined, sendMergeCommand: string): { readonly status: 'unavailable'; readonly reason: string } {
  const target = uri ?? vscode.window.activeTextEditor?.document.uri;
  const sendMerge = vscode.l10n.t('Send Mail Merge…');
  void vscode.window
    .showInformationMessage(vscode.l10n.t('This draft is a mail merge (it names data with "merge:"): send it with Send Mail Merge…, one message per row.'), sendMerge)
    .then((choice) => {
      if (choice === sendMerge) void vscode.commands.executeCommand(sendMergeCommand, { uri: target });
    });
  return { status: 'unavailable', reason: 'merge draft' };
}
