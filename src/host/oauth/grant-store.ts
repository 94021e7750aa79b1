/**
 * Grants in VS Code's SecretStorage (core/oauth's GrantStore), under core/oauth/grant-key.ts's
 * key: the password key with an `oauth2 ` prefix, so a profile's password and its grant never
 * overwrite each other. The same key holds the Microsoft session record (session-record.ts);
 * each reader ignores the other's kind. Nothing here logs or returns a secret except `get`.
 */
import type * as vscode from 'vscode';
import { parseGrant, serialiseGrant } from '../../core/oauth/grant-codec';
import type { GrantStore, TokenGrant } from '../../core/oauth/types';
import { parseSessionRecord, serialiseSessionRecord } from './session-record';
import type { SessionRecord } from './session-record';

export class SecretGrantStore implements GrantStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  async get(key: string): Promise<TokenGrant | undefined> {
    return parseGrant(await this.secrets.get(key));
  }

  async put(key: string, grant: TokenGrant): Promise<void> {
    await this.secrets.store(key, serialiseGrant(grant));
  }

  async delete(key: string): Promise<void> {
    await this.secrets.delete(key);
  }

  async getSession(key: string): Promise<SessionRecord | undefined> {
    return parseSessionRecord(await this.secrets.get(key));
  }

  async putSession(key: string, record: SessionRecord): Promise<void> {
    await this.secrets.store(key, serialiseSessionRecord(record));
  }

  /**
   * Copies a grant or session record from one key to another (a profile whose key changed, as
   * when its certificate is pinned). Anything else under `from` — a password — is not copied.
   */
  async copy(from: string, to: string): Promise<boolean> {
    const text = await this.secrets.get(from);
    if (parseGrant(text) === undefined && parseSessionRecord(text) === undefined) return false;
    await this.secrets.store(to, text ?? '');
    return true;
  }

  /** Whether anything (a grant or a session record) is stored under the key. */
  async has(key: string): Promise<boolean> {
    const text = await this.secrets.get(key);
    return parseGrant(text) !== undefined || parseSessionRecord(text) !== undefined;
  }
}
