/**
 * Passwords (or XOAUTH2 tokens) in VS Code's SecretStorage, under a key bound to user, host and
 * port (see secret-key.ts). Nothing here logs or returns a secret except `get`.
 */
import type * as vscode from 'vscode';
import type { SmtpProfile } from '../core/profiles';
import { secretKey } from './secret-key';

export class PasswordStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  keyFor(profile: SmtpProfile): string {
    return secretKey(profile);
  }

  async get(profile: SmtpProfile): Promise<string | undefined> {
    const value = await this.secrets.get(this.keyFor(profile));
    return value === '' ? undefined : value;
  }

  async has(profile: SmtpProfile): Promise<boolean> {
    return (await this.get(profile)) !== undefined;
  }

  async store(profile: SmtpProfile, secret: string): Promise<void> {
    await this.secrets.store(this.keyFor(profile), secret);
  }

  async forget(profile: SmtpProfile): Promise<void> {
    await this.secrets.delete(this.keyFor(profile));
  }
}
