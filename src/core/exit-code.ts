/**
 * The whole application error family as one union, and the CLI's exit status for each member.
 * `explainError` (explain.ts) switches over the same union, so a new kind fails to compile in
 * both places until it is given an exit status and an explanation.
 */
import { isAppError } from './errors';
import type { ConfigError, DraftError, SetupError, UsageError } from './errors';
import type { ComposeError } from './mime/errors';
import type { SignInError } from './oauth/errors';
import type { AnySmtpError } from './smtp/errors';

export type KnownError = DraftError | ConfigError | UsageError | SetupError | ComposeError | SignInError | AnySmtpError;

/** The error as a member of the family, or undefined for anything else (a bug, an I/O error). */
export function knownError(error: unknown): KnownError | undefined {
  // Every concrete AppError subclass is in the union; the switches below check each kind.
  return isAppError(error) ? (error as KnownError) : undefined;
}

/**
 * 2: the input must change before trying again (draft, configuration, usage, setup, or an
 * argument the SMTP client refused before writing anything); nothing was sent.
 * 1: everything else — the delivery failed, composing failed, or something unexpected.
 * Never 0: an error is never success.
 */
export function exitCodeFor(error: unknown): 1 | 2 {
  const known = knownError(error);
  if (known === undefined) return 1;
  switch (known.kind) {
    case 'draft':
    case 'config':
    case 'usage':
    case 'setup':
    case 'argument':
      return 2;
    case 'compose':
    case 'sign-in':
    case 'connection':
    case 'tls':
    case 'protocol':
    case 'reply':
    case 'auth':
    case 'recipients':
    case 'unsupported':
    case 'timeout':
    case 'aborted':
      return 1;
  }
}
