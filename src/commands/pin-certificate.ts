/**
 * "Pin This Certificate": writes `tls.fingerprint` into the profile, in the settings layer that
 * defines it (the workspace's when a trusted workspace defines it, else the user's), so from then
 * on that exact certificate stands in for the chain and host-name checks (core/smtp/tls-setup.ts).
 *
 * The pin is part of the SecretStorage key of the password and of an OAuth sign-in
 * (core/secret-key.ts, core/oauth/grant-key.ts). Pinning only makes the connection safer, so the
 * stored password and the sign-in are copied to the pinned profile's keys: the user chose this in
 * our own dialog, and is neither asked for the password again nor signed out.
 */
import * as vscode from 'vscode';
import { escapeForDisplay } from '../core/escape';
import { isRecord } from '../core/guards';
import type { SmtpProfile } from '../core/profiles';
import type { TlsDetails } from '../core/smtp/types';
import { SECTION } from '../host/settings';
import type { Services } from './services';

type Layer = { readonly target: vscode.ConfigurationTarget; readonly value: Record<string, unknown> };

/** The layer whose entry for `name` is the one in use. */
function definingLayer(configuration: vscode.WorkspaceConfiguration, name: string): Layer | undefined {
  const layers = configuration.inspect('profiles');
  // Workspace layers count only when trusted (core/profile-settings.ts); folder values do not
  // apply to this window-scoped setting.
  const candidates: Array<[vscode.ConfigurationTarget, unknown]> = vscode.workspace.isTrusted
    ? [[vscode.ConfigurationTarget.Workspace, layers?.workspaceValue], [vscode.ConfigurationTarget.Global, layers?.globalValue]]
    : [[vscode.ConfigurationTarget.Global, layers?.globalValue]];
  for (const [target, value] of candidates) {
    if (isRecord(value) && isRecord(value[name])) return { target, value };
  }
  return undefined;
}

/**
 * Whether to offer "Pin This Certificate": only for a certificate no authority vouched for (a
 * self-signed test server). A pin on a publicly verified certificate would break the profile at
 * the provider's next routine certificate change.
 */
export function offerPin(tls: TlsDetails | undefined): boolean {
  return tls?.authorized === false;
}

export async function pinCertificate(services: Services, profile: SmtpProfile, fingerprint: string): Promise<boolean> {
  const configuration = vscode.workspace.getConfiguration(SECTION);
  const layer = definingLayer(configuration, profile.name);
  const entry = layer?.value[profile.name];
  if (layer === undefined || !isRecord(entry)) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Could not find where profile "{0}" is defined; set its tls.fingerprint to {1} by hand.', escapeForDisplay(profile.name), fingerprint));
    return false;
  }
  const secret = await services.passwords.get(profile);
  const pinned: SmtpProfile = { ...profile, tls: { ...profile.tls, fingerprint } };
  const tls = isRecord(entry['tls']) ? entry['tls'] : {};
  await configuration.update('profiles', { ...layer.value, [profile.name]: { ...entry, tls: { ...tls, fingerprint } } }, layer.target);
  if (secret !== undefined) await services.passwords.store(pinned, secret);
  await services.signIn.carryOver(profile, pinned);
  void vscode.window.showInformationMessage(vscode.l10n.t('Profile "{0}" now accepts only the certificate with SHA-256 {1}.', escapeForDisplay(profile.name), fingerprint));
  return true;
}
