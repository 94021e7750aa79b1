/**
 * Default time limits per stage. RFC 5321 4.5.3.2 gives the minimums a client should wait;
 * connect and TLS have no RFC value, 30 s is what mail clients commonly use.
 */
import type { SmtpSecurity, SmtpTimeouts } from './types';

export const DEFAULT_TIMEOUTS: SmtpTimeouts = {
  connect: 30_000,
  /** 4.5.3.2.1 Initial 220 Message: 5 minutes (for implicit TLS; see PLAINTEXT_GREETING_TIMEOUT). */
  greeting: 5 * 60_000,
  tls: 30_000,
  /** 4.5.3.2.2 MAIL and 4.5.3.2.3 RCPT: 5 minutes (used for every other command too). */
  command: 5 * 60_000,
  /** 4.5.3.2.4 DATA Initiation: 2 minutes. */
  dataStart: 2 * 60_000,
  /** 4.5.3.2.5 Data Block: 3 minutes. */
  dataBlock: 3 * 60_000,
  /** 4.5.3.2.6 DATA Termination: 10 minutes. */
  dataEnd: 10 * 60_000,
};

/**
 * The greeting limit for `starttls` and `none`. A port that accepts TCP and then says nothing
 * is, in practice, an implicit-TLS port waiting for the client's TLS hello (465, or a
 * submission port set up that way): waiting RFC 5321's 5 minutes there only hides the
 * mistake. Real servers greet within seconds; the user can still set a longer limit.
 */
export const PLAINTEXT_GREETING_TIMEOUT = 15_000;

export function resolveTimeouts(overrides: Partial<SmtpTimeouts> | undefined, security: SmtpSecurity): SmtpTimeouts {
  const greeting = security === 'tls' ? DEFAULT_TIMEOUTS.greeting : PLAINTEXT_GREETING_TIMEOUT;
  return { ...DEFAULT_TIMEOUTS, greeting, ...overrides };
}
