/**
 * Turns a failure into a notification: what happened and what to do (explainError), with a
 * button to the protocol log and, after a refused password, one to enter it again (after an
 * unverified certificate, one to pin it). Never awaited by the flows: a notification stays
 * until dismissed, the command returns now.
 */
import * as vscode from 'vscode';
import { escapeForDisplay } from '../core/escape';
import { explainError, explanationLine } from '../core/explain';
import type { Explanation } from '../core/explain';
import type { SmtpProfile } from '../core/profiles';
import { isSmtpError } from '../core/smtp/errors';
import { signInKind, signInMayHelp } from './oauth/sign-in';
import type { ProtocolLog } from './protocol-log';

/** The explanation in the user's language, with the extension's advice (its commands, not the CLI's). */
export function explainForUser(error: unknown, profile: SmtpProfile | undefined): Explanation {
  return explainError(error, { profile, t: (template, ...args) => vscode.l10n.t(template, ...args), audience: 'extension' });
}

/** "summary — advice", escaped: a server's reply or a file name must not reorder the sentence. */
export function failureText(explanation: Explanation): string {
  return escapeForDisplay(explanationLine(explanation));
}

/** The server refused the credentials (as opposed to AUTH not being possible at all). */
export function isRefusedPassword(error: unknown): boolean {
  return isSmtpError(error) && error.kind === 'auth' && error.reply !== undefined;
}

export interface FailureActions {
  /** Offered as "Enter Password Again" when the server refused the password ("Sign In Again" for an OAuth profile). */
  readonly reenterPassword: (() => Promise<unknown>) | undefined;
  /**
   * Offered as "Pin This Certificate" when the session failed on a certificate nobody vouched
   * for; the message then shows its SHA-256, to compare with what the administrator says.
   */
  readonly pin: { readonly fingerprint: string; readonly run: () => Promise<unknown> } | undefined;
}

/** A failure before any session (reading, checking or composing the draft): no log to offer. */
export function showPlainFailure(error: unknown, profile: SmtpProfile | undefined): Explanation {
  const explanation = explainForUser(error, profile);
  void vscode.window.showErrorMessage(failureText(explanation));
  return explanation;
}

export function showFailure(error: unknown, profile: SmtpProfile | undefined, log: ProtocolLog, actions: FailureActions): Explanation {
  const explanation = explainForUser(error, profile);
  const openLog = vscode.l10n.t('Open Protocol Log');
  const signIn = signInMayHelp(error, profile);
  const again = signIn ? vscode.l10n.t('Sign In Again') : vscode.l10n.t('Enter Password Again');
  const passwordRefused = isRefusedPassword(error) && (profile === undefined || signInKind(profile) === 'none');
  const pin = vscode.l10n.t('Pin This Certificate');
  const first = actions.reenterPassword !== undefined && (signIn || passwordRefused) ? [again] : actions.pin !== undefined ? [pin] : [];
  const text = actions.pin === undefined ? failureText(explanation) : vscode.l10n.t('{0} Certificate SHA-256: {1}', failureText(explanation), actions.pin.fingerprint);
  // The log is revealed without taking focus, as vscode-markdownlint does on its first error.
  log.show(true);
  void vscode.window.showErrorMessage(text, ...first, openLog).then((choice) => {
    if (choice === openLog) log.show(false);
    if (choice === again) void actions.reenterPassword?.();
    if (choice === pin) void actions.pin?.run();
  });
  return explanation;
}
