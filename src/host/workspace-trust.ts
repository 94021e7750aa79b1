/** Telling the user when workspace trust is why a profile is not available. */
import * as vscode from 'vscode';
import { escapeForDisplay } from '../core/escape';
import type { RestrictedSettings } from '../core/profile-settings';

export function explainUntrustedProfile(name: string): void {
  const manage = vscode.l10n.t('Manage Workspace Trust');
  void vscode.window
    .showWarningMessage(
      vscode.l10n.t(
        'Profile "{0}" comes from this workspace\'s settings, which are not used while the workspace is untrusted (a workspace must not choose where your mail and password go). Define it in your user settings, or trust the workspace.',
        escapeForDisplay(name),
      ),
      manage,
    )
    .then((choice) => {
      if (choice === manage) void vscode.commands.executeCommand('workbench.trust.manage');
    });
}

export function explainUntrustedProfiles(names: readonly string[]): void {
  if (names.length === 1 && names[0] !== undefined) return explainUntrustedProfile(names[0]);
  const manage = vscode.l10n.t('Manage Workspace Trust');
  void vscode.window
    .showWarningMessage(
      vscode.l10n.t('Profiles {0} come from this workspace\'s settings, which are not used while the workspace is untrusted.', names.map((n) => `"${escapeForDisplay(n)}"`).join(', ')),
      manage,
    )
    .then((choice) => {
      if (choice === manage) void vscode.commands.executeCommand('workbench.trust.manage');
    });
}

/** The ignored settings as the user would search for them, with what each would have set. */
function ignoredParts(settings: RestrictedSettings): string[] {
  return settings.ignored.map((key) => {
    switch (key) {
      case 'profiles':
        return vscode.l10n.t('sendAsEmail.profiles ({0})', settings.hiddenByTrust.map((n) => `"${escapeForDisplay(n)}"`).join(', '));
      case 'defaultProfile':
        return vscode.l10n.t('sendAsEmail.defaultProfile ("{0}")', escapeForDisplay(settings.defaultProfileHidden ?? ''));
      case 'confirmBeforeSend':
        return 'sendAsEmail.confirmBeforeSend';
      case 'trace':
        return 'sendAsEmail.trace';
      case 'addressBook':
        return 'sendAsEmail.addressBook';
      case 'templatesFolder':
        return 'sendAsEmail.templatesFolder';
      case 'stylesheet':
        return 'sendAsEmail.stylesheet';
    }
  });
}

/**
 * Told once per set of ignored settings (see Settings): this untrusted workspace's own values
 * for settings that decide where mail goes, how safely, whether it is confirmed or what is
 * logged were not used; the user's settings were.
 */
export function explainIgnoredSettings(settings: RestrictedSettings): void {
  const manage = vscode.l10n.t('Manage Workspace Trust');
  void vscode.window
    .showWarningMessage(
      vscode.l10n.t(
        'This workspace is untrusted, so its settings {0} are ignored and your user settings are used: a workspace must not choose where your mail and password go, skip the confirmation, or change what is logged.',
        ignoredParts(settings).join(', '),
      ),
      manage,
    )
    .then((choice) => {
      if (choice === manage) void vscode.commands.executeCommand('workbench.trust.manage');
    });
}
