/**
 * Signing a profile in, out, and getting its access tokens, in the extension:
 * - `provider: "microsoft"` through VS Code's built-in Microsoft authentication provider
 *   (`vscode.authentication.getSession`): VS Code keeps and refreshes the tokens; the extension
 *   stores only which account and application the profile signed in with (session-record.ts).
 * - `provider: "google"` / `"custom"`: core/oauth's authorization code + PKCE flow through a
 *   loopback redirect, the browser opened with `vscode.env.openExternal`; the grant (refresh
 *   token included) kept in SecretStorage and refreshed by core/oauth's accessTokenFor.
 * - `tokenCommand`: core/oauth runs the helper; nothing to sign in to. Such a profile can only
 *   come from user settings in an untrusted workspace (core/profile-settings.ts drops the
 *   workspace's profiles there), so a cloned repository cannot make the editor run a program.
 * Log lines name the steps and the account, never a token.
 */
import * as vscode from 'vscode';
import { accessTokenFor, storedGrant } from '../../core/oauth/access-token';
import { SignInError, isSignInError } from '../../core/oauth/errors';
import { grantKeyFor } from '../../core/oauth/grant-key';
import { authorizeWithLoopback } from '../../core/oauth/loopback';
import { profileUsesOAuth } from '../../core/oauth/profile-oauth';
import { endpointsFor } from '../../core/oauth/providers';
import type { OAuthSettings, TokenSource } from '../../core/oauth/types';
import type { SmtpProfile } from '../../core/profiles';
import { isSmtpError } from '../../core/smtp/errors';
import { localized } from '../../core/text';
import type { OAuthEnvironment } from './environment';
import { SecretGrantStore } from './grant-store';
import { microsoftSessionScopes } from './microsoft-scopes';
import { recordMatches } from './session-record';
import type { SessionRecord } from './session-record';

/** How a profile gets its tokens in the extension. */
export type SignInKind = 'vscode-account' | 'loopback' | 'token-command' | 'none';

export function signInKind(profile: SmtpProfile): SignInKind {
  const oauth = profile.oauth;
  if (oauth === undefined || !profileUsesOAuth(profile)) return 'none';
  if (oauth.tokenCommand !== undefined) return 'token-command';
  return oauth.provider === 'microsoft' ? 'vscode-account' : 'loopback';
}

/**
 * Whether signing in again may cure this failure of this profile: not signed in, a refused
 * refresh (`invalid_grant`), or a server that refused the token itself. Offered as "Sign In
 * Again" (failure-message.ts) instead of "Enter Password Again".
 */
export function signInMayHelp(error: unknown, profile: SmtpProfile | undefined): boolean {
  const kind = profile === undefined ? 'none' : signInKind(profile);
  if (kind !== 'vscode-account' && kind !== 'loopback') return false;
  if (isSignInError(error)) return error.reason === 'not-signed-in' || error.reason === 'refused';
  return isSmtpError(error) && error.kind === 'auth' && error.reply !== undefined && !error.transient;
}

/** Where a log line goes: the protocol log's `*:` lines of the current session. */
export type LogLine = (text: string) => void;

function who(profile: SmtpProfile): string {
  return `${profile.username ?? ''}@${profile.host}`;
}

function settingsOf(profile: SmtpProfile): OAuthSettings {
  if (profile.oauth === undefined) {
    throw new SignInError('unsupported', localized('Profile "{0}" does not sign in with OAuth 2.0 ("auth": "oauth2").', profile.name), profile.name);
  }
  return profile.oauth;
}

export class OAuthSignIn {
  readonly grants: SecretGrantStore;

  constructor(secrets: vscode.SecretStorage, readonly environment: OAuthEnvironment) {
    this.grants = new SecretGrantStore(secrets);
  }

  /** The SecretStorage key of the profile's grant (or session record). */
  keyFor(profile: SmtpProfile): Promise<string> {
    return grantKeyFor(profile);
  }

  /** Whether a send can get a token without asking: signed in (for this server and application), or a tokenCommand. */
  async isSignedIn(profile: SmtpProfile): Promise<boolean> {
    switch (signInKind(profile)) {
      case 'none':
        return false;
      case 'token-command':
        return true;
      case 'vscode-account':
        // Also signed out of VS Code's account (Accounts menu) counts as not signed in: ask before the send.
        return (await this.vscodeSession(profile))?.session !== undefined;
      case 'loopback':
        return (await storedGrant(profile, this.grants)).grant !== undefined;
    }
  }

  /**
   * Runs the profile's sign-in and stores what it gave. Returns the account signed in to, when
   * the provider names one. `fresh`: the server refused what VS Code holds ("Sign In Again"), so
   * a VS Code account signs in anew instead of handing back the same session.
   * @throws SignInError, or the VS Code provider's error.
   */
  async signIn(profile: SmtpProfile, signal: AbortSignal | undefined, log: LogLine, fresh = false): Promise<string | undefined> {
    const oauth = settingsOf(profile);
    const key = await this.keyFor(profile);
    switch (signInKind(profile)) {
      case 'vscode-account': {
        const providerId = this.environment.microsoftProviderId;
        const scopes = microsoftSessionScopes(oauth);
        log(`signing in to ${who(profile)} through VS Code's "${providerId}" authentication provider`);
        // VS Code asks the user either way; forceNewSession is the only way to a new token (not testable in a test run, which refuses dialogs).
        const session = fresh
          ? await vscode.authentication.getSession(providerId, scopes, { forceNewSession: true })
          : await vscode.authentication.getSession(providerId, scopes, { createIfNone: true });
        await this.grants.putSession(key, { providerId, accountId: session.account.id, accountLabel: session.account.label, scopes });
        log(`signed in as ${session.account.label}`);
        return session.account.label;
      }
      case 'loopback': {
        const endpoints = endpointsFor(oauth, profile.name);
        if (oauth.clientId === undefined) {
          throw new SignInError('unsupported', localized('Profile "{0}" needs "oauth.clientId" to sign in.', profile.name), profile.name);
        }
        log(`signing in to ${who(profile)} at ${new URL(endpoints.authorizeUrl).origin} (authorization code with PKCE, loopback redirect)`);
        const grant = await authorizeWithLoopback(
          { endpoints, clientId: oauth.clientId, clientSecret: oauth.clientSecret, openBrowser: this.environment.openBrowser, signal },
          profile.name,
        );
        await this.grants.put(key, grant);
        log(`signed in; ${grant.refreshToken === undefined ? 'no refresh token was granted' : 'the refresh token is stored in SecretStorage'}`);
        return undefined;
      }
      case 'token-command':
      case 'none':
        throw new SignInError('unsupported', localized('Profile "{0}" gets its access tokens from its tokenCommand; there is nothing to sign in to.', profile.name), profile.name);
    }
  }

  /**
   * Keeps the sign-in of a profile whose key changes to `changed`'s (pinning its certificate
   * binds the key to that certificate, core/secret-key.ts). The old key keeps its copy: another
   * profile with the same user, server and TLS settings may still use it.
   */
  async carryOver(profile: SmtpProfile, changed: SmtpProfile): Promise<void> {
    const [from, to] = await Promise.all([this.keyFor(profile), this.keyFor(changed)]);
    if (from !== to) await this.grants.copy(from, to);
  }

  /** Forgets the grant or session record. A VS Code account stays signed in to VS Code itself. */
  async signOut(profile: SmtpProfile): Promise<void> {
    await this.grants.delete(await this.keyFor(profile));
  }

  /**
   * The token source a session of this profile uses (core/send.ts `tokenSource`), writing its
   * steps to `log`; undefined for a profile that does not use OAuth.
   */
  tokenSource(profile: SmtpProfile, log: LogLine): TokenSource | undefined {
    switch (signInKind(profile)) {
      case 'none':
        return undefined;
      case 'vscode-account':
        return { accessToken: () => this.vscodeAccountToken(profile, log) };
      case 'loopback':
      case 'token-command':
        return { accessToken: (afterRefusal) => accessTokenFor(profile, this.grants, { signal: undefined, log }, afterRefusal) };
    }
  }

  /**
   * The access token of the VS Code account the profile signed in with, asked for silently:
   * VS Code refreshes it when it has expired. (After a refusal there is no way to make it
   * refresh earlier; the same token is tried once more and the server's answer stands.)
   */
  private async vscodeAccountToken(profile: SmtpProfile, log: LogLine): Promise<string> {
    const found = await this.vscodeSession(profile, log);
    if (found === undefined) throw new SignInError('not-signed-in', localized('Profile "{0}" is not signed in.', profile.name), profile.name);
    if (found.session === undefined) {
      throw new SignInError('not-signed-in', localized('The account {0} of profile "{1}" is no longer signed in to VS Code.', found.record.accountLabel, profile.name), profile.name);
    }
    return found.session.accessToken;
  }

  /**
   * The VS Code session the profile signed in with, asked for silently (no dialog): undefined
   * when the profile has no matching record; `session` undefined when VS Code no longer has it.
   */
  private async vscodeSession(profile: SmtpProfile, log?: LogLine): Promise<{ readonly record: SessionRecord; readonly session: vscode.AuthenticationSession | undefined } | undefined> {
    const providerId = this.environment.microsoftProviderId;
    const scopes = microsoftSessionScopes(settingsOf(profile));
    const record = await this.grants.getSession(await this.keyFor(profile));
    if (record === undefined || !recordMatches(record, providerId, scopes)) return undefined;
    log?.(`getting the access token for ${who(profile)} from VS Code's "${providerId}" account ${record.accountLabel}`);
    const session = await vscode.authentication.getSession(providerId, scopes, { silent: true, account: { id: record.accountId, label: record.accountLabel } });
    return { record, session };
  }
}
