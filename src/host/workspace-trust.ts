/** Telling the user when workspace trust is why a profile is not available. */
import * as vscode from 'vscode';

export function explainUntrustedProfile(name: string): void {
  const manage = vscode.l10n.t('Manage Workspace Trust');
  void vscode.window
    .showWarningMessage(
      vscode.l10n.t(
        'Profile "{0}" comes from this workspace\'s settings, which are not used while the workspace is untrusted (a workspace must not choose where your mail and password go). Define it in your user settings, or trust the workspace.',
        name,
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
      vscode.l10n.t('Profiles {0} come from this workspace\'s settings, which are not used while the workspace is untrusted.', names.map((n) => `"${n}"`).join(', ')),
      manage,
    )
    .then((choice) => {
      if (choice === manage) void vscode.commands.executeCommand('workbench.trust.manage');
    });
}
