/**
 * The token endpoint (RFC 6749 3.2): a form POST answered by JSON. Used for the authorization
 * code (4.1.3) and for refreshing (6). Errors carry the server's `error` code and its
 * `error_description` (Microsoft's AADSTS numbers, Google's sentences: what the README's
 * troubleshooting table maps), never anything that was sent.
 */
import { isRecord } from '../guards';
import { localized } from '../text';
import { SignInError } from './errors';
import type { TokenGrant } from './types';

const TIMEOUT_MS = 30_000;
const DESCRIPTION_SHOWN = 300;

export interface TokenRequest {
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string | undefined;
  /** grant_type and its own fields (code + code_verifier + redirect_uri, or refresh_token). */
  readonly params: Readonly<Record<string, string>>;
  readonly profileName: string | undefined;
  readonly signal: AbortSignal | undefined;
  readonly now: () => number;
  /** The refresh token to keep when a refresh answer carries none (RFC 6749 6). */
  readonly previousRefreshToken: string | undefined;
}

function endpointError(text: ReturnType<typeof localized>, request: TokenRequest, oauthError?: string, reason: 'token-endpoint' | 'refused' = 'token-endpoint'): SignInError {
  return new SignInError(reason, text, request.profileName, oauthError);
}

/** A printable, bounded piece of server text (the caller's display escapes it again). */
function shown(value: unknown): string {
  return typeof value === 'string' ? value.replace(/\s+/g, ' ').trim().slice(0, DESCRIPTION_SHOWN) : '';
}

function signalFor(signal: AbortSignal | undefined): AbortSignal {
  const timeout = AbortSignal.timeout(TIMEOUT_MS);
  return signal === undefined ? timeout : AbortSignal.any([signal, timeout]);
}

/**
 * POSTs the request and returns the grant.
 * @throws SignInError `refused` for `invalid_grant` (RFC 6749 5.2: the code or refresh token is
 *   invalid, expired or revoked), `token-endpoint` for anything else.
 */
export async function requestToken(request: TokenRequest): Promise<TokenGrant> {
  const body = new URLSearchParams({ ...request.params, client_id: request.clientId });
  if (request.clientSecret !== undefined) body.set('client_secret', request.clientSecret);
  const host = safeHost(request.tokenUrl);
  let response: Response;
  try {
    response = await fetch(request.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: body.toString(),
      redirect: 'error',
      signal: signalFor(request.signal),
    });
  } catch (error) {
    const reason = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
    throw endpointError(localized('The token endpoint {0} could not be reached: {1}', host, reason), request);
  }
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    json = undefined;
  }
  if (!response.ok || !isRecord(json) || typeof json['access_token'] !== 'string') {
    const code = isRecord(json) && typeof json['error'] === 'string' ? json['error'] : undefined;
    const description = isRecord(json) ? shown(json['error_description']) : '';
    if (code === 'invalid_grant') {
      throw endpointError(localized('The sign-in is no longer valid ({0}: {1})', code, description || 'revoked or expired'), request, code, 'refused');
    }
    throw endpointError(
      code === undefined
        ? localized('The token endpoint {0} answered HTTP {1} without a token', host, response.status)
        : localized('The token endpoint {0} refused: {1} {2}', host, code, description),
      request,
      code,
    );
  }
  return grantFrom(json, request);
}

function grantFrom(json: Record<string, unknown>, request: TokenRequest): TokenGrant {
  const accessToken = String(json['access_token']);
  // RFC 6750: SMTP's XOAUTH2 and OAUTHBEARER carry bearer tokens only.
  const type = json['token_type'];
  if (typeof type === 'string' && type.toLowerCase() !== 'bearer') {
    throw endpointError(localized('The token endpoint {0} issued a "{1}" token; only bearer tokens can be used', safeHost(request.tokenUrl), shown(type)), request);
  }
  // RFC 6750 2.1: b64token characters only; anything else could not travel in a SASL blob.
  if (!/^[A-Za-z0-9\-._~+/]+=*$/.test(accessToken)) {
    throw endpointError(localized('The token endpoint {0} issued an access token that cannot be sent', safeHost(request.tokenUrl)), request);
  }
  const expiresIn = typeof json['expires_in'] === 'number' ? json['expires_in'] : typeof json['expires_in'] === 'string' ? Number(json['expires_in']) : NaN;
  const refreshToken = typeof json['refresh_token'] === 'string' && json['refresh_token'] !== '' ? json['refresh_token'] : request.previousRefreshToken;
  const now = request.now();
  return {
    accessToken,
    issuedAt: now,
    expiresAt: Number.isFinite(expiresIn) && expiresIn > 0 ? now + expiresIn * 1000 : undefined,
    refreshToken,
    scope: typeof json['scope'] === 'string' ? json['scope'] : undefined,
    tokenUrl: request.tokenUrl,
    clientId: request.clientId,
  };
}

/** The endpoint's origin only: a URL may carry a tenant id, never a secret, but keep messages short. */
export function safeHost(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '?';
  }
}
