/** Asks for an SMTP password (or XOAUTH2 token) with a masked input box that survives focus changes. */
import * as vscode from 'vscode';
import { escapeForDisplay } from '../core/escape';
import type { SmtpProfile } from '../core/profiles';

export async function askPassword(profile: SmtpProfile, again = false): Promise<string | undefined> {
  const account = escapeForDisplay(`${profile.username ?? ''} @ ${profile.host}:${profile.port}`);
  const token = profile.auth === 'xoauth2';
  const value = await vscode.window.showInputBox({
    title: token
      ? vscode.l10n.t('OAuth 2.0 access token for profile "{0}"', escapeForDisplay(profile.name))
      : vscode.l10n.t('SMTP password for profile "{0}"', escapeForDisplay(profile.name)),
    prompt: again
      ? vscode.l10n.t('The server refused the password for {0}. Enter it again; it is stored in the system keychain.', account)
      : vscode.l10n.t('For {0}. It is stored in the system keychain, not in settings.', account),
    password: true,
    ignoreFocusOut: true,
    validateInput: (text) => (text === '' ? vscode.l10n.t('Enter a password, or press Escape to cancel.') : undefined),
  });
  return value === undefined || value === '' ? undefined : value;
}
