import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import { unsentCopiesFolder } from '../../../src/cli/save-sent';

describe('Sent copy: where the CLI keeps unsent copies', () => {
  it('uses $XDG_STATE_HOME when it is absolute, else ~/.local/state (XDG Base Directory)', () => {
    assert.equal(unsentCopiesFolder({ XDG_STATE_HOME: '/srv/state' }), path.join('/srv/state', 'send-as-email', 'unsent-copies'));
    const fallback = path.join(os.homedir(), '.local', 'state', 'send-as-email', 'unsent-copies');
    assert.equal(unsentCopiesFolder({}), fallback);
    // A relative value is invalid per the specification and is ignored.
    assert.equal(unsentCopiesFolder({ XDG_STATE_HOME: 'state' }), fallback);
  });
});
