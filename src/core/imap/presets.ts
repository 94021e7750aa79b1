/**
 * IMAP per provider preset (keys of PROVIDER_PRESETS in ../profiles.ts), and whether the
 * provider files a copy of every SMTP submission in the Sent folder itself — then `saveSent:
 * auto` skips the copy, which would otherwise appear twice. The evidence for each is listed in
 * the README ("A copy in your Sent folder"). Only providers with consistent reports of
 * server-side filing are marked; where reports disagree (iCloud) or none were found, the copy is
 * made: a duplicate can be deleted, a missing record cannot be recovered.
 */
import type { SmtpSecurity } from '../smtp/types';

export interface ImapPreset {
  readonly host: string;
  readonly port: number;
  readonly security: SmtpSecurity;
  readonly filesSubmissions: boolean;
}

/** All on port 993, implicit TLS (RFC 8314 3.3), as each provider documents. */
export const IMAP_PRESETS: Readonly<Record<string, ImapPreset>> = {
  gmail: { host: 'imap.gmail.com', port: 993, security: 'tls', filesSubmissions: true },
  outlook: { host: 'outlook.office365.com', port: 993, security: 'tls', filesSubmissions: true },
  qq: { host: 'imap.qq.com', port: 993, security: 'tls', filesSubmissions: false },
  '163': { host: 'imap.163.com', port: 993, security: 'tls', filesSubmissions: true },
  icloud: { host: 'imap.mail.me.com', port: 993, security: 'tls', filesSubmissions: false },
  fastmail: { host: 'imap.fastmail.com', port: 993, security: 'tls', filesSubmissions: false },
  yahoo: { host: 'imap.mail.yahoo.com', port: 993, security: 'tls', filesSubmissions: false },
};
