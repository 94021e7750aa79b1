/**
 * Passwords (or XOAUTH2 tokens) in VS Code's SecretStorage, under a key bound to the account,
 * the server and how safely it is reached (core/secret-key.ts). Nothing here logs or returns a
 * secret except `get`.
 */
import { readFile } from 'node:fs/promises';
import type * as vscode from 'vscode';
import type { SmtpProfile } from '../core/profiles';
import { sha256Hex } from '../core/guards';
import { legacySecretKey, secretKey } from '../core/secret-key';

/** SHA-256 of the profile's CA file as it is now; undefined without a CA or when it cannot be read. */
async function caDigest(profile: SmtpProfile): Promise<string | undefined> {
  if (profile.tls.ca === undefined) return undefined;
  try {
    return sha256Hex(await readFile(profile.tls.ca));
  } catch {
    // The session reports the unreadable CA itself; the key just differs from any readable one.
    return undefined;
  }
}

export class PasswordStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  async keyFor(profile: SmtpProfile): Promise<string> {
    return secretKey(profile, await caDigest(profile));
  }

  async get(profile: SmtpProfile): Promise<string | undefined> {
    const value = await this.secrets.get(await this.keyFor(profile));
    return value === '' ? undefined : value;
  }

  async has(profile: SmtpProfile): Promise<boolean> {
    return (await this.get(profile)) !== undefined;
  }

  async store(profile: SmtpProfile, secret: string): Promise<void> {
    await this.secrets.store(await this.keyFor(profile), secret);
    await this.secrets.delete(legacySecretKey(profile));
  }

  async forget(profile: SmtpProfile): Promise<void> {
    await this.secrets.delete(await this.keyFor(profile));
    await this.secrets.delete(legacySecretKey(profile));
  }
}
