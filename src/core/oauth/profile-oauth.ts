/**
 * The `oauth` object of a profile (profiles.ts calls `readOAuth`). Used with `auth: "oauth2"`
 * (OAUTHBEARER preferred, XOAUTH2 otherwise), `"oauthbearer"` or `"xoauth2"` (that mechanism
 * only). `"xoauth2"` without an `oauth` object keeps the older meaning: an access token typed
 * in as the password.
 */
import { isRecord } from '../guards';
import { isLoopbackHost } from '../smtp/loopback';
import { isSingleLine } from '../mime/grammar';
import { localized } from '../text';
import type { LocalizedText } from '../text';
import { OAUTH_PRESETS } from './providers';
import { splitCommandLine } from './token-command';
import type { OAuthProvider, OAuthSettings } from './types';

const PROVIDERS: readonly OAuthProvider[] = ['microsoft', 'google', 'custom'];
/** The profile `auth` values that take tokens from sign-in or a token command. */
const TOKEN_AUTHS: readonly string[] = ['oauth2', 'oauthbearer', 'xoauth2'];

type Errors = LocalizedText[];

function text(raw: Record<string, unknown>, key: string, name: string, errors: Errors): string | undefined {
  const value = raw[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || !isSingleLine(value)) {
    errors.push(localized('profile "{0}": "oauth.{1}" must be a string on one line', name, key));
    return undefined;
  }
  return value.trim();
}

/** https, or http to a loopback host only (RFC 6749 3.1 and 10.9: tokens need TLS). */
function endpointUrl(raw: Record<string, unknown>, key: string, name: string, errors: Errors): string | undefined {
  const value = text(raw, key, name, errors);
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    errors.push(localized('profile "{0}": "oauth.{1}" must be a URL', name, key));
    return undefined;
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(host))) {
    errors.push(localized('profile "{0}": "oauth.{1}" must be an https URL (http only on a loopback address)', name, key));
    return undefined;
  }
  return url.toString();
}

function scopes(raw: unknown, name: string, errors: Errors): readonly string[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  const list = typeof raw === 'string' ? raw.split(/\s+/) : Array.isArray(raw) && raw.every((s) => typeof s === 'string') ? (raw) : undefined;
  // RFC 6749 3.3: scope tokens are printable ASCII without spaces, quotes or backslashes.
  const words = list?.filter((s) => s !== '');
  if (words === undefined || !words.every((s) => /^[\x21\x23-\x5B\x5D-\x7E]+$/.test(s))) {
    errors.push(localized('profile "{0}": "oauth.scopes" must be a list of scope names', name));
    return undefined;
  }
  return words;
}

function tokenCommand(raw: unknown, name: string, errors: Errors): readonly string[] | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  const argv =
    typeof raw === 'string' ? splitCommandLine(raw) : Array.isArray(raw) && raw.every((s) => typeof s === 'string') ? (raw) : undefined;
  if (argv === undefined || argv.length === 0 || argv[0] === '') {
    errors.push(localized('profile "{0}": "oauth.tokenCommand" must be a list of arguments, or a command line with matched quotes', name));
    return undefined;
  }
  if (argv.some((word) => word.includes('\u0000'))) {
    errors.push(localized('profile "{0}": "oauth.tokenCommand" must not contain NUL characters', name));
    return undefined;
  }
  return argv;
}

function provider(raw: Record<string, unknown>, presetKey: string | undefined, hasCommand: boolean, name: string, errors: Errors): OAuthProvider | undefined {
  const given = raw['provider'];
  if (given !== undefined) {
    if (typeof given === 'string' && (PROVIDERS as readonly string[]).includes(given.toLowerCase())) return given.toLowerCase() as OAuthProvider;
    errors.push(localized('profile "{0}": "oauth.provider" must be one of {1}', name, PROVIDERS.join(', ')));
    return undefined;
  }
  const fromPreset = presetKey === undefined ? undefined : OAUTH_PRESETS[presetKey];
  if (fromPreset !== undefined) return fromPreset;
  if (hasCommand) return 'custom';
  errors.push(localized('profile "{0}": "oauth.provider" is required (microsoft, google or custom)', name));
  return undefined;
}

/** What each provider needs before a sign-in can start (a tokenCommand needs none of it). */
function requireFields(settings: OAuthSettings, name: string, errors: Errors): void {
  if (settings.tokenCommand !== undefined) return;
  const missing: string[] = [];
  // Microsoft's clientId may be left out where the editor's own Microsoft sign-in is used.
  if (settings.provider !== 'microsoft' && settings.clientId === undefined) missing.push('clientId');
  if (settings.provider === 'google' && settings.clientSecret === undefined) missing.push('clientSecret');
  if (settings.provider === 'custom' && settings.authorizeUrl === undefined) missing.push('authorizeUrl');
  if (settings.provider === 'custom' && settings.tokenUrl === undefined) missing.push('tokenUrl');
  for (const key of missing) errors.push(localized('profile "{0}": provider "{1}" needs "oauth.{2}"', name, settings.provider, key));
}

/**
 * The profile's OAuth settings, or undefined when it does not use them. `auth` is the profile's
 * checked `auth`; `presetKey` its preset, whose provider is the default (OAUTH_PRESETS).
 */
export function readOAuth(raw: Record<string, unknown>, name: string, auth: string, presetKey: string | undefined, errors: Errors): OAuthSettings | undefined {
  const given = raw['oauth'];
  if (!TOKEN_AUTHS.includes(auth)) {
    if (given !== undefined && given !== null) errors.push(localized('profile "{0}": "oauth" needs "auth": "oauth2"', name));
    return undefined;
  }
  if (given === undefined || given === null) {
    if (auth === 'xoauth2') return undefined;
    const fromPreset = presetKey === undefined ? undefined : OAUTH_PRESETS[presetKey];
    if (fromPreset !== undefined) {
      const settings: OAuthSettings = { provider: fromPreset };
      requireFields(settings, name, errors);
      return settings;
    }
    errors.push(localized('profile "{0}": "auth": "{1}" needs an "oauth" object', name, auth));
    return undefined;
  }
  if (!isRecord(given)) {
    errors.push(localized('profile "{0}": "oauth" must be an object', name));
    return undefined;
  }
  const command = tokenCommand(given['tokenCommand'], name, errors);
  const chosen = provider(given, presetKey, command !== undefined, name, errors);
  const tenant = text(given, 'tenant', name, errors);
  if (tenant !== undefined && !/^[A-Za-z0-9.-]+$/.test(tenant)) errors.push(localized('profile "{0}": "oauth.tenant" must be a tenant id or domain', name));
  if (chosen === undefined) return undefined;
  const settings: OAuthSettings = stripUndefined({
    provider: chosen,
    clientId: text(given, 'clientId', name, errors),
    clientSecret: text(given, 'clientSecret', name, errors),
    tenant,
    authorizeUrl: endpointUrl(given, 'authorizeUrl', name, errors),
    tokenUrl: endpointUrl(given, 'tokenUrl', name, errors),
    scopes: scopes(given['scopes'], name, errors),
    tokenCommand: command,
  });
  requireFields(settings, name, errors);
  return settings;
}

function stripUndefined<T extends object>(bag: { [K in keyof T]: T[K] | undefined }): T {
  return Object.fromEntries(Object.entries(bag).filter(([, v]) => v !== undefined)) as T;
}

/** Whether the profile's AUTH uses tokens from core/oauth (sign-in or tokenCommand) instead of a typed secret. */
export function profileUsesOAuth(profile: { readonly oauth?: OAuthSettings | undefined; readonly username?: string | undefined }): boolean {
  return profile.oauth !== undefined && profile.username !== undefined;
}
