/**
 * When a stored grant is refreshed (refresh-timing), and what happens when the refresh is
 * refused — against the test authorization server, with an in-memory GrantStore.
 */
import assert from 'node:assert/strict';
import { accessTokenFor, grantIsFresh } from '../../../src/core/oauth/access-token';
import { SignInError } from '../../../src/core/oauth/errors';
import { grantKeyFor } from '../../../src/core/oauth/grant-key';
import { authorizeWithLoopback } from '../../../src/core/oauth/loopback';
import type { GrantStore, TokenGrant } from '../../../src/core/oauth/types';
import { normaliseProfile } from '../../../src/core/profiles';
import type { SmtpProfile } from '../../../src/core/profiles';
import { startAuthorizationServer } from '../../support/oauth/authorization-server';
import type { AuthorizationServer } from '../../support/oauth/authorization-server';

class MemoryStore implements GrantStore {
  readonly grants = new Map<string, TokenGrant>();
  get(key: string): Promise<TokenGrant | undefined> {
    return Promise.resolve(this.grants.get(key));
  }
  put(key: string, grant: TokenGrant): Promise<void> {
    this.grants.set(key, grant);
    return Promise.resolve();
  }
  delete(key: string): Promise<void> {
    this.grants.delete(key);
    return Promise.resolve();
  }
}

const HOUR = 3_600_000;
const grantAt = (issuedAt: number, lifetimeMs: number | undefined): TokenGrant => ({
  accessToken: 'a',
  issuedAt,
  expiresAt: lifetimeMs === undefined ? undefined : issuedAt + lifetimeMs,
  refreshToken: 'r',
  scope: undefined,
  tokenUrl: 't',
  clientId: 'c',
});

describe('grantIsFresh (refresh timing)', () => {
  it('an hour-long token is refreshed within its last minute, not before', () => {
    const g = grantAt(0, HOUR);
    assert.ok(grantIsFresh(g, HOUR - 61_000));
    assert.ok(!grantIsFresh(g, HOUR - 59_000));
    assert.ok(!grantIsFresh(g, HOUR + 1));
  });

  it('a short-lived token is refreshed in the second half of its life', () => {
    const g = grantAt(0, 10_000);
    assert.ok(grantIsFresh(g, 4_000));
    assert.ok(!grantIsFresh(g, 6_000));
  });

  it('without an expiry the token counts as fresh (the server\'s refusal decides)', () => {
    assert.ok(grantIsFresh(grantAt(0, undefined), 10 * HOUR));
  });
});

describe('accessTokenFor with a stored grant', function () {
  this.timeout(10_000);
  let server: AuthorizationServer;
  let profile: SmtpProfile;

  before(async () => {
    server = await startAuthorizationServer({ clientId: 'cid', username: 'ann@example.test', accessTokenSeconds: 3600 });
    const result = normaliseProfile('work', {
      host: 'smtp.example.test',
      username: 'ann@example.test',
      auth: 'oauth2',
      oauth: { provider: 'custom', authorizeUrl: server.authorizeUrl, tokenUrl: server.tokenUrl, clientId: 'cid' },
    });
    assert.ok(result.profile, JSON.stringify(result.errors));
    profile = result.profile;
  });
  after(() => server.close());

  /** A real grant, obtained by the code flow driven without a browser. */
  async function signedIn(store: MemoryStore, issuedAt: number): Promise<TokenGrant> {
    const grant = await authorizeWithLoopback({
      endpoints: { authorizeUrl: server.authorizeUrl, tokenUrl: server.tokenUrl, scopes: [], extraAuthorizeParams: {}, redirectHost: '127.0.0.1' },
      clientId: 'cid',
      clientSecret: undefined,
      signal: undefined,
      openBrowser: async (url) => {
        const location = (await fetch(url, { redirect: 'manual' })).headers.get('location') ?? '';
        await (await fetch(location)).text();
      },
      now: () => issuedAt,
    });
    await store.put(await grantKeyFor(profile), grant);
    return grant;
  }

  it('uses a fresh token as it is, without asking the server', async () => {
    const store = new MemoryStore();
    const grant = await signedIn(store, Date.now());
    const before = server.counters.refreshes;
    const lines: string[] = [];
    assert.equal(await accessTokenFor(profile, store, { signal: undefined, log: (l) => lines.push(l) }), grant.accessToken);
    assert.equal(server.counters.refreshes, before);
    assert.deepEqual(lines, []);
  });

  it('refreshes a token that expires within the minute, stores the new one and keeps the refresh token', async () => {
    const store = new MemoryStore();
    const grant = await signedIn(store, Date.now() - HOUR + 30_000);
    const before = server.counters.refreshes;
    const lines: string[] = [];
    const token = await accessTokenFor(profile, store, { signal: undefined, log: (l) => lines.push(l) });
    assert.notEqual(token, grant.accessToken);
    assert.equal(server.counters.refreshes, before + 1);
    assert.deepEqual(lines, ['refreshing the access token for ann@example.test@smtp.example.test']);
    const stored = await store.get(await grantKeyFor(profile));
    assert.equal(stored?.accessToken, token);
    assert.equal(stored?.refreshToken, grant.refreshToken);
  });

  it('refreshes after a refusal even when the token looks fresh', async () => {
    const store = new MemoryStore();
    const grant = await signedIn(store, Date.now());
    assert.notEqual(await accessTokenFor(profile, store, { signal: undefined, log: undefined }, true), grant.accessToken);
  });

  it('a revoked grant: SignInError "refused" naming the profile, and the grant is removed', async () => {
    const store = new MemoryStore();
    await signedIn(store, Date.now() - 2 * HOUR);
    server.revokeAll();
    await assert.rejects(
      accessTokenFor(profile, store, { signal: undefined, log: undefined }),
      (error: unknown) => error instanceof SignInError && error.reason === 'refused' && error.profileName === 'work' && error.oauthError === 'invalid_grant',
    );
    assert.equal(store.grants.size, 0);
  });

  it('a grant from another token endpoint is not used (its refresh token goes nowhere else)', async () => {
    const store = new MemoryStore();
    const grant = await signedIn(store, Date.now());
    await store.put(await grantKeyFor(profile), { ...grant, tokenUrl: 'https://elsewhere.example/token' });
    await assert.rejects(accessTokenFor(profile, store, { signal: undefined, log: undefined }), (error: unknown) => error instanceof SignInError && error.reason === 'not-signed-in');
  });

  it('never signed in: SignInError "not-signed-in"', async () => {
    await assert.rejects(accessTokenFor(profile, new MemoryStore(), { signal: undefined, log: undefined }), (error: unknown) => error instanceof SignInError && error.reason === 'not-signed-in');
  });
});
