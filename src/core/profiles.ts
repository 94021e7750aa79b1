/**
 * SMTP profiles: normalised from untyped settings or JSON (vscode-eslint's `X.from(value)`
 * pattern), with provider presets so `{ "preset": "gmail", "username": "me@gmail.com" }` is
 * a complete profile.
 */
import type { SmtpSecurity } from './smtp/types';

export type ProfileAuth = 'auto' | 'plain' | 'login' | 'cram-md5' | 'xoauth2' | 'none';

export interface SmtpProfile {
  readonly name: string;
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
  };
  /** Allow AUTH over plaintext to a host that is not loopback. */
  readonly allowPlaintextAuth: boolean;
}

export interface ProviderPreset {
  readonly host: string;
  readonly port: number;
  readonly security: SmtpSecurity;
  /** Shown in authentication-failure advice. */
  readonly passwordAdvice: string;
}

/** Submission endpoints as each provider documents them. */
export const PROVIDER_PRESETS: Readonly<Record<string, ProviderPreset>> = {
  gmail: { host: 'smtp.gmail.com', port: 465, security: 'tls', passwordAdvice: 'Gmail needs an app password (Google Account → Security → App passwords), not your account password.' },
  outlook: { host: 'smtp.office365.com', port: 587, security: 'starttls', passwordAdvice: 'Outlook/Microsoft 365 may have basic authentication (SMTP AUTH) disabled for your account; an administrator must enable "Authenticated SMTP".' },
  qq: { host: 'smtp.qq.com', port: 465, security: 'tls', passwordAdvice: 'QQ Mail needs the authorisation code (授权码) from Settings → Account, not your QQ password.' },
  '163': { host: 'smtp.163.com', port: 465, security: 'tls', passwordAdvice: '163 Mail needs the client authorisation code (客户端授权密码), not your login password.' },
  icloud: { host: 'smtp.mail.me.com', port: 587, security: 'starttls', passwordAdvice: 'iCloud Mail needs an app-specific password from appleid.apple.com.' },
};

const SECURITIES: readonly SmtpSecurity[] = ['tls', 'starttls', 'none'];
const AUTHS: readonly ProfileAuth[] = ['auto', 'plain', 'login', 'cram-md5', 'xoauth2', 'none'];

/** RFC 8314 3.3 (465 implicit TLS), RFC 6409 (587 submission), RFC 5321 (25). */
export function defaultPort(security: SmtpSecurity): number {
  return security === 'tls' ? 465 : security === 'starttls' ? 587 : 25;
}

export interface ProfileResult {
  readonly profile?: SmtpProfile;
  readonly errors: readonly string[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(raw: Record<string, unknown>, key: string, errors: string[]): string | undefined {
  const value = raw[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') {
    errors.push(`"${key}" must be a string`);
    return undefined;
  }
  if (/[\r\n\0]/.test(value)) {
    errors.push(`"${key}" must not contain line breaks`);
    return undefined;
  }
  return value.trim();
}

/** Turns one untyped profile entry into a checked SmtpProfile, or says what is wrong with it. */
export function normaliseProfile(name: string, raw: unknown): ProfileResult {
  const errors: string[] = [];
  if (!isRecord(raw)) return { errors: [`profile "${name}" must be an object`] };
  const presetName = optionalString(raw, 'preset', errors);
  const preset = presetName === undefined ? undefined : PROVIDER_PRESETS[presetName.toLowerCase()];
  if (presetName !== undefined && preset === undefined) {
    errors.push(`unknown preset "${presetName}" (known: ${Object.keys(PROVIDER_PRESETS).join(', ')})`);
  }
  const host = optionalString(raw, 'host', errors) ?? preset?.host;
  if (host === undefined) errors.push('"host" is required (or a "preset")');

  let security: SmtpSecurity | undefined = preset?.security;
  if (raw['security'] !== undefined) {
    if (typeof raw['security'] === 'string' && (SECURITIES as readonly string[]).includes(raw['security'])) {
      security = raw['security'] as SmtpSecurity;
    } else {
      errors.push(`"security" must be one of ${SECURITIES.join(', ')}`);
    }
  }
  let port = raw['port'] ?? preset?.port;
  if (security === undefined) {
    // Infer from a well-known port; otherwise STARTTLS, the safe choice that never downgrades.
    security = port === 465 ? 'tls' : port === 25 ? 'none' : 'starttls';
  }
  port ??= defaultPort(security);
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    errors.push('"port" must be a whole number from 1 to 65535');
  }

  let auth: ProfileAuth = 'auto';
  if (raw['auth'] !== undefined) {
    if (typeof raw['auth'] === 'string' && (AUTHS as readonly string[]).includes(raw['auth'].toLowerCase())) {
      auth = raw['auth'].toLowerCase() as ProfileAuth;
    } else {
      errors.push(`"auth" must be one of ${AUTHS.join(', ')}`);
    }
  }
  const username = optionalString(raw, 'username', errors);
  const from = optionalString(raw, 'from', errors);

  const tlsRaw = raw['tls'] ?? {};
  let ca: string | undefined;
  let allowSelfSigned = false;
  if (!isRecord(tlsRaw)) {
    errors.push('"tls" must be an object');
  } else {
    ca = optionalString(tlsRaw, 'ca', errors);
    if (tlsRaw['allowSelfSigned'] !== undefined && typeof tlsRaw['allowSelfSigned'] !== 'boolean') {
      errors.push('"tls.allowSelfSigned" must be true or false');
    }
    allowSelfSigned = tlsRaw['allowSelfSigned'] === true;
  }
  const allowPlaintextAuth = raw['allowPlaintextAuth'] === true;

  if (errors.length > 0 || host === undefined || typeof port !== 'number') {
    return { errors: errors.map((e) => `profile "${name}": ${e}`) };
  }
  return {
    errors: [],
    profile: {
      name,
      host,
      port,
      security,
      ...(username === undefined ? {} : { username }),
      ...(from === undefined ? {} : { from }),
      auth,
      tls: { ...(ca === undefined ? {} : { ca }), allowSelfSigned },
      allowPlaintextAuth,
    },
  };
}

/** The provider whose advice applies to a host, if it is one we know. */
export function presetForHost(host: string): ProviderPreset | undefined {
  const lower = host.toLowerCase();
  return Object.values(PROVIDER_PRESETS).find((preset) => preset.host === lower);
}
