/** The command line's choice of grant store, and the keyring-first reading order. */
import assert from 'node:assert/strict';
import { KeyringThenFile, keyringWanted } from '../../../src/cli/grant-store';
import type { GrantStore, TokenGrant } from '../../../src/core/oauth/types';

const grant = (n: number): TokenGrant => ({ accessToken: `at-${n}`, issuedAt: n, expiresAt: undefined, refreshToken: `rt-${n}`, scope: undefined, tokenUrl: 'https://t.example/token', clientId: 'cid' });

class MemoryStore implements GrantStore {
  readonly items = new Map<string, TokenGrant>();
  constructor(
    readonly description: string,
    readonly path = description,
  ) {}
  get(key: string): Promise<TokenGrant | undefined> {
    return Promise.resolve(this.items.get(key));
  }
  put(key: string, value: TokenGrant): Promise<void> {
    this.items.set(key, value);
    return Promise.resolve();
  }
  delete(key: string): Promise<void> {
    this.items.delete(key);
    return Promise.resolve();
  }
}

describe('CLI grant store choice', () => {
  it('tries the keyring only on Linux with a D-Bus session bus', () => {
    assert.equal(keyringWanted({ DBUS_SESSION_BUS_ADDRESS: 'unix:path=/run/user/1/bus' }, 'linux'), true);
    assert.equal(keyringWanted({}, 'linux'), false);
    assert.equal(keyringWanted({ DBUS_SESSION_BUS_ADDRESS: '' }, 'linux'), false);
    assert.equal(keyringWanted({ DBUS_SESSION_BUS_ADDRESS: 'unix:path=/x' }, 'darwin'), false);
    assert.equal(keyringWanted({ DBUS_SESSION_BUS_ADDRESS: 'unix:path=/x' }, 'win32'), false);
  });

  it('reads the keyring first, then the file; writes the keyring and drops an old file copy; deletes from both', async () => {
    const keyring = new MemoryStore('the keyring');
    const file = new MemoryStore('file');
    const store = new KeyringThenFile(keyring, file);
    assert.equal(store.description, 'the keyring');
    await file.put('old', grant(1));
    assert.deepEqual(await store.get('old'), grant(1));
    await keyring.put('both', grant(2));
    await file.put('both', grant(3));
    assert.deepEqual(await store.get('both'), grant(2));
    await store.put('old', grant(4));
    assert.deepEqual(keyring.items.get('old'), grant(4));
    assert.equal(file.items.has('old'), false);
    await store.delete('both');
    assert.equal(keyring.items.has('both'), false);
    assert.equal(file.items.has('both'), false);
    assert.equal(await store.get('missing'), undefined);
  });
});
