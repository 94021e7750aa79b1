/**
 * The end of a failed SMTP session, the same for every flow that talks to a server: the outcome
 * goes into the protocol log, the user gets what happened and what to do (with "Enter Password
 * Again" after a refused password, which re-asks, stores and retries), and the caller gets a
 * CommandOutcome.
 */
import { explainError } from '../core/explain';
import type { SmtpProfile } from '../core/profiles';
import { isSmtpError } from '../core/smtp/errors';
import { showFailure } from '../host/failure-message';
import type { LogSession } from '../host/protocol-log';
import { ensureSecret } from './ensure-secret';
import type { CommandOutcome } from './outcome';
import type { Services } from './services';

export function sessionFailed(
  services: Services,
  session: LogSession,
  error: unknown,
  profile: SmtpProfile,
  retryWith: (secret: string | undefined) => Promise<CommandOutcome>,
): CommandOutcome {
  // The log stays in English (it is shared in bug reports); the notification is translated.
  session.error(`failed: ${explainError(error, { profile, audience: 'extension' }).summary}`);
  const explanation = showFailure(error, profile, services.log, {
    reenterPassword: async () => {
      const again = await ensureSecret(services, profile, true);
      return 'cancelled' in again ? { status: 'cancelled' } : retryWith(again.secret);
    },
  });
  return { status: 'failed', summary: explanation.summary, advice: explanation.advice, ...(isSmtpError(error) ? { kind: error.kind } : {}) };
}
