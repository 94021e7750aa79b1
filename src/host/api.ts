/**
 * What activate() returns: a deliberately small surface for tests and scripts. It never
 * exposes a secret, only whether one is stored and under which key.
 */
import type { PasswordStore } from './passwords';
import type { Settings } from './settings';
import { findOutputLogFile } from './log-file';
import { LOG_CHANNEL_NAME } from './protocol-log';
import type { PreviewSnapshot } from './preview/panel';
import type { EditorState } from './editor';
import type { OAuthApi } from './oauth/api';

export interface SendAsEmailApi {
  /** The SecretStorage key the named profile's password lives under now; undefined if no such usable profile. */
  secretKeyFor(profileName: string): Promise<string | undefined>;
  /** Whether a password is stored for the named profile as currently configured. */
  hasStoredPassword(profileName: string): Promise<boolean>;
  /** The protocol log as VS Code writes it to disk, when it can be found. */
  protocolLogFile(): Promise<string | undefined>;
  /**
   * The Preview panel as it is now (content, the bytes it was read from, what the webview has on
   * screen); `receive` handles a message exactly as if the webview had posted it (same checks).
   */
  readonly preview: { snapshot(): PreviewSnapshot | undefined; receive(message: unknown): Promise<unknown> };
  /** The draft-aware editor, read-only: the isDraft context key and the status bar text. */
  readonly editor: EditorState;
  /** OAuth 2.0 sign-in: grant keys, signed-in state, and (development/test mode only) test hooks. */
  readonly oauth: OAuthApi;
}

export function createApi(settings: Settings, passwords: () => Promise<PasswordStore>, extensionLogDir: string, preview: SendAsEmailApi['preview'], editor: EditorState, oauth: OAuthApi): SendAsEmailApi {
  return {
    secretKeyFor: async (name) => {
      const profile = settings.current.profiles.get(name);
      return profile === undefined ? undefined : (await passwords()).keyFor(profile);
    },
    hasStoredPassword: async (name) => {
      const profile = settings.current.profiles.get(name);
      return profile === undefined ? false : (await passwords()).has(profile);
    },
    protocolLogFile: () => findOutputLogFile(extensionLogDir, LOG_CHANNEL_NAME),
    preview,
    editor,
    oauth,
  };
}
