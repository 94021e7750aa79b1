/**
 * A small OAuth 2.0 authorization server for tests, on node:http over loopback:
 * - GET /authorize: the authorization code grant (RFC 6749 4.1) with PKCE S256 (RFC 7636),
 *   approving at once (no login page) with a 302 to the loopback `redirect_uri` (RFC 8252 7.3);
 *   `denyNext()` makes the next one answer `error=access_denied` instead.
 * - POST /token: `authorization_code` (code, redirect_uri, client and verifier checked; a code
 *   works once) and `refresh_token` (revocable); access tokens live `accessTokenSeconds`.
 * - POST /introspect: RFC 7662 (`token` in the form body, or as a bearer header / query for
 *   Dovecot's other modes): `{active, username, sub, scope, client_id, exp}`.
 * Counters say what happened, so tests assert a refresh from the server's side.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AuthorizationServerOptions {
  readonly clientId: string;
  /** When set, the token endpoint requires it (a "confidential" or Google-style desktop client). */
  readonly clientSecret?: string;
  /** Who approves every authorization request. */
  readonly username: string;
  readonly accessTokenSeconds: number;
  readonly scope?: string;
}

export interface Counters {
  authorizations: number;
  codeExchanges: number;
  refreshes: number;
  refusedRefreshes: number;
  introspections: number;
  activeIntrospections: number;
}

export interface AuthorizationServer {
  readonly origin: string;
  readonly authorizeUrl: string;
  readonly tokenUrl: string;
  readonly introspectUrl: string;
  readonly counters: Counters;
  /** Every secret the server handed out or received (tokens, codes, verifiers), for leak checks. */
  readonly secrets: ReadonlySet<string>;
  /** An access token issued directly (what a tokenCommand helper would print). */
  issueAccessToken(seconds?: number): string;
  /** Revokes every refresh token and the access tokens issued from them (a password change). */
  revokeAll(): void;
  /** Changes the lifetime of access tokens issued from now on. */
  setAccessTokenSeconds(seconds: number): void;
  /** Ends every access token issued so far, early (the server's own decision; refresh still works). */
  expireAccessTokens(): void;
  /** The next /authorize answers with `error=access_denied`. */
  denyNext(): void;
  close(): Promise<void>;
}

interface CodeGrant {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly challenge: string;
  readonly scope: string;
}

interface AccessRecord {
  readonly expiresAt: number;
  readonly scope: string;
  readonly family: string | undefined;
}

const token = (prefix: string): string => `${prefix}-${randomBytes(18).toString('base64url')}`;

function readBody(request: IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))));
    request.on('error', reject);
  });
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}

function isLoopbackRedirect(uri: string): boolean {
  try {
    const url = new URL(uri);
    return url.protocol === 'http:' && (url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]');
  } catch {
    return false;
  }
}

export async function startAuthorizationServer(options: AuthorizationServerOptions): Promise<AuthorizationServer> {
  const scope = options.scope ?? 'smtp';
  const codes = new Map<string, CodeGrant>();
  /** refresh token → its family (revoking it ends the access tokens of the family too). */
  const refreshTokens = new Map<string, string>();
  const revokedFamilies = new Set<string>();
  const accessTokens = new Map<string, AccessRecord>();
  const secrets = new Set<string>();
  const counters: Counters = { authorizations: 0, codeExchanges: 0, refreshes: 0, refusedRefreshes: 0, introspections: 0, activeIntrospections: 0 };
  let deny = false;
  let lifetime = options.accessTokenSeconds;

  const issue = (family: string | undefined, seconds = lifetime): string => {
    const value = token('at');
    accessTokens.set(value, { expiresAt: Date.now() + seconds * 1000, scope, family });
    secrets.add(value);
    return value;
  };

  const authorize = (url: URL, response: ServerResponse): void => {
    const p = url.searchParams;
    const redirectUri = p.get('redirect_uri') ?? '';
    if (p.get('client_id') !== options.clientId || !isLoopbackRedirect(redirectUri)) {
      response.writeHead(400, { 'content-type': 'text/plain' }).end('unknown client or redirect_uri');
      return;
    }
    const target = new URL(redirectUri);
    const state = p.get('state');
    if (state !== null) target.searchParams.set('state', state);
    counters.authorizations += 1;
    if (deny) {
      deny = false;
      target.searchParams.set('error', 'access_denied');
      target.searchParams.set('error_description', 'The user did not consent.');
    } else if (p.get('response_type') !== 'code' || p.get('code_challenge_method') !== 'S256' || (p.get('code_challenge') ?? '') === '') {
      target.searchParams.set('error', 'invalid_request');
      target.searchParams.set('error_description', 'PKCE S256 is required');
    } else {
      const code = token('code');
      secrets.add(code);
      codes.set(code, { clientId: options.clientId, redirectUri, challenge: p.get('code_challenge') ?? '', scope: p.get('scope') ?? scope });
      target.searchParams.set('code', code);
    }
    response.writeHead(302, { location: target.toString() }).end();
  };

  const clientOk = (form: URLSearchParams): boolean =>
    form.get('client_id') === options.clientId && (options.clientSecret === undefined || form.get('client_secret') === options.clientSecret);

  const tokenEndpoint = (form: URLSearchParams, response: ServerResponse): void => {
    for (const key of ['code', 'code_verifier', 'refresh_token']) {
      const value = form.get(key);
      if (value !== null) secrets.add(value);
    }
    if (!clientOk(form)) return json(response, 401, { error: 'invalid_client' });
    const grantType = form.get('grant_type');
    if (grantType === 'authorization_code') {
      const code = form.get('code') ?? '';
      const grant = codes.get(code);
      codes.delete(code);
      const verifier = form.get('code_verifier') ?? '';
      const challenge = createHash('sha256').update(verifier, 'ascii').digest('base64url');
      if (grant === undefined || grant.redirectUri !== form.get('redirect_uri') || grant.challenge !== challenge) {
        return json(response, 400, { error: 'invalid_grant', error_description: 'code, redirect_uri or code_verifier does not match' });
      }
      counters.codeExchanges += 1;
      const family = token('family');
      const refresh = token('rt');
      secrets.add(refresh);
      refreshTokens.set(refresh, family);
      return json(response, 200, { access_token: issue(family), token_type: 'Bearer', expires_in: lifetime, refresh_token: refresh, scope: grant.scope });
    }
    if (grantType === 'refresh_token') {
      const family = refreshTokens.get(form.get('refresh_token') ?? '');
      if (family === undefined || revokedFamilies.has(family)) {
        counters.refusedRefreshes += 1;
        return json(response, 400, { error: 'invalid_grant', error_description: 'AADSTS70000: The refresh token has been revoked.' });
      }
      counters.refreshes += 1;
      return json(response, 200, { access_token: issue(family), token_type: 'Bearer', expires_in: lifetime, scope });
    }
    return json(response, 400, { error: 'unsupported_grant_type' });
  };

  const introspect = async (request: IncomingMessage, url: URL, response: ServerResponse): Promise<void> => {
    counters.introspections += 1;
    const form = request.method === 'POST' ? await readBody(request) : new URLSearchParams();
    const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const value = form.get('token') ?? bearer ?? url.searchParams.get('token') ?? '';
    const record = accessTokens.get(value);
    const active = record !== undefined && record.expiresAt > Date.now() && (record.family === undefined || !revokedFamilies.has(record.family));
    if (!active || record === undefined) return json(response, 200, { active: false });
    counters.activeIntrospections += 1;
    return json(response, 200, {
      active: true,
      username: options.username,
      sub: options.username,
      scope: record.scope,
      client_id: options.clientId,
      exp: Math.floor(record.expiresAt / 1000),
    });
  };

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const route = `${request.method ?? 'GET'} ${url.pathname}`;
    const fail = (error: unknown): void => {
      if (!response.headersSent) json(response, 500, { error: 'server_error', error_description: String(error) });
    };
    if (route === 'GET /authorize') return authorize(url, response);
    if (route === 'POST /token') return void readBody(request).then((form) => tokenEndpoint(form, response), fail);
    if (url.pathname === '/introspect') return void introspect(request, url, response).catch(fail);
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    authorizeUrl: `${origin}/authorize`,
    tokenUrl: `${origin}/token`,
    introspectUrl: `${origin}/introspect`,
    counters,
    secrets,
    issueAccessToken: (seconds) => issue(undefined, seconds),
    revokeAll: () => {
      for (const family of refreshTokens.values()) revokedFamilies.add(family);
    },
    setAccessTokenSeconds: (seconds) => {
      lifetime = seconds;
    },
    expireAccessTokens: () => {
      for (const [value, record] of accessTokens) accessTokens.set(value, { ...record, expiresAt: 0 });
    },
    denyNext: () => {
      deny = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
