/**
 * Public shapes of OAuth 2.0 sign-in for SMTP (RFC 6749 authorization code grant with PKCE,
 * RFC 7636, through a loopback redirect, RFC 8252; refresh tokens, RFC 6749 6; helper programs
 * that print an access token). Nothing here imports vscode: the extension and the CLI build on
 * these, each with its own GrantStore (SecretStorage; a 0600 file).
 *
 * Secrets: access tokens, refresh tokens, authorization codes and PKCE verifiers never appear in
 * an error, an event or a log line made here; errors name the step and the server's error code
 * (RFC 6749 5.2 `error`), never a token.
 */

/** Which authorization server a profile signs in to. */
export type OAuthProvider = 'microsoft' | 'google' | 'custom';

/**
 * The `oauth` object of a profile with `auth: "oauth2"` (or `"xoauth2"` / `"oauthbearer"` to
 * force one SASL mechanism), as normalised by profile-oauth.ts.
 * - microsoft: endpoints from `tenant` (default `common`); scopes default to
 *   `https://outlook.office.com/SMTP.Send offline_access`.
 * - google: Google's endpoints; scope `https://mail.google.com/`; `clientId` and
 *   `clientSecret` of the user's own "Desktop app" client.
 * - custom: `authorizeUrl`, `tokenUrl`, `clientId`, optional `clientSecret` and `scopes`.
 * - `tokenCommand` (any provider): a program whose standard output is the access token; when
 *   set, no sign-in and no refresh happen here (the helper does both).
 */
export interface OAuthSettings {
  readonly provider: OAuthProvider;
  /** The application (client) id; required for the loopback flow. */
  readonly clientId?: string;
  /** Google's "Desktop app" clients have one (it is not secret there: RFC 8252 8.5). */
  readonly clientSecret?: string;
  /** Microsoft only: `common`, `organizations`, `consumers` or a tenant id/domain. */
  readonly tenant?: string;
  /** custom only (https, or http on a loopback host). */
  readonly authorizeUrl?: string;
  /** custom only (https, or http on a loopback host). */
  readonly tokenUrl?: string;
  /** Replaces the provider's default scopes. */
  readonly scopes?: readonly string[];
  /** argv of a helper that prints an access token (see token-command.ts for the splitting rule). */
  readonly tokenCommand?: readonly string[];
}

/** Where the authorization code flow runs: the two endpoints and what to ask for. */
export interface OAuthEndpoints {
  readonly authorizeUrl: string;
  readonly tokenUrl: string;
  readonly scopes: readonly string[];
  /** Extra authorization request parameters (Google: access_type=offline, prompt=consent). */
  readonly extraAuthorizeParams: Readonly<Record<string, string>>;
  /**
   * The host name in the loopback redirect URI (RFC 8252 7.3). The listener is on 127.0.0.1
   * either way (and ::1 too for `localhost`); Microsoft's app registrations name
   * `http://localhost`, other providers take the literal address.
   */
  readonly redirectHost: '127.0.0.1' | 'localhost';
}

/**
 * What a token endpoint granted (RFC 6749 5.1), as stored. `tokenUrl` and `clientId` bind the
 * grant to the server that issued it: a refresh token is only ever sent back there, so a
 * profile whose endpoint changes (a workspace pointing it elsewhere) cannot obtain it.
 */
export interface TokenGrant {
  readonly accessToken: string;
  /** When it was obtained, milliseconds since the epoch. */
  readonly issuedAt: number;
  /** Milliseconds since the epoch; undefined when the server gave no `expires_in`. */
  readonly expiresAt: number | undefined;
  readonly refreshToken: string | undefined;
  /** The granted scope as the server reported it (space-separated), if it did. */
  readonly scope: string | undefined;
  readonly tokenUrl: string;
  readonly clientId: string;
}

/**
 * Keeps grants, keyed by `grantKey(...)` (grant-key.ts: derived from core/secret-key.ts, so a
 * grant is bound to user, host, port and connection safety exactly as a password is). The
 * extension implements it on SecretStorage, the CLI on a 0600 file (grant-file.ts).
 */
export interface GrantStore {
  get(key: string): Promise<TokenGrant | undefined>;
  put(key: string, grant: TokenGrant): Promise<void>;
  delete(key: string): Promise<void>;
}

/** Informational lines for the protocol log (`*:` lines); never carry a secret. */
export type OAuthLog = (line: string) => void;

export interface LoopbackOptions {
  readonly endpoints: OAuthEndpoints;
  readonly clientId: string;
  readonly clientSecret: string | undefined;
  /** Opens the authorization URL (a browser, `vscode.env.openExternal`, or printing it). */
  readonly openBrowser: (url: string) => Promise<void>;
  /** Cancels the wait (the user gave up); the listener is closed. */
  readonly signal: AbortSignal | undefined;
  /** How long to wait for the redirect; default 5 minutes. */
  readonly timeoutMs?: number | undefined;
  /** Test seam: the clock for `expiresAt`. */
  readonly now?: (() => number) | undefined;
}

export interface RefreshOptions {
  readonly clientSecret: string | undefined;
  readonly signal: AbortSignal | undefined;
  readonly now?: (() => number) | undefined;
}

/** What the SMTP session asks for an access token (send.ts). */
export interface TokenSource {
  /**
   * A usable access token. `afterRefusal`: the server refused the last one (RFC 7628 3.2.2
   * error), so a new one is obtained even if the old one looks valid.
   * @throws SignInError (not signed in, refresh refused, helper failed).
   */
  accessToken(afterRefusal: boolean): Promise<string>;
}

export interface AccessTokenOptions {
  readonly signal: AbortSignal | undefined;
  readonly log: OAuthLog | undefined;
  /**
   * Refresh when the token expires within this many milliseconds (default 60 000), or within
   * half its lifetime when that is shorter (a token that lives a minute is not always stale).
   */
  readonly minValidityMs?: number | undefined;
  readonly now?: (() => number) | undefined;
}

export interface TokenCommandOptions {
  /** Default 30 000 ms; the helper is killed after it. */
  readonly timeoutMs?: number | undefined;
  readonly signal: AbortSignal | undefined;
  readonly env?: NodeJS.ProcessEnv | undefined;
}
