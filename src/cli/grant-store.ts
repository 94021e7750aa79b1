/**
 * Where the command line keeps OAuth grants: the Secret Service keyring where one is running
 * (Linux, a D-Bus session bus, `secret-tool` answering), otherwise the 0600 sign-in file.
 * Reads look in the keyring first and then in the file, so a grant written to the file by an
 * earlier release (or on a day without a keyring) still works; logout removes both.
 */
import type { GrantStore, TokenGrant } from '../core/oauth/types';
import { GrantFile } from './grant-file';
import { SecretServiceGrants } from './grant-keyring';

/** A store that can say, for the login message, where a grant went. */
export interface DescribedGrantStore extends GrantStore {
  /** Where the last `put` wrote (or would write). */
  readonly description: string;
}

/** Whether to try the keyring at all: only Linux with a session bus (what Secret Service needs). */
export function keyringWanted(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): boolean {
  return platform === 'linux' && (env['DBUS_SESSION_BUS_ADDRESS'] ?? '') !== '';
}

export class KeyringThenFile implements DescribedGrantStore {
  constructor(
    private readonly keyring: GrantStore & { readonly description: string },
    private readonly file: GrantStore & { readonly path: string },
  ) {}

  get description(): string {
    return this.keyring.description;
  }

  async get(key: string): Promise<TokenGrant | undefined> {
    return (await this.keyring.get(key)) ?? this.file.get(key);
  }

  async put(key: string, grant: TokenGrant): Promise<void> {
    await this.keyring.put(key, grant);
    // A copy an earlier sign-in left in the file must not outlive this one.
    await this.file.delete(key);
  }

  async delete(key: string): Promise<void> {
    await this.keyring.delete(key);
    await this.file.delete(key);
  }
}

export class FileOnly implements DescribedGrantStore {
  constructor(private readonly file: GrantFile) {}

  get description(): string {
    return this.file.path;
  }

  get(key: string): Promise<TokenGrant | undefined> {
    return this.file.get(key);
  }

  put(key: string, grant: TokenGrant): Promise<void> {
    return this.file.put(key, grant);
  }

  delete(key: string): Promise<void> {
    return this.file.delete(key);
  }
}

/** The store for this run (probing the keyring takes one `secret-tool lookup`). */
export async function chooseGrantStore(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): Promise<DescribedGrantStore> {
  const file = new GrantFile();
  if (keyringWanted(env, platform) && (await SecretServiceGrants.available(env))) {
    return new KeyringThenFile(new SecretServiceGrants(env), file);
  }
  return new FileOnly(file);
}
