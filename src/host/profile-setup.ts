/**
 * What to offer when no SMTP profile exists: write a ready-to-fill example into the user's
 * settings.json through VS Code's own settings writer (so the file's formatting and comments
 * survive), then open settings.json on it. The schema's defaultSnippets cover adding more by hand.
 */
import * as vscode from 'vscode';
import { SECTION } from './settings';

export const EXAMPLE_PROFILE_NAME = 'work';

export const EXAMPLE_PROFILE = {
  host: 'smtp.example.com',
  port: 587,
  security: 'starttls',
  username: 'you@example.com',
  from: 'Your Name <you@example.com>',
} as const;

async function revealSettingsKey(key: string): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.openSettingsJson');
  const editor = vscode.window.activeTextEditor;
  if (editor === undefined) return;
  const offset = editor.document.getText().indexOf(`"${key}"`);
  if (offset < 0) return;
  const start = editor.document.positionAt(offset);
  const end = editor.document.positionAt(offset + key.length + 2);
  editor.selection = new vscode.Selection(start, end);
  editor.revealRange(new vscode.Range(start, end), vscode.TextEditorRevealType.AtTop);
}

export async function addExampleProfile(): Promise<void> {
  const configuration = vscode.workspace.getConfiguration(SECTION);
  const existing = configuration.inspect<Record<string, unknown>>('profiles')?.globalValue ?? {};
  if (!(EXAMPLE_PROFILE_NAME in existing)) {
    await configuration.update('profiles', { ...existing, [EXAMPLE_PROFILE_NAME]: EXAMPLE_PROFILE }, vscode.ConfigurationTarget.Global);
  }
  await revealSettingsKey(`${SECTION}.profiles`);
}

/** Non-blocking: the command that needed a profile has already stopped. */
export function offerProfileSetup(): void {
  const add = vscode.l10n.t('Add Example Profile');
  const open = vscode.l10n.t('Open Settings');
  void vscode.window
    .showWarningMessage(
      vscode.l10n.t('No SMTP profile is set up yet. Add one to your settings (host, port, security, username, from); the password is asked for when first needed.'),
      add,
      open,
    )
    .then((choice) => {
      if (choice === add) void addExampleProfile();
      if (choice === open) void vscode.commands.executeCommand('workbench.action.openSettings', `${SECTION}.profiles`);
    });
}
