/**
 * Turns a failed session into a notification: what happened and what to do (explainError),
 * with a button to the protocol log and, after a refused password, one to enter it again.
 * Never awaited by the flows: a notification stays until dismissed, the command returns now.
 */
import * as vscode from 'vscode';
import { explainError } from '../core/explain';
import type { Explanation } from '../core/explain';
import type { SmtpProfile } from '../core/profiles';
import { isSmtpError } from '../core/smtp/errors';
import type { ProtocolLog } from './protocol-log';

/** The server refused the credentials (as opposed to AUTH not being possible at all). */
export function isRefusedPassword(error: unknown): boolean {
  return isSmtpError(error) && error.kind === 'auth' && error.reply !== undefined;
}

export interface FailureActions {
  /** Offered as "Enter Password Again" when the server refused the password. */
  readonly reenterPassword?: () => Promise<unknown>;
}

export function showFailure(error: unknown, profile: SmtpProfile | undefined, log: ProtocolLog, actions: FailureActions = {}): Explanation {
  // explainError's templates are translated through the extension's l10n bundles.
  const explanation = explainError(error, profile, (template, ...args) => vscode.l10n.t(template, ...args));
  const openLog = vscode.l10n.t('Open Protocol Log');
  const again = vscode.l10n.t('Enter Password Again');
  const buttons = actions.reenterPassword !== undefined && isRefusedPassword(error) ? [again, openLog] : [openLog];
  const text = explanation.advice === '' ? explanation.summary : `${explanation.summary} — ${explanation.advice}`;
  // The log is revealed without taking focus, as vscode-markdownlint does on its first error.
  log.show(true);
  void vscode.window.showErrorMessage(text, ...buttons).then((choice) => {
    if (choice === openLog) log.show(false);
    if (choice === again) void actions.reenterPassword?.();
  });
  return explanation;
}
