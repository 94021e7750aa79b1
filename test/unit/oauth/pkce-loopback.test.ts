/**
 * PKCE (RFC 7636) and the loopback redirect (RFC 8252) against the test authorization server:
 * the S256 challenge matches the RFC's own example, the whole flow yields a grant, a redirect
 * carrying another `state` is refused (CSRF, RFC 6749 10.12) while the real one still works, a
 * denial becomes SignInError `denied`, and cancelling closes the listener.
 */
import assert from 'node:assert/strict';
import { SignInError } from '../../../src/core/oauth/errors';
import { authorizeWithLoopback } from '../../../src/core/oauth/loopback';
import { createPkce, createState, s256Challenge, stateMatches } from '../../../src/core/oauth/pkce';
import type { OAuthEndpoints } from '../../../src/core/oauth/types';
import { startAuthorizationServer } from '../../support/oauth/authorization-server';
import type { AuthorizationServer } from '../../support/oauth/authorization-server';

describe('PKCE and state', () => {
  it('S256 of the RFC 7636 Appendix B verifier is the challenge printed there', () => {
    assert.equal(s256Challenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'), 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('makes 43-character unreserved verifiers (RFC 7636 4.1), different each time, with their challenge', () => {
    const a = createPkce();
    const b = createPkce();
    assert.match(a.verifier, /^[A-Za-z0-9\-._~]{43}$/);
    assert.notEqual(a.verifier, b.verifier);
    assert.equal(a.challenge, s256Challenge(a.verifier));
    assert.equal(a.method, 'S256');
  });

  it('a state matches only itself', () => {
    const state = createState();
    assert.ok(stateMatches(state, state));
    assert.ok(!stateMatches(state, `${state}x`));
    assert.ok(!stateMatches(state, createState()));
    assert.ok(!stateMatches(state, null));
  });
});

describe('authorizeWithLoopback against a local authorization server', function () {
  this.timeout(10_000);
  let server: AuthorizationServer;
  let endpoints: OAuthEndpoints;

  before(async () => {
    server = await startAuthorizationServer({ clientId: 'cid', clientSecret: 'csecret', username: 'ann@example.test', accessTokenSeconds: 600 });
    endpoints = { authorizeUrl: server.authorizeUrl, tokenUrl: server.tokenUrl, scopes: ['smtp', 'offline'], extraAuthorizeParams: { prompt: 'consent' }, redirectHost: '127.0.0.1' };
  });
  after(() => server.close());

  /** The browser: follows the authorization server's redirect to the loopback listener. */
  async function browse(url: string, tamper?: (location: URL) => void): Promise<number> {
    const first = await fetch(url, { redirect: 'manual' });
    const location = new URL(first.headers.get('location') ?? '');
    tamper?.(location);
    const landing = await fetch(location);
    await landing.text();
    return landing.status;
  }

  /** The flow with this test's client, the browser played by `openBrowser`. */
  const flow = (openBrowser: (url: string) => Promise<void>, clientSecret = 'csecret', signal?: AbortSignal) =>
    authorizeWithLoopback({ endpoints, clientId: 'cid', clientSecret, signal, openBrowser });

  it('runs the code flow: PKCE S256 and state in the request, a grant bound to the token endpoint and client', async () => {
    let asked: URL | undefined;
    const grant = await flow(async (url) => {
      asked = new URL(url);
      assert.equal(await browse(url), 200);
    });
    assert.ok(asked);
    assert.equal(asked.searchParams.get('code_challenge_method'), 'S256');
    assert.match(asked.searchParams.get('code_challenge') ?? '', /^[A-Za-z0-9_-]{43}$/);
    assert.match(asked.searchParams.get('redirect_uri') ?? '', /^http:\/\/127\.0\.0\.1:\d+\/$/);
    assert.equal(asked.searchParams.get('scope'), 'smtp offline');
    assert.equal(asked.searchParams.get('prompt'), 'consent');
    assert.ok((asked.searchParams.get('state') ?? '').length >= 32);
    assert.equal(grant.tokenUrl, server.tokenUrl);
    assert.equal(grant.clientId, 'cid');
    assert.ok(grant.refreshToken !== undefined && grant.expiresAt !== undefined && grant.expiresAt > Date.now());
  });

  it('refuses a redirect with a different state and keeps waiting for the real one', async () => {
    const before = server.counters.codeExchanges;
    const grant = await flow(async (url) => {
      const forged = await browse(url, (location) => location.searchParams.set('state', 'attacker-state'));
      assert.equal(forged, 400);
      assert.equal(server.counters.codeExchanges, before, 'the forged code must not be exchanged');
      assert.equal(await browse(url), 200);
    });
    assert.equal(server.counters.codeExchanges, before + 1);
    assert.ok(grant.accessToken.length > 0);
  });

  it('turns error=access_denied into SignInError "denied", with the code named and no secret', async () => {
    server.denyNext();
    await assert.rejects(
      flow(async (url) => void (await browse(url))),
      (error: unknown) => error instanceof SignInError && error.reason === 'denied' && error.oauthError === 'access_denied' && /access_denied/.test(error.message),
    );
  });

  it('a wrong client secret fails at the token endpoint (invalid_client), not silently', async () => {
    await assert.rejects(
      flow(async (url) => void (await browse(url)), 'wrong'),
      (error: unknown) => error instanceof SignInError && error.reason === 'token-endpoint' && error.oauthError === 'invalid_client' && !error.message.includes('wrong'),
    );
  });

  it('cancelling stops the wait and closes the listener', async () => {
    const controller = new AbortController();
    let redirect = '';
    await assert.rejects(
      flow(
        (url) => {
          redirect = new URL(url).searchParams.get('redirect_uri') ?? '';
          controller.abort();
          return Promise.resolve();
        },
        'csecret',
        controller.signal,
      ),
      (error: unknown) => error instanceof SignInError && error.reason === 'redirect',
    );
    await assert.rejects(fetch(redirect));
  });
});
