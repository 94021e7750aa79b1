/**
 * A TokenGrant as stored text (JSON with a type marker). Anything else under the key — a
 * password kept by an older release, a damaged entry — reads as "no grant", never as a token.
 */
import { isRecord } from '../guards';
import type { TokenGrant } from './types';

const TYPE = 'send-as-email/oauth2-grant';

export function serialiseGrant(grant: TokenGrant): string {
  return JSON.stringify({ type: TYPE, ...grant });
}

function optional<T>(value: unknown, check: (v: unknown) => v is T): T | undefined {
  return check(value) ? value : undefined;
}

const isString = (v: unknown): v is string => typeof v === 'string' && v !== '';
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * The JSON object in `text` when it carries `"type": type`; undefined for anything else (not
 * JSON, another record, a password). For every typed record kept under a secret key.
 */
export function parseTypedRecord(text: string | undefined, type: string): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  return isRecord(raw) && raw['type'] === type ? raw : undefined;
}

export function parseGrant(text: string | undefined): TokenGrant | undefined {
  return grantFromRecord(parseTypedRecord(text, TYPE));
}

/** The grant in an already parsed value, or undefined when it is not one. */
export function grantFromRecord(raw: unknown): TokenGrant | undefined {
  if (!isRecord(raw) || raw['type'] !== TYPE) return undefined;
  const { accessToken, tokenUrl, clientId, issuedAt } = raw;
  if (!isString(accessToken) || !isString(tokenUrl) || !isString(clientId) || !isNumber(issuedAt)) return undefined;
  return {
    accessToken,
    issuedAt,
    expiresAt: optional(raw['expiresAt'], isNumber),
    refreshToken: optional(raw['refreshToken'], isString),
    scope: optional(raw['scope'], isString),
    tokenUrl,
    clientId,
  };
}
