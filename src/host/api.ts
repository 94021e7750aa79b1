/**
 * What activate() returns: a deliberately small surface for tests and scripts. It never
 * exposes a secret, only whether one is stored and under which key.
 */
import type { PasswordStore } from './passwords';
import type { Settings } from './settings';
import { findOutputLogFile } from './log-file';
import { LOG_CHANNEL_NAME } from './protocol-log';

export interface SendAsEmailApi {
  /** The SecretStorage key the named profile's password lives under now; undefined if no such usable profile. */
  secretKeyFor(profileName: string): Promise<string | undefined>;
  /** Whether a password is stored for the named profile as currently configured. */
  hasStoredPassword(profileName: string): Promise<boolean>;
  /** The protocol log as VS Code writes it to disk, when it can be found. */
  protocolLogFile(): Promise<string | undefined>;
}

export function createApi(settings: Settings, passwords: PasswordStore, extensionLogDir: string): SendAsEmailApi {
  return {
    secretKeyFor: async (name) => {
      const profile = settings.current.profiles.get(name);
      return profile === undefined ? undefined : passwords.keyFor(profile);
    },
    hasStoredPassword: async (name) => {
      const profile = settings.current.profiles.get(name);
      return profile === undefined ? false : passwords.has(profile);
    },
    protocolLogFile: () => findOutputLogFile(extensionLogDir, LOG_CHANNEL_NAME),
  };
}
