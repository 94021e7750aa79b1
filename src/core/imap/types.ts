/** The shapes of the Sent-folder copy: what a profile says, and what a save reports. */
import type { SmtpSecurity } from '../smtp/types';

/**
 * `auto`: file a copy unless the provider files SMTP submissions itself (presets.ts), and only
 * when an IMAP server is known; `always`: file a copy (a profile error without an IMAP server);
 * `never`: do not.
 */
export type SaveSentMode = 'auto' | 'always' | 'never';

export interface ImapTls {
  /** Path to an extra CA certificate (PEM). */
  readonly ca?: string;
  readonly allowSelfSigned: boolean;
  /** SHA-256 of the server's DER certificate, hex with or without colons. */
  readonly fingerprint?: string;
}

export interface ImapEndpoint {
  readonly host: string;
  readonly port: number;
  readonly security: SmtpSecurity;
  /** Absent: the SMTP username (and the SMTP password with it). */
  readonly username?: string;
  /** Absent: the profile's `tls` options apply. */
  readonly tls?: ImapTls;
}

export interface SentCopySettings {
  readonly mode: SaveSentMode;
  /** From the profile's `imap` key or the preset; absent for a custom host without one. */
  readonly imap?: ImapEndpoint;
  /** The folder to file into, overriding the search for `\Sent` (RFC 6154). */
  readonly folder?: string;
}

/** How far a save got when it failed: the summary names it, the retry starts over. */
export type SaveSentStage = 'setup' | 'connect' | 'tls' | 'auth' | 'list' | 'create' | 'append';

export interface SavedCopy {
  /** The mailbox the copy was appended to. */
  readonly folder: string;
  /** Whether the folder had to be created ("Sent"). */
  readonly created: boolean;
  /** The new message's UID when the server reports it (UIDPLUS, RFC 4315). */
  readonly uid?: number;
}
