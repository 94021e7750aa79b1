// The record that binds a profile to the VS Code account it signed in with. It must never be
// mistaken for a grant (or a password) kept under the same key, nor match a changed profile.
import assert from 'node:assert/strict';
import { parseGrant, serialiseGrant } from '../../../src/core/oauth/grant-codec';
import { parseSessionRecord, recordMatches, serialiseSessionRecord } from '../../../src/host/oauth/session-record';

const record = { providerId: 'microsoft', accountId: 'id-1', accountLabel: 'ann@example.com', scopes: ['b', 'a', 'VSCODE_TENANT:common'] };

describe('host-oauth: the VS Code session record', () => {
  it('round-trips', () => {
    assert.deepEqual(parseSessionRecord(serialiseSessionRecord(record)), record);
  });

  it('reads a grant, a password or damaged text as no record, and is itself no grant', () => {
    const grant = serialiseGrant({ accessToken: 'at', expiresAt: 1, issuedAt: 0, refreshToken: 'rt', scope: undefined, tokenUrl: 'https://t.example/token', clientId: 'c' });
    assert.equal(parseSessionRecord(grant), undefined);
    assert.equal(parseSessionRecord(JSON.stringify({ ...record, type: 'something-else' })), undefined);
    assert.equal(parseSessionRecord('hunter2'), undefined);
    assert.equal(parseSessionRecord('{"type":"send-as-email/vscode-session","providerId":1}'), undefined);
    assert.equal(parseSessionRecord(undefined), undefined);
    assert.equal(parseGrant(serialiseSessionRecord(record)), undefined);
  });

  it('matches only the same provider and the same scopes, in any order', () => {
    assert.equal(recordMatches(record, 'microsoft', ['VSCODE_TENANT:common', 'a', 'b']), true);
    assert.equal(recordMatches(record, 'other', ['a', 'b', 'VSCODE_TENANT:common']), false);
    assert.equal(recordMatches(record, 'microsoft', ['a', 'b', 'VSCODE_TENANT:organizations']), false);
    assert.equal(recordMatches(record, 'microsoft', ['a', 'b']), false);
  });
});
