/** The command line's sign-in file: mode 0600 in a 0700 folder, grants kept apart by key. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultGrantPath, GrantFile } from '../../../src/cli/grant-file';
import { parseGrant, serialiseGrant } from '../../../src/core/oauth/grant-codec';
import type { TokenGrant } from '../../../src/core/oauth/types';

const grant: TokenGrant = { accessToken: 'at-1', issuedAt: 1000, expiresAt: 4_600_000, refreshToken: 'rt-1', scope: 'smtp', tokenUrl: 'https://t.example/token', clientId: 'cid' };

describe('GrantFile', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sae-grants-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lives under $XDG_CONFIG_HOME/send-as-email/, else ~/.config/send-as-email/', () => {
    assert.equal(defaultGrantPath({ XDG_CONFIG_HOME: '/x' }), join('/x', 'send-as-email', 'oauth-grants.json'));
    assert.match(defaultGrantPath({}), /[/\\]\.config[/\\]send-as-email[/\\]oauth-grants\.json$/);
  });

  it('writes mode 0600 in a new 0700 folder, even under a permissive umask', async () => {
    const file = join(dir, 'cfg', 'send-as-email', 'oauth-grants.json');
    const old = process.umask(0o000);
    try {
      await new GrantFile(file).put('k', grant);
    } finally {
      process.umask(old);
    }
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(statSync(join(dir, 'cfg', 'send-as-email')).mode & 0o777, 0o700);
  });

  it('keeps grants apart by key; delete removes one; a second file object reads what the first wrote', async () => {
    const file = join(dir, 'g.json');
    const a = new GrantFile(file);
    await a.put('one', grant);
    await a.put('two', { ...grant, accessToken: 'at-2' });
    await a.delete('one');
    const b = new GrantFile(file);
    assert.equal(await b.get('one'), undefined);
    assert.deepEqual(await b.get('two'), { ...grant, accessToken: 'at-2' });
    assert.doesNotMatch(readFileSync(file, 'utf8'), /at-1/);
  });

  it('a missing or damaged file holds no grant', async () => {
    const file = join(dir, 'g.json');
    assert.equal(await new GrantFile(file).get('k'), undefined);
    writeFileSync(file, '{not json');
    assert.equal(await new GrantFile(file).get('k'), undefined);
  });
});

describe('grant codec', () => {
  it('round-trips a grant; a password or other text is no grant', () => {
    assert.deepEqual(parseGrant(serialiseGrant(grant)), grant);
    assert.equal(parseGrant('hunter2'), undefined);
    assert.equal(parseGrant(JSON.stringify({ accessToken: 'x' })), undefined);
    assert.equal(parseGrant(undefined), undefined);
  });
});
