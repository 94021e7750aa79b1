/**
 * Default time limits per stage. RFC 5321 4.5.3.2 gives the minimums a client should wait;
 * connect and TLS have no RFC value, 30 s is what mail clients commonly use.
 */
import type { SmtpTimeouts } from './types';

export const DEFAULT_TIMEOUTS: SmtpTimeouts = {
  connect: 30_000,
  /** 4.5.3.2.1 Initial 220 Message: 5 minutes. */
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

export function resolveTimeouts(overrides: Partial<SmtpTimeouts> | undefined): SmtpTimeouts {
  return { ...DEFAULT_TIMEOUTS, ...overrides };
}
