/** What every command flow is given: built once in extension.ts, shared, disposed with the extension. */
import type { DraftDiagnostics } from '../host/diagnostics';
import type { OAuthSignIn } from '../host/oauth/sign-in';
import type { PasswordStore } from '../host/passwords';
import type { ProtocolLog } from '../host/protocol-log';
import type { Settings } from '../host/settings';

export interface Services {
  readonly settings: Settings;
  readonly passwords: PasswordStore;
  readonly log: ProtocolLog;
  readonly diagnostics: DraftDiagnostics;
  /** OAuth 2.0 sign-in, grants and access tokens (host/oauth). */
  readonly signIn: OAuthSignIn;
}
