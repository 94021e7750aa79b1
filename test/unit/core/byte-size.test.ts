import assert from 'node:assert/strict';
import { bytesInUnitOf, formatBytes } from '../../../src/core/byte-size';

describe('byte sizes', () => {
  it('uses binary units, one decimal below 10 and none above', () => {
    assert.equal(formatBytes(0), '0 B');
    assert.equal(formatBytes(512), '512 B');
    assert.equal(formatBytes(1023), '1023 B');
    assert.equal(formatBytes(1024), '1.0 KiB');
    assert.equal(formatBytes(1536), '1.5 KiB');
    assert.equal(formatBytes(27 * 1024 * 1024), '27 MiB');
    assert.equal(formatBytes(3 * 1024 ** 3), '3.0 GiB');
  });

  it('stops at GiB rather than running out of units', () => {
    assert.equal(formatBytes(2048 * 1024 ** 3), '2048 GiB');
  });

  it('gives progress in the unit of the total, never past it', () => {
    assert.deepEqual(bytesInUnitOf(3.2 * 1024 * 1024, 27 * 1024 * 1024), { sent: '3.2', total: '27', unit: 'MiB' });
    assert.deepEqual(bytesInUnitOf(100, 27 * 1024 * 1024), { sent: '0.0', total: '27', unit: 'MiB' });
    assert.deepEqual(bytesInUnitOf(5000, 4000), { sent: '3.9', total: '3.9', unit: 'KiB' });
  });
});
