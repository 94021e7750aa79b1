/**
 * The command line's GrantStore: one JSON file, `oauth-grants.json` in
 * $XDG_CONFIG_HOME/send-as-email/ (default ~/.config/send-as-email/), mode 0600 in a 0700
 * folder, written whole to a temporary file and renamed over the old one so a crash never
 * leaves half a file. Used where no Secret Service keyring is running (grant-store.ts), and
 * always on macOS and Windows (see README, "Signing in with Microsoft or Google").
 */
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { ConfigError } from '../core/errors';
import { errnoOf, isRecord } from '../core/guards';
import { grantFromRecord, serialiseGrant } from '../core/oauth/grant-codec';
import type { GrantStore, TokenGrant } from '../core/oauth/types';
import { localized } from '../core/text';

export function defaultGrantPath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env['XDG_CONFIG_HOME'] || join(homedir(), '.config');
  return join(base, 'send-as-email', 'oauth-grants.json');
}

export class GrantFile implements GrantStore {
  constructor(readonly path: string = defaultGrantPath()) {}

  async get(key: string): Promise<TokenGrant | undefined> {
    return grantFromRecord((await this.readAll())[key]);
  }

  async put(key: string, grant: TokenGrant): Promise<void> {
    const all = await this.readAll();
    all[key] = JSON.parse(serialiseGrant(grant)) as unknown;
    await this.writeAll(all);
  }

  async delete(key: string): Promise<void> {
    const all = await this.readAll();
    if (!(key in all)) return;
    delete all[key];
    await this.writeAll(all);
  }

  private async readAll(): Promise<Record<string, unknown>> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if (errnoOf(error) === 'ENOENT') return {};
      throw new ConfigError(localized('Cannot read the sign-in file {0}: {1}', this.path, error instanceof Error ? error.message : String(error)), error);
    }
    try {
      const raw: unknown = JSON.parse(text);
      return isRecord(raw) ? { ...raw } : {};
    } catch {
      // A damaged file holds no usable grant; the next sign-in writes a good one.
      return {};
    }
  }

  private async writeAll(all: Record<string, unknown>): Promise<void> {
    const folder = dirname(this.path);
    await mkdir(folder, { recursive: true, mode: 0o700 });
    const temporary = `${this.path}.${process.pid}.tmp`;
    try {
      // Created 0600 (the umask can only take bits away); never readable by others, not even briefly.
      await writeFile(temporary, `${JSON.stringify(all, undefined, 2)}\n`, { mode: 0o600, flag: 'w' });
      await chmod(temporary, 0o600);
      await rename(temporary, this.path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw new ConfigError(localized('Cannot write the sign-in file {0}: {1}', this.path, error instanceof Error ? error.message : String(error)), error);
    }
  }
}
