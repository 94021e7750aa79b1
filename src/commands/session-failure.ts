/**
 * The end of a failed SMTP session, the same for every flow that talks to a server: the outcome
 * goes into the protocol log, the user gets what happened and what to do (with "Enter Password
 * Again" after a refused password, which re-asks, stores and retries; "Pin This Certificate"
 * after a certificate no authority verified), and the caller gets a CommandOutcome.
 */
import { explainError } from '../core/explain';
import type { SmtpProfile } from '../core/profiles';
import { isSmtpError } from '../core/smtp/errors';
import type { TlsDetails } from '../core/smtp/types';
import { showFailure } from '../host/failure-message';
import type { LogSession } from '../host/protocol-log';
import { ensureSecret } from './ensure-secret';
import type { CommandOutcome } from './outcome';
import { offerPin, pinCertificate } from './pin-certificate';
import type { Services } from './services';

/**
 * The certificate to offer for pinning after a failed session: refused by the TLS checks, shown
 * by the server (the `tls` event comes before the refusal), unverified by any authority — and
 * only for a profile that pins nothing yet. A certificate other than the pinned one may be an
 * interception: replacing a pin stays a deliberate edit (or Test SMTP Profile…), never one click.
 */
function pinAfterFailure(error: unknown, profile: SmtpProfile, tls: TlsDetails | undefined): string | undefined {
  if (!isSmtpError(error) || error.kind !== 'tls' || profile.tls.fingerprint !== undefined) return undefined;
  return offerPin(tls) ? tls?.fingerprint256 : undefined;
}

export function sessionFailed(
  services: Services,
  session: LogSession,
  error: unknown,
  profile: SmtpProfile,
  retryWith: (secret: string | undefined) => Promise<CommandOutcome>,
): CommandOutcome {
  // The log stays in English (it is shared in bug reports); the notification is translated.
  session.error(`failed: ${explainError(error, { profile, audience: 'extension' }).summary}`);
  const fingerprint = pinAfterFailure(error, profile, session.tls);
  const explanation = showFailure(error, profile, services.log, {
    reenterPassword: async () => {
      const again = await ensureSecret(services, profile, true);
      return 'cancelled' in again ? { status: 'cancelled' } : retryWith(again.secret);
    },
    pin: fingerprint === undefined ? undefined : { fingerprint, run: () => pinCertificate(services, profile, fingerprint) },
  });
  return { status: 'failed', summary: explanation.summary, advice: explanation.advice, ...(isSmtpError(error) ? { kind: error.kind } : {}) };
}
