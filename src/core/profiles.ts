/**
 * SMTP profiles: normalised from untyped settings or JSON (vscode-eslint's `X.from(value)`
 * pattern), with provider presets so `{ "preset": "gmail", "username": "me@gmail.com" }` is
 * a complete profile.
 */
import { isRecord } from './guards';
import { readSentCopy } from './imap/profile-imap';
import type { SentCopySettings } from './imap/types';
import { isSingleLine } from './mime/grammar';
import { readOAuth } from './oauth/profile-oauth';
import type { OAuthSettings } from './oauth/types';
import { isSha256Fingerprint } from './smtp/tls-setup';
import type { SmtpSecurity } from './smtp/types';
import { readSignature } from './templates/signature';
import { localized } from './text';
import type { LocalizedText } from './text';

export type ProfileAuth = 'auto' | 'plain' | 'login' | 'cram-md5' | 'xoauth2' | 'oauthbearer' | 'oauth2' | 'none';

export interface SmtpProfile {
  readonly name: string;
  /** The provider preset it was built from (a key of PROVIDER_PRESETS, lower case), if any. */
  readonly preset?: string;
  readonly host: string;
  readonly port: number;
  readonly security: SmtpSecurity;
  /** Absent: connect without AUTH. */
  readonly username?: string;
  /** Default sender, an RFC 5322 mailbox such as `Ann Lee <ann@example.com>`. */
  readonly from?: string;
  readonly auth: ProfileAuth;
  readonly tls: {
    /** Path to an extra CA certificate (PEM). */
    readonly ca?: string;
    /** Accept a certificate that does not verify (a visible warning is shown). */
    readonly allowSelfSigned: boolean;
    /**
     * A pinned server certificate: the SHA-256 of its DER form, hex with or without colons
     * (compared as smtp/tls-setup.ts normalises it). It stands in for the chain and host-name
     * checks for that one certificate.
     */
    readonly fingerprint?: string;
  };
  /** Allow AUTH over plaintext to a host that is not loopback. */
  readonly allowPlaintextAuth: boolean;
  /** The copy in the Sent folder over IMAP (core/imap): absent for a plain SMTP profile. */
  readonly sentCopy?: SentCopySettings;
  /** OAuth 2.0 sign-in or token command, for `auth` oauth2 / oauthbearer / xoauth2 (core/oauth). */
  readonly oauth?: OAuthSettings;
  /** Markdown appended to a new draft after a "-- " line (core/templates/signature.ts). */
  readonly signature?: string;
}

export interface ProviderPreset {
  readonly host: string;
  readonly port: number;
  readonly security: SmtpSecurity;
  /** Shown in authentication-failure advice. */
  readonly passwordAdvice: LocalizedText;
}

/**
 * Submission endpoints as each provider documents them. Other features keep their own per-preset
 * data in their own tables keyed by these names (see SmtpProfile.preset).
 */
export const PROVIDER_PRESETS: Readonly<Record<string, ProviderPreset>> = {
  gmail: {
    host: 'smtp.gmail.com',
    port: 465,
    security: 'tls',
    passwordAdvice: localized('Gmail needs an app password (Google Account → Security → App passwords), not your account password.'),
  },
  outlook: {
    host: 'smtp.office365.com',
    port: 587,
    security: 'starttls',
    passwordAdvice: localized('Outlook/Microsoft 365 may have basic authentication (SMTP AUTH) disabled for your account; an administrator must enable "Authenticated SMTP".'),
  },
  qq: {
    host: 'smtp.qq.com',
    port: 465,
    security: 'tls',
    passwordAdvice: localized('QQ Mail needs the authorisation code (授权码) from Settings → Account, not your QQ password.'),
  },
  '163': {
    host: 'smtp.163.com',
    port: 465,
    security: 'tls',
    passwordAdvice: localized('163 Mail needs the client authorisation code (客户端授权密码), not your login password.'),
  },
  icloud: {
    host: 'smtp.mail.me.com',
    port: 587,
    security: 'starttls',
    passwordAdvice: localized('iCloud Mail needs an app-specific password from appleid.apple.com.'),
  },
  fastmail: {
    host: 'smtp.fastmail.com',
    port: 465,
    security: 'tls',
    passwordAdvice: localized('Fastmail needs an app password (Settings → Privacy & Security → App passwords), not your account password.'),
  },
  yahoo: {
    host: 'smtp.mail.yahoo.com',
    port: 465,
    security: 'tls',
    passwordAdvice: localized('Yahoo Mail needs an app password (Account Info → Account security → Generate app password), not your account password.'),
  },
};

const SECURITIES: readonly SmtpSecurity[] = ['tls', 'starttls', 'none'];
const AUTHS: readonly ProfileAuth[] = ['auto', 'plain', 'login', 'cram-md5', 'xoauth2', 'oauthbearer', 'oauth2', 'none'];

/** RFC 8314 3.3 (465 implicit TLS), RFC 6409 (587 submission), RFC 5321 (25). */
export function defaultPort(security: SmtpSecurity): number {
  return security === 'tls' ? 465 : security === 'starttls' ? 587 : 25;
}

export interface ProfileResult {
  readonly profile?: SmtpProfile;
  /** What is wrong, each sentence naming the profile; empty when `profile` is set. */
  readonly errors: readonly LocalizedText[];
}

/** One field's reader: the checked value, or undefined after adding what is wrong to `errors`. */
type Errors = LocalizedText[];

function optionalString(raw: Record<string, unknown>, key: string, name: string, errors: Errors): string | undefined {
  const value = raw[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') {
    errors.push(localized('profile "{0}": "{1}" must be a string', name, key));
    return undefined;
  }
  // Host, username and sender reach SMTP command lines, where a line break starts a new command.
  if (!isSingleLine(value)) {
    errors.push(localized('profile "{0}": "{1}" must not contain line breaks', name, key));
    return undefined;
  }
  return value.trim();
}

function oneOf<T extends string>(raw: unknown, allowed: readonly T[], key: string, name: string, errors: Errors): T | undefined {
  if (raw === undefined) return undefined;
  const value = typeof raw === 'string' ? raw.toLowerCase() : undefined;
  if (value !== undefined && (allowed as readonly string[]).includes(value)) return value as T;
  errors.push(localized('profile "{0}": "{1}" must be one of {2}', name, key, allowed.join(', ')));
  return undefined;
}

function readPreset(raw: Record<string, unknown>, name: string, errors: Errors): { readonly key: string; readonly preset: ProviderPreset } | undefined {
  const presetName = optionalString(raw, 'preset', name, errors);
  if (presetName === undefined) return undefined;
  const key = presetName.toLowerCase();
  const preset = PROVIDER_PRESETS[key];
  if (preset === undefined) {
    errors.push(localized('profile "{0}": unknown preset "{1}" (known: {2})', name, presetName, Object.keys(PROVIDER_PRESETS).join(', ')));
    return undefined;
  }
  return { key, preset };
}

/** Security and port complete each other: each defaults from the other, then from the preset. */
function readEndpoint(
  raw: Record<string, unknown>,
  preset: ProviderPreset | undefined,
  name: string,
  errors: Errors,
): { readonly security: SmtpSecurity; readonly port: number } | undefined {
  const givenPort = raw['port'] ?? preset?.port;
  // Infer from a well-known port; otherwise STARTTLS, the safe choice that never downgrades.
  const security =
    oneOf(raw['security'], SECURITIES, 'security', name, errors) ??
    preset?.security ??
    (givenPort === 465 ? 'tls' : givenPort === 25 ? 'none' : 'starttls');
  const port = givenPort ?? defaultPort(security);
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    errors.push(localized('profile "{0}": "port" must be a whole number from 1 to 65535', name));
    return undefined;
  }
  return { security, port };
}

function readTls(raw: unknown, name: string, errors: Errors): SmtpProfile['tls'] {
  if (raw === undefined || raw === null) return { allowSelfSigned: false };
  if (!isRecord(raw)) {
    errors.push(localized('profile "{0}": "tls" must be an object', name));
    return { allowSelfSigned: false };
  }
  const ca = optionalString(raw, 'ca', name, errors);
  if (raw['allowSelfSigned'] !== undefined && typeof raw['allowSelfSigned'] !== 'boolean') {
    errors.push(localized('profile "{0}": "tls.allowSelfSigned" must be true or false', name));
  }
  const fingerprint = optionalString(raw, 'fingerprint', name, errors);
  if (fingerprint !== undefined && !isSha256Fingerprint(fingerprint)) {
    errors.push(localized('profile "{0}": "tls.fingerprint" must be a SHA-256 fingerprint: 64 hexadecimal digits, colons allowed', name));
  }
  return {
    ...(ca === undefined ? {} : { ca }),
    allowSelfSigned: raw['allowSelfSigned'] === true,
    ...(fingerprint === undefined ? {} : { fingerprint }),
  };
}

/** Turns one untyped profile entry into a checked SmtpProfile, or says what is wrong with it. */
export function normaliseProfile(name: string, raw: unknown): ProfileResult {
  if (!isRecord(raw)) return { errors: [localized('profile "{0}" must be an object', name)] };
  const errors: Errors = [];
  const named = readPreset(raw, name, errors);
  const preset = named?.preset;
  const host = optionalString(raw, 'host', name, errors) ?? preset?.host;
  if (host === undefined) errors.push(localized('profile "{0}": "host" is required (or a "preset")', name));
  const endpoint = readEndpoint(raw, preset, name, errors);
  const auth = oneOf(raw['auth'], AUTHS, 'auth', name, errors) ?? 'auto';
  const username = optionalString(raw, 'username', name, errors);
  const from = optionalString(raw, 'from', name, errors);
  const tls = readTls(raw['tls'], name, errors);
  const sentCopy = readSentCopy(raw, named?.key, name, errors);
  const oauth = readOAuth(raw, name, auth, named?.key, errors);
  const signature = readSignature(raw, name, errors);
  if (errors.length > 0 || host === undefined || endpoint === undefined) return { errors };
  return {
    errors: [],
    profile: {
      name,
      ...(named === undefined ? {} : { preset: named.key }),
      host,
      port: endpoint.port,
      security: endpoint.security,
      ...(username === undefined ? {} : { username }),
      ...(from === undefined ? {} : { from }),
      auth,
      tls,
      allowPlaintextAuth: raw['allowPlaintextAuth'] === true,
      ...(sentCopy === undefined ? {} : { sentCopy }),
      ...(oauth === undefined ? {} : { oauth }),
      ...(signature === undefined ? {} : { signature }),
    },
  };
}

/** The provider whose advice applies to a host, if it is one we know. */
export function presetForHost(host: string): ProviderPreset | undefined {
  const lower = host.toLowerCase();
  return Object.values(PROVIDER_PRESETS).find((preset) => preset.host === lower);
}
