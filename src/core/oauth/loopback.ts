/**
 * Authorization code grant (RFC 6749 4.1) with PKCE S256 (RFC 7636) for a native app, through
 * a loopback redirect (RFC 8252 7.3): listen on 127.0.0.1 on a port the system picks, send the
 * browser to the authorization endpoint with `redirect_uri=http://127.0.0.1:PORT/`, take the
 * `code` from the one redirect whose `state` is ours, and exchange it (4.1.3) with the PKCE
 * verifier. The listener closes once the answer came, on timeout, or when cancelled.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { localized } from '../text';
import { SignInError } from './errors';
import { createPkce, createState, stateMatches } from './pkce';
import { requestToken } from './token-endpoint';
import type { LoopbackOptions, OAuthEndpoints, TokenGrant } from './types';
import { nodeHttp } from '../lazy';

const DEFAULT_TIMEOUT_MS = 5 * 60_000;

const PAGE = (title: string, body: string): string =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1><p>${body}</p></body></html>`;

function htmlEscape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The authorization request URL (RFC 6749 4.1.1 + RFC 7636 4.3). */
export function authorizationUrl(endpoints: OAuthEndpoints, clientId: string, redirectUri: string, state: string, challenge: string): string {
  const url = new URL(endpoints.authorizeUrl);
  const params: Record<string, string> = {
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirectUri,
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...endpoints.extraAuthorizeParams,
  };
  if (endpoints.scopes.length > 0) params['scope'] = endpoints.scopes.join(' ');
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.toString();
}

function listen(server: Server, host: string, port: number): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

type Outcome = { readonly code: string } | { readonly error: SignInError };

/**
 * Runs the whole flow and returns the grant.
 * @throws SignInError `denied` (the server's `error` on the redirect: access_denied, consent
 *   required, a tenant policy), `redirect` (timeout, cancelled, cannot listen), `refused` /
 *   `token-endpoint` (the code exchange failed).
 */
export async function authorizeWithLoopback(options: LoopbackOptions, profileName?: string): Promise<TokenGrant> {
  const pkce = createPkce();
  const state = createState();
  let deliver: (outcome: Outcome) => void = () => undefined;
  const outcome = new Promise<Outcome>((resolve) => {
    deliver = resolve;
  });

  const handle = (request: IncomingMessage, response: ServerResponse): void => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (request.method !== 'GET' || url.pathname !== '/') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      return;
    }
    // A redirect without our state is not the answer to our request (CSRF, RFC 6749 10.12):
    // refused, and the wait goes on.
    if (!stateMatches(state, url.searchParams.get('state'))) {
      response.writeHead(400, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE('Sign-in failed', 'This answer does not belong to the sign-in that is waiting.'));
      return;
    }
    const error = url.searchParams.get('error');
    const code = url.searchParams.get('code');
    if (error !== null || code === null || code === '') {
      const description = (url.searchParams.get('error_description') ?? '').replace(/\s+/g, ' ').slice(0, 300);
      response.writeHead(400, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE('Sign-in failed', htmlEscape(`${error ?? 'no code'} ${description}`)));
      deliver({
        error: new SignInError('denied', localized('The sign-in was not completed: {0} {1}', error ?? 'no code', description), profileName, error ?? undefined),
      });
      return;
    }
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE('Signed in', 'Send as Email is signed in. You can close this tab.'));
    deliver({ code });
  };

  const server = nodeHttp().createServer(handle);
  const extra = options.endpoints.redirectHost === 'localhost' ? nodeHttp().createServer(handle) : undefined;
  let address: AddressInfo;
  try {
    address = await listen(server, '127.0.0.1', 0);
    // `localhost` may resolve to ::1 first in the browser: listen there on the same port too.
    if (extra !== undefined) await listen(extra, '::1', address.port).catch(() => undefined);
  } catch (error) {
    server.close();
    throw new SignInError('redirect', localized('Cannot listen on 127.0.0.1 for the sign-in redirect: {0}', error instanceof Error ? error.message : String(error)), profileName);
  }
  const redirectUri = `http://${options.endpoints.redirectHost}:${address.port}/`;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timer = setTimeout(
    () => deliver({ error: new SignInError('redirect', localized('No answer from the browser within {0} minutes; the sign-in was abandoned.', Math.round(timeoutMs / 60_000)), profileName) }),
    timeoutMs,
  );
  const onAbort = (): void => deliver({ error: new SignInError('redirect', localized('The sign-in was cancelled.'), profileName) });
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted === true) onAbort();
  try {
    await options.openBrowser(authorizationUrl(options.endpoints, options.clientId, redirectUri, state, pkce.challenge));
    const result = await outcome;
    if ('error' in result) throw result.error;
    return await requestToken({
      tokenUrl: options.endpoints.tokenUrl,
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      params: { grant_type: 'authorization_code', code: result.code, redirect_uri: redirectUri, code_verifier: pkce.verifier },
      profileName,
      signal: options.signal,
      now: options.now ?? Date.now,
      previousRefreshToken: undefined,
    });
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    server.close();
    server.closeAllConnections();
    extra?.close();
    extra?.closeAllConnections();
  }
}
