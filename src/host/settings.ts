/**
 * The extension's settings, normalised from `unknown` into typed values with defaults
 * (vscode-eslint's pattern), re-read only when `sendAsEmail.*` changes or trust is granted.
 */
import * as vscode from 'vscode';
import type { TraceLevel } from '../core/smtp/types';
import { readProfileSettings } from './profile-settings';
import type { ProfileSettings } from './profile-settings';

export const SECTION = 'sendAsEmail';

export interface SettingsSnapshot extends ProfileSettings {
  readonly confirmBeforeSend: boolean;
  readonly trace: TraceLevel;
}

const TRACE_LEVELS: readonly TraceLevel[] = ['off', 'messages', 'verbose'];

function traceFrom(value: unknown): TraceLevel {
  return typeof value === 'string' && (TRACE_LEVELS as readonly string[]).includes(value) ? (value as TraceLevel) : 'messages';
}

/** Reads the live configuration; `trusted` decides whether workspace layers count. */
export function readSettings(configuration: vscode.WorkspaceConfiguration, trusted: boolean): SettingsSnapshot {
  const profiles = readProfileSettings(configuration.inspect('profiles') ?? {}, configuration.inspect('defaultProfile') ?? {}, trusted);
  return {
    ...profiles,
    confirmBeforeSend: configuration.get<unknown>('confirmBeforeSend') !== false,
    trace: traceFrom(configuration.get<unknown>('trace')),
  };
}

export class Settings implements vscode.Disposable {
  private cached: SettingsSnapshot | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly subscriptions: vscode.Disposable[];
  /** Fires after `sendAsEmail.*` changed or the workspace became trusted. */
  readonly onDidChange = this.changed.event;

  constructor() {
    this.subscriptions = [
      this.changed,
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(SECTION)) this.invalidate();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.invalidate()),
    ];
  }

  get current(): SettingsSnapshot {
    this.cached ??= readSettings(vscode.workspace.getConfiguration(SECTION), vscode.workspace.isTrusted);
    return this.cached;
  }

  private invalidate(): void {
    this.cached = undefined;
    this.changed.fire();
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
