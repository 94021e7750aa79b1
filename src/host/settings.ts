/**
 * The extension's settings, normalised from `unknown` into typed values with defaults
 * (vscode-eslint's pattern), re-read only when `sendAsEmail.*` changes or trust is granted.
 * Every setting that decides what is sent or how safely is read through inspect() by the
 * trust-aware reader in core/profile-settings.ts, never through `get()`.
 */
import * as vscode from 'vscode';
import type { MarkdownRenderOptions } from '../core/markdown/types';
import { readRestrictedSettings, restrictedPath, RESTRICTED_SETTINGS } from '../core/profile-settings';
import type { RestrictedLayers, RestrictedSettings, SettingLayers } from '../core/profile-settings';
import { explainIgnoredSettings } from './workspace-trust';

export const SECTION = 'sendAsEmail';

export type SettingsSnapshot = RestrictedSettings;

/** The layers of every restricted setting, as this configuration reports them. */
function restrictedLayers(configuration: vscode.WorkspaceConfiguration): RestrictedLayers {
  // The manifest's restrictedConfigurations list is the same RESTRICTED_SETTINGS (a unit test).
  return Object.fromEntries(RESTRICTED_SETTINGS.map((key) => [key, configuration.inspect(key) ?? {}])) as Record<keyof RestrictedLayers, SettingLayers>;
}

/** Reads the live configuration; `trusted` decides whether workspace layers count. */
export function readSettings(configuration: vscode.WorkspaceConfiguration, trusted: boolean): SettingsSnapshot {
  return readRestrictedSettings(restrictedLayers(configuration), trusted);
}

/**
 * How a Markdown draft at `resource` becomes HTML: `sendAsEmail.markdown.breaks` and the user
 * stylesheet (restricted: an untrusted workspace's value is not used). Read per draft, so
 * every check, the Preview and the send follow a change at once.
 */
export function renderOptionsFor(resource: vscode.Uri): MarkdownRenderOptions {
  const configuration = vscode.workspace.getConfiguration(SECTION, resource);
  const breaks = configuration.get<unknown>('markdown.breaks');
  return {
    breaks: typeof breaks === 'boolean' ? breaks : true,
    stylesheet: restrictedPath(configuration.inspect('stylesheet') ?? {}, vscode.workspace.isTrusted),
  };
}

/** What a warning about ignored settings names, so the same set is told only once. */
function ignoredKey(snapshot: SettingsSnapshot): string {
  return JSON.stringify([snapshot.ignored, snapshot.hiddenByTrust, snapshot.defaultProfileHidden ?? null]);
}

export class Settings implements vscode.Disposable {
  private cached: SettingsSnapshot | undefined;
  /** The ignored set last told about: once per distinct set, not on every command. */
  private told: string | undefined;
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    this.subscriptions = [
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(SECTION)) this.cached = undefined;
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        this.cached = undefined;
      }),
    ];
  }

  get current(): SettingsSnapshot {
    if (this.cached === undefined) {
      const snapshot = readSettings(vscode.workspace.getConfiguration(SECTION), vscode.workspace.isTrusted);
      this.cached = snapshot;
      const key = snapshot.ignored.length === 0 ? undefined : ignoredKey(snapshot);
      if (key !== undefined && key !== this.told) explainIgnoredSettings(snapshot);
      this.told = key;
    }
    return this.cached;
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
