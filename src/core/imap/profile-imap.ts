/**
 * The profile keys of the Sent-folder copy — `imap`, `saveSent`, `sentFolder` — read the way
 * profiles.ts reads the others: each field checked, every problem a sentence naming the profile.
 * The preset fills `imap` when the profile does not give one (presets.ts).
 */
import { isRecord } from '../guards';
import { isSingleLine } from '../mime/grammar';
import { isSha256Fingerprint } from '../smtp/tls-setup';
import type { SmtpSecurity } from '../smtp/types';
import { localized } from '../text';
import type { LocalizedText } from '../text';
import { IMAP_PRESETS } from './presets';
import type { ImapEndpoint, ImapTls, SaveSentMode, SentCopySettings } from './types';

type Errors = LocalizedText[];

const MODES: readonly SaveSentMode[] = ['auto', 'always', 'never'];
const SECURITIES: readonly SmtpSecurity[] = ['tls', 'starttls', 'none'];

/** A single-line string (it reaches IMAP command lines), trimmed; undefined when absent or wrong. */
function text(raw: Record<string, unknown>, key: string, label: string, name: string, errors: Errors): string | undefined {
  const value = raw[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') {
    errors.push(localized('profile "{0}": "{1}" must be a string', name, label));
    return undefined;
  }
  if (!isSingleLine(value)) {
    errors.push(localized('profile "{0}": "{1}" must not contain line breaks', name, label));
    return undefined;
  }
  return value.trim();
}

function choice<T extends string>(value: unknown, allowed: readonly T[], label: string, name: string, errors: Errors): T | undefined {
  if (value === undefined) return undefined;
  const lower = typeof value === 'string' ? value.toLowerCase() : undefined;
  if (lower !== undefined && (allowed as readonly string[]).includes(lower)) return lower as T;
  errors.push(localized('profile "{0}": "{1}" must be one of {2}', name, label, allowed.join(', ')));
  return undefined;
}

function readImapTls(raw: unknown, name: string, errors: Errors): ImapTls | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isRecord(raw)) {
    errors.push(localized('profile "{0}": "{1}" must be an object', name, 'imap.tls'));
    return undefined;
  }
  const ca = text(raw, 'ca', 'imap.tls.ca', name, errors);
  const fingerprint = text(raw, 'fingerprint', 'imap.tls.fingerprint', name, errors);
  if (fingerprint !== undefined && !isSha256Fingerprint(fingerprint)) {
    errors.push(localized('profile "{0}": "imap.tls.fingerprint" must be a SHA-256 fingerprint: 64 hexadecimal digits, colons allowed', name));
  }
  return { ...(ca === undefined ? {} : { ca }), allowSelfSigned: raw['allowSelfSigned'] === true, ...(fingerprint === undefined ? {} : { fingerprint }) };
}

/** `imap` as given, else the preset's; undefined for a custom host without one. */
function readEndpoint(raw: unknown, presetKey: string | undefined, name: string, errors: Errors): ImapEndpoint | undefined {
  const preset = presetKey === undefined ? undefined : IMAP_PRESETS[presetKey];
  if (raw === undefined || raw === null) return preset === undefined ? undefined : { host: preset.host, port: preset.port, security: preset.security };
  if (!isRecord(raw)) {
    errors.push(localized('profile "{0}": "{1}" must be an object', name, 'imap'));
    return undefined;
  }
  const host = text(raw, 'host', 'imap.host', name, errors) ?? preset?.host;
  if (host === undefined) errors.push(localized('profile "{0}": "imap.host" is required (or a "preset")', name));
  const givenPort = raw['port'] ?? preset?.port;
  // RFC 8314 3.3: 993 is IMAP over implicit TLS; 143 is IMAP with STARTTLS (RFC 3501 6.2.1).
  const security = choice(raw['security'], SECURITIES, 'imap.security', name, errors) ?? preset?.security ?? (givenPort === 143 ? 'starttls' : 'tls');
  const port = givenPort ?? (security === 'tls' ? 993 : 143);
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    errors.push(localized('profile "{0}": "imap.port" must be a whole number from 1 to 65535', name));
    return undefined;
  }
  const username = text(raw, 'username', 'imap.username', name, errors);
  const tls = readImapTls(raw['tls'], name, errors);
  if (host === undefined) return undefined;
  return { host, port, security, ...(username === undefined ? {} : { username }), ...(tls === undefined ? {} : { tls }) };
}

/**
 * The Sent-copy settings of one raw profile, or undefined when it has none of the keys and no
 * preset (a plain SMTP profile, which never files a copy).
 */
export function readSentCopy(raw: Record<string, unknown>, presetKey: string | undefined, name: string, errors: Errors): SentCopySettings | undefined {
  const given = raw['imap'] !== undefined || raw['saveSent'] !== undefined || raw['sentFolder'] !== undefined;
  if (!given && (presetKey === undefined || IMAP_PRESETS[presetKey] === undefined)) return undefined;
  const mode = choice(raw['saveSent'], MODES, 'saveSent', name, errors) ?? 'auto';
  const imap = readEndpoint(raw['imap'], presetKey, name, errors);
  const folder = text(raw, 'sentFolder', 'sentFolder', name, errors);
  if (mode === 'always' && imap === undefined && raw['imap'] === undefined) {
    errors.push(localized('profile "{0}": "saveSent" is "always" but the profile has no "imap" server', name));
  }
  return { mode, ...(imap === undefined ? {} : { imap }), ...(folder === undefined ? {} : { folder }) };
}
