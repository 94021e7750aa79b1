/**
 * Which SMTP profiles the extension may use, from the layers of `sendAsEmail.profiles` as
 * `WorkspaceConfiguration.inspect` reports them. Pure (no `vscode` import) so it is tested alone.
 *
 * Why inspect and not `get`: a workspace can carry its own settings. In an untrusted workspace
 * those must not choose the server your mail — and the password bound to it — goes to, so only
 * the default and user (global) layers count there. VS Code also honours the manifest's
 * `restrictedConfigurations`; doing it here as well makes the rule explicit and lets us tell
 * the user which profiles were set aside and why.
 */
import { normaliseProfile } from '../core/profiles';
import type { SmtpProfile } from '../core/profiles';

/** The layers of one setting, as `inspect()` returns them (language overrides do not apply). */
export interface SettingLayers {
  readonly defaultValue?: unknown;
  readonly globalValue?: unknown;
  readonly workspaceValue?: unknown;
  readonly workspaceFolderValue?: unknown;
}

export interface ProfileSettings {
  readonly profiles: ReadonlyMap<string, SmtpProfile>;
  /** Why an entry was not usable, one message per problem, each naming the profile. */
  readonly errors: ReadonlyMap<string, readonly string[]>;
  /** Names defined (or redefined) by workspace settings that were ignored: the workspace is untrusted. */
  readonly hiddenByTrust: readonly string[];
  /** `sendAsEmail.defaultProfile`, empty counting as unset. */
  readonly defaultProfile?: string;
  /** True when a workspace-level default profile was ignored because the workspace is untrusted. */
  readonly defaultProfileHidden: boolean;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function entries(value: unknown): Array<[string, unknown]> {
  return isRecord(value) ? Object.entries(value) : [];
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * Merges the layers name by name (a later layer's profile replaces an earlier one of the same
 * name, as VS Code merges object settings), then normalises every profile.
 */
export function readProfileSettings(profiles: SettingLayers, defaultProfile: SettingLayers, trusted: boolean): ProfileSettings {
  const layers = trusted
    ? [profiles.defaultValue, profiles.globalValue, profiles.workspaceValue, profiles.workspaceFolderValue]
    : [profiles.defaultValue, profiles.globalValue];
  const merged = new Map<string, unknown>();
  for (const layer of layers) for (const [name, raw] of entries(layer)) merged.set(name, raw);

  const hiddenByTrust = trusted
    ? []
    : [...new Set([...entries(profiles.workspaceValue), ...entries(profiles.workspaceFolderValue)].map(([name]) => name))];

  const usable = new Map<string, SmtpProfile>();
  const errors = new Map<string, readonly string[]>();
  for (const [name, raw] of merged) {
    const result = normaliseProfile(name, raw);
    if (result.profile !== undefined) usable.set(name, result.profile);
    else errors.set(name, result.errors);
  }

  const workspaceDefault = nonEmptyString(defaultProfile.workspaceFolderValue) ?? nonEmptyString(defaultProfile.workspaceValue);
  const userDefault = nonEmptyString(defaultProfile.globalValue) ?? nonEmptyString(defaultProfile.defaultValue);
  const chosenDefault = trusted ? (workspaceDefault ?? userDefault) : userDefault;
  return {
    profiles: usable,
    errors,
    hiddenByTrust,
    ...(chosenDefault === undefined ? {} : { defaultProfile: chosenDefault }),
    defaultProfileHidden: !trusted && workspaceDefault !== undefined && workspaceDefault !== userDefault,
  };
}
