/**
 * The extension's settings that decide what is sent, where, and how safely — SMTP profiles, the
 * default profile, the confirmation before sending, and the trace level (what is logged) — read
 * from the layers `WorkspaceConfiguration.inspect()` reports. Pure, so it is tested alone.
 *
 * Why inspect() and not get(): a workspace can carry its own settings, and a draft often arrives
 * inside a cloned repository. In an untrusted workspace its settings must not choose the server
 * your mail and password go to, nor switch the confirmation off, nor change what is logged; so
 * only the default and user (global) layers count there. The manifest lists the same settings
 * under `restrictedConfigurations`; doing it here as well makes the rule explicit and lets the
 * user be told exactly what was set aside.
 */
import { isRecord, nonEmptyString } from './guards';
import { normaliseProfile } from './profiles';
import type { SmtpProfile } from './profiles';
import type { TraceLevel } from './smtp/types';
import type { LocalizedText } from './text';

/** The layers of one setting, as `inspect()` returns them (language overrides do not apply). */
export interface SettingLayers {
  readonly defaultValue?: unknown;
  readonly globalValue?: unknown;
  readonly workspaceValue?: unknown;
  readonly workspaceFolderValue?: unknown;
}

/** The restricted settings, by their key under `sendAsEmail`. */
export interface RestrictedLayers {
  readonly profiles: SettingLayers;
  readonly defaultProfile: SettingLayers;
  readonly confirmBeforeSend: SettingLayers;
  readonly trace: SettingLayers;
  /** Files a workspace could make the extension read and offer into drafts (authoring). */
  readonly addressBook?: SettingLayers;
  readonly templatesFolder?: SettingLayers;
  /** A local CSS file whose rules go into every HTML part (markdown/stylesheet.ts). */
  readonly stylesheet?: SettingLayers;
}

export const RESTRICTED_SETTINGS: ReadonlyArray<keyof RestrictedLayers> = ['profiles', 'defaultProfile', 'confirmBeforeSend', 'trace', 'addressBook', 'templatesFolder', 'stylesheet'];

export interface ProfileSettings {
  readonly profiles: ReadonlyMap<string, SmtpProfile>;
  /** Why an entry was not usable, one sentence per problem, each naming the profile. */
  readonly errors: ReadonlyMap<string, readonly LocalizedText[]>;
  /** Names defined (or redefined) by workspace settings that were ignored: the workspace is untrusted. */
  readonly hiddenByTrust: readonly string[];
  /** `sendAsEmail.defaultProfile`, empty counting as unset. */
  readonly defaultProfile: string | undefined;
  /** The workspace's default profile when it was ignored (untrusted) and differs from the one used. */
  readonly defaultProfileHidden: string | undefined;
}

export interface RestrictedSettings extends ProfileSettings {
  readonly confirmBeforeSend: boolean;
  readonly trace: TraceLevel;
  /** `sendAsEmail.addressBook` and `sendAsEmail.templatesFolder` as written (empty counting as unset). */
  readonly addressBook: string | undefined;
  readonly templatesFolder: string | undefined;
  /** `sendAsEmail.stylesheet` as written (empty counting as unset). */
  readonly stylesheet: string | undefined;
  /** Keys (`profiles`, `defaultProfile`, …) whose workspace values were ignored and would have changed something. */
  readonly ignored: ReadonlyArray<keyof RestrictedLayers>;
}

const TRACE_LEVELS: readonly TraceLevel[] = ['off', 'messages', 'verbose'];

function entries(value: unknown): Array<[string, unknown]> {
  return isRecord(value) ? Object.entries(value) : [];
}

/** The layers that count, lowest first: VS Code's order, with the workspace layers only when trusted. */
function countedLayers(layers: SettingLayers, trusted: boolean): unknown[] {
  return trusted
    ? [layers.defaultValue, layers.globalValue, layers.workspaceValue, layers.workspaceFolderValue]
    : [layers.defaultValue, layers.globalValue];
}

/** The highest counted layer that `read` accepts; a value of the wrong type falls through to the layer below. */
function effective<T>(layers: SettingLayers, trusted: boolean, read: (value: unknown) => T | undefined): T | undefined {
  let chosen: T | undefined;
  for (const value of countedLayers(layers, trusted)) chosen = read(value) ?? chosen;
  return chosen;
}

/** The workspace's own value for a setting, folder before workspace, as a trusted workspace would use it. */
function workspaceOwn<T>(layers: SettingLayers, read: (value: unknown) => T | undefined): T | undefined {
  return read(layers.workspaceFolderValue) ?? read(layers.workspaceValue);
}

/** A restricted path setting (`stylesheet`) on its own: the highest counted layer's non-empty string. */
export function restrictedPath(layers: SettingLayers, trusted: boolean): string | undefined {
  return effective(layers, trusted, nonEmptyString);
}

const readBoolean = (value: unknown): boolean | undefined => (typeof value === 'boolean' ? value : undefined);
const readTrace = (value: unknown): TraceLevel | undefined =>
  typeof value === 'string' && (TRACE_LEVELS as readonly string[]).includes(value) ? (value as TraceLevel) : undefined;

/**
 * Merges the profile layers name by name (a later layer's profile replaces an earlier one of the
 * same name, as VS Code merges object settings), then normalises every profile.
 */
export function readProfileSettings(profiles: SettingLayers, defaultProfile: SettingLayers, trusted: boolean): ProfileSettings {
  const merged = new Map<string, unknown>();
  for (const layer of countedLayers(profiles, trusted)) for (const [name, raw] of entries(layer)) merged.set(name, raw);

  const hiddenByTrust = trusted
    ? []
    : [...new Set([...entries(profiles.workspaceValue), ...entries(profiles.workspaceFolderValue)].map(([name]) => name))];

  const usable = new Map<string, SmtpProfile>();
  const errors = new Map<string, readonly LocalizedText[]>();
  for (const [name, raw] of merged) {
    const result = normaliseProfile(name, raw);
    if (result.profile !== undefined) usable.set(name, result.profile);
    else errors.set(name, result.errors);
  }

  const chosenDefault = effective(defaultProfile, trusted, nonEmptyString);
  const workspaceDefault = workspaceOwn(defaultProfile, nonEmptyString);
  return {
    profiles: usable,
    errors,
    hiddenByTrust,
    defaultProfile: chosenDefault,
    defaultProfileHidden: !trusted && workspaceDefault !== undefined && workspaceDefault !== chosenDefault ? workspaceDefault : undefined,
  };
}

/** Every restricted setting; in an untrusted workspace, `ignored` names what the workspace tried to change. */
export function readRestrictedSettings(layers: RestrictedLayers, trusted: boolean): RestrictedSettings {
  const profiles = readProfileSettings(layers.profiles, layers.defaultProfile, trusted);
  const confirmBeforeSend = effective(layers.confirmBeforeSend, trusted, readBoolean) ?? true;
  const trace = effective(layers.trace, trusted, readTrace) ?? 'messages';
  // A workspace's address book could plant look-alike contacts; its templates could attach files.
  const addressBook = effective(layers.addressBook ?? {}, trusted, nonEmptyString);
  const templatesFolder = effective(layers.templatesFolder ?? {}, trusted, nonEmptyString);
  // A workspace's stylesheet setting would make the extension read a file of its choosing into mail.
  const stylesheet = effective(layers.stylesheet ?? {}, trusted, nonEmptyString);
  const differs = <T>(setting: SettingLayers, read: (value: unknown) => T | undefined, used: T): boolean => {
    const own = workspaceOwn(setting, read);
    return own !== undefined && own !== used;
  };
  const ignored: Array<keyof RestrictedLayers> = [];
  if (!trusted) {
    if (profiles.hiddenByTrust.length > 0) ignored.push('profiles');
    if (profiles.defaultProfileHidden !== undefined) ignored.push('defaultProfile');
    if (differs(layers.confirmBeforeSend, readBoolean, confirmBeforeSend)) ignored.push('confirmBeforeSend');
    if (differs(layers.trace, readTrace, trace)) ignored.push('trace');
    if (differs(layers.addressBook ?? {}, nonEmptyString, addressBook)) ignored.push('addressBook');
    if (differs(layers.templatesFolder ?? {}, nonEmptyString, templatesFolder)) ignored.push('templatesFolder');
    if (differs(layers.stylesheet ?? {}, nonEmptyString, stylesheet)) ignored.push('stylesheet');
  }
  return { ...profiles, confirmBeforeSend, trace, addressBook, templatesFolder, stylesheet, ignored };
}
