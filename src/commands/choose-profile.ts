/**
 * Which SMTP profile a flow uses: the one asked for (draft's `profile:` or a command argument),
 * else `sendAsEmail.defaultProfile`, else the only one, else a quick pick. When none can be
 * used it says why — not set up, invalid, or hidden because the workspace is untrusted.
 */
import * as vscode from 'vscode';
import { escapeForDisplay } from '../core/escape';
import type { SmtpProfile } from '../core/profiles';
import { renderText } from '../core/text';
import { translate } from '../host/l10n';
import { offerProfileSetup } from '../host/profile-setup';
import { SECTION } from '../host/settings';
import type { SettingsSnapshot } from '../host/settings';
import { explainUntrustedProfile, explainUntrustedProfiles } from '../host/workspace-trust';

export type ProfileChoice =
  | { readonly profile: SmtpProfile }
  | { readonly cancelled: true }
  | { readonly unavailable: string };

function explainUnusable(settings: SettingsSnapshot, name: string): ProfileChoice {
  if (settings.hiddenByTrust.includes(name)) {
    explainUntrustedProfile(name);
    return { unavailable: `profile "${name}" is defined only in untrusted workspace settings` };
  }
  const errors = settings.errors.get(name);
  const open = vscode.l10n.t('Open Settings');
  const shown = escapeForDisplay(name);
  const message =
    errors === undefined
      ? vscode.l10n.t('There is no SMTP profile named "{0}" in setting sendAsEmail.profiles.', shown)
      : vscode.l10n.t('SMTP profile "{0}" cannot be used: {1}', shown, escapeForDisplay(errors.map(translate).join('; ')));
  void vscode.window.showErrorMessage(message, open).then((choice) => {
    if (choice === open) void vscode.commands.executeCommand('workbench.action.openSettings', `${SECTION}.profiles`);
  });
  // The outcome is for scripts and tests: English, as the log.
  return { unavailable: errors === undefined ? `no profile "${name}"` : errors.map((e) => renderText(e)).join('; ') };
}

export async function pickFromAll(settings: SettingsSnapshot, placeHolder: string): Promise<ProfileChoice> {
  const all = [...settings.profiles.values()];
  if (all.length === 0) {
    if (settings.hiddenByTrust.length > 0) explainUntrustedProfiles(settings.hiddenByTrust);
    else offerProfileSetup();
    return { unavailable: 'no SMTP profile is set up' };
  }
  const picked = await vscode.window.showQuickPick(
    all.map((profile) => ({
      label: escapeForDisplay(profile.name),
      description: escapeForDisplay(`${profile.host}:${profile.port} (${profile.security})`),
      detail: profile.username === undefined ? vscode.l10n.t('no authentication') : escapeForDisplay(profile.username),
      profile,
    })),
    { placeHolder, ignoreFocusOut: true },
  );
  return picked === undefined ? { cancelled: true } : { profile: picked.profile };
}

/** `wanted` is an explicit name (the draft's or an argument); otherwise the default, the only one, or ask. */
export async function chooseProfile(settings: SettingsSnapshot, wanted: string | undefined, placeHolder: string): Promise<ProfileChoice> {
  const name = wanted ?? settings.defaultProfile;
  if (name !== undefined) {
    const profile = settings.profiles.get(name);
    return profile === undefined ? explainUnusable(settings, name) : { profile };
  }
  const only = [...settings.profiles.values()];
  if (only.length === 1 && only[0] !== undefined) return { profile: only[0] };
  return pickFromAll(settings, placeHolder);
}

/** For a flow that only needs the sender: no profile is needed when the draft says `from:` and names none. */
export function profileIsOptional(settings: SettingsSnapshot, draftHasFrom: boolean, wanted: string | undefined): boolean {
  return draftHasFrom && wanted === undefined && settings.defaultProfile === undefined && settings.profiles.size !== 1;
}
