import assert from 'node:assert/strict';
import { effectiveProfileName } from '../../../../src/core/draft/warnings/effective-profile';
import { draftLines, keyLine, proseLines } from '../../../../src/core/draft/warnings/lines';
import type { ProfileSettings } from '../../../../src/core/profile-settings';
import { profile } from './support';

describe('draft lines: where keys and prose stand, without YAML', () => {
  it('finds top-level keys with their values, comments left out, in CRLF drafts too', () => {
    const lines = draftLines('\uFEFF---\r\nTo: bob@example.com\r\n  nested: x\r\nprofile:  work  # mine\r\n---\r\nBody');
    assert.ok(lines);
    assert.deepEqual(lines.keys.map((key) => key.name), ['to', 'profile']);
    assert.deepEqual(keyLine(lines, 'profile'), { name: 'profile', line: 3, keyStart: 0, keyEnd: 7, value: 'work', valueStart: 10, valueEnd: 14 });
    assert.equal(lines.closingFence, 4);
    assert.equal(lines.bodyStart, 5);
  });

  it('has no closing fence while the front matter is open, and is undefined without front matter', () => {
    assert.equal(draftLines('---\nto: a@example.com')?.closingFence, undefined);
    assert.equal(draftLines('# Title\n---\n'), undefined);
  });

  it('leaves code out of the prose, keeping columns', () => {
    const lines = draftLines(['---', 'to: a@example.com', '---', 'see `code` here', '~~~', 'fenced', '~~~', 'after'].join('\n'));
    assert.ok(lines);
    assert.deepEqual(proseLines(lines), [{ line: 3, text: 'see        here' }, { line: 7, text: 'after' }]);
  });
});

describe('the profile a draft would use, without asking', () => {
  const settings = (names: string[], defaultProfile?: string): ProfileSettings => ({
    profiles: new Map(names.map((name) => [name, profile({ name })])),
    errors: new Map(),
    hiddenByTrust: [],
    defaultProfile,
    defaultProfileHidden: undefined,
  });

  it('is the written one, else the default, else the only one, else none', () => {
    assert.equal(effectiveProfileName(settings(['a', 'b'], 'b'), 'a'), 'a');
    assert.equal(effectiveProfileName(settings(['a', 'b'], 'b'), undefined), 'b');
    assert.equal(effectiveProfileName(settings(['a']), undefined), 'a');
    assert.equal(effectiveProfileName(settings(['a', 'b']), undefined), undefined);
  });
});
