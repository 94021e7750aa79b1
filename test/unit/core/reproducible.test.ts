import assert from 'node:assert/strict';
import { reproducibleIdentity, sourceDateEpoch } from '../../../src/core/reproducible';

describe('reproducible composition (SOURCE_DATE_EPOCH)', () => {
  it('parses whole seconds and refuses anything else', () => {
    assert.equal(sourceDateEpoch(undefined), undefined);
    assert.equal(sourceDateEpoch('')?.getTime(), undefined);
    assert.equal(sourceDateEpoch('1764424320')?.toISOString(), '2025-11-29T13:52:00.000Z');
    assert.throws(() => sourceDateEpoch('yesterday'), /whole seconds/);
    assert.throws(() => sourceDateEpoch('-5'), /whole seconds/);
  });

  it('derives the same identity from the same draft and instant, another from another draft', () => {
    const date = new Date(1764424320000);
    const a = reproducibleIdentity('draft one', date, 'ann@example.test');
    const b = reproducibleIdentity('draft one', date, 'ann@example.test');
    const c = reproducibleIdentity('draft two', date, 'ann@example.test');
    assert.equal(a.messageId, b.messageId);
    assert.match(a.messageId, /^<[0-9a-f]{32}@example\.test>$/);
    assert.notEqual(a.messageId, c.messageId);
    assert.equal(a.boundary(0), b.boundary(0));
    assert.notEqual(a.boundary(0), a.boundary(1));
    assert.match(a.boundary(0), /^=_sae_[0-9a-f]{30}$/);
  });

  it('keeps a non-ASCII sender domain out of the Message-ID', () => {
    assert.match(reproducibleIdentity('x', new Date(0), 'ann@münchen.example').messageId, /@send-as-email\.invalid>$/);
  });
});
