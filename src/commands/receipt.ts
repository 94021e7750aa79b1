/**
 * The extension's half of the receipt and the resend guard (core/receipt decides the text):
 * after a send the draft gains `sent:` and `message-id:` through an ordinary WorkspaceEdit, so
 * Undo takes it back; a draft that was saved before the send is saved again, an untitled one
 * stays untitled. Before a draft with `sent:` goes again, a modal asks, defaulting to No.
 */
import * as vscode from 'vscode';
import type { Draft } from '../core/draft/types';
import { escapeForDisplay } from '../core/escape';
import { resendQuestion } from '../core/receipt/describe';
import { receiptEdits } from '../core/receipt/edit';
import type { Receipt } from '../core/receipt/edit';
import { translate } from '../host/l10n';
import { SECTION } from '../host/settings';

/**
 * `sendAsEmail.recordReceipt` (default true). Not a restricted setting: a workspace that turns
 * it off only spares its own drafts the edit, and the question before a resend still needs a
 * receipt that exists.
 */
export function recordReceiptSetting(): boolean {
  return vscode.workspace.getConfiguration(SECTION).get<boolean>('recordReceipt', true) !== false;
}

/** "Sent on … to … — send again?" as a modal; Escape or Cancel (the default) answers no. */
export async function confirmResend(draft: Draft): Promise<boolean> {
  const again = vscode.l10n.t('Send Again');
  const choice = await vscode.window.showWarningMessage(escapeForDisplay(translate(resendQuestion(draft))), { modal: true }, again);
  return choice === again;
}

/**
 * Writes the receipt into the document; returns false (after telling the user) when it could
 * not. Never throws: the message is sent whatever happens here.
 */
export async function recordReceipt(sent: vscode.TextDocument, receipt: Receipt, savedBefore: boolean): Promise<boolean> {
  try {
    return await writeReceipt(sent, receipt, savedBefore);
  } catch {
    void vscode.window.showWarningMessage(vscode.l10n.t('The message was sent, but the receipt could not be written into the draft.'));
    return false;
  }
}

async function writeReceipt(sent: vscode.TextDocument, receipt: Receipt, savedBefore: boolean): Promise<boolean> {
  const document = sent.isClosed ? await vscode.workspace.openTextDocument(sent.uri) : sent;
  // The text as it is now: an edit typed while the message was on its way stays.
  const edits = receiptEdits(document.getText(), receipt);
  const dirtyNow = document.isDirty;
  const edit = new vscode.WorkspaceEdit();
  for (const change of edits ?? []) {
    edit.replace(document.uri, new vscode.Range(document.positionAt(change.start), document.positionAt(change.end)), change.text);
  }
  if (edits === undefined || !(await vscode.workspace.applyEdit(edit))) {
    void vscode.window.showWarningMessage(vscode.l10n.t('The message was sent, but the receipt could not be written into the draft.'));
    return false;
  }
  if (savedBefore && !dirtyNow && !document.isUntitled) await document.save();
  return true;
}
