/**
 * Sign-in failures, members of the application error family (core/errors.ts): exit status 1 on
 * the command line, and advice that says how to sign in again (explain.ts). Nothing was sent
 * when one is thrown. Texts name the step and the authorization server's error code (RFC 6749
 * 5.2), never a token, code or verifier.
 */
import { AppError } from '../errors';
import type { LocalizedText } from '../text';

export type SignInReason =
  /** No grant is stored for this profile (never signed in, signed out, or a different server). */
  | 'not-signed-in'
  /** The token endpoint refused the refresh token (`invalid_grant`: revoked, expired, password changed). */
  | 'refused'
  /** The authorization server answered the sign-in with an error (access_denied, consent, policy). */
  | 'denied'
  /** The token endpoint failed, was unreachable, or answered something that is not a token. */
  | 'token-endpoint'
  /** The loopback redirect never came (timeout, cancelled) or could not be listened for. */
  | 'redirect'
  /** The profile's tokenCommand failed, timed out or printed nothing. */
  | 'token-command'
  /** The profile cannot sign in this way (no clientId, a tokenCommand profile, ...). */
  | 'unsupported';

export class SignInError extends AppError {
  readonly kind = 'sign-in' as const;
  constructor(
    readonly reason: SignInReason,
    text: LocalizedText,
    /** The profile's name, for "send-as-email login --profile NAME" / "Sign In Again". */
    readonly profileName: string | undefined,
    /** RFC 6749 5.2 `error` code from the server, when there was one. */
    readonly oauthError?: string,
  ) {
    super(text);
  }
}

export function isSignInError(value: unknown): value is SignInError {
  return value instanceof SignInError;
}
