/** `login` opens a browser only where one plainly is, and passes the URL as one argument. */
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBrowser } from '../../../src/cli/browser';
import { sleep } from '../../support/servers/processes';

describe('openBrowser (command line)', function () {
  this.timeout(10_000);
  let dir: string;
  let seen: string;
  before(function () {
    // The rule under test is the Linux one (xdg-open); CI runs on Linux, where nothing skips.
    if (process.platform !== 'linux' && process.env['CI'] !== 'true') this.skip();
    dir = mkdtempSync(join(tmpdir(), 'sae-browser-'));
    seen = join(dir, 'seen.txt');
    // A stand-in xdg-open that records its arguments, one per line.
    writeFileSync(join(dir, 'xdg-open'), `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a"; done > ${JSON.stringify(seen)}\n`);
    chmodSync(join(dir, 'xdg-open'), 0o755);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('starts nothing without a display, even with xdg-open on PATH', async () => {
    assert.equal(await openBrowser('http://127.0.0.1:1/', { PATH: dir }), false);
    assert.equal(existsSync(seen), false);
  });

  it('starts nothing with a display but no xdg-open', async () => {
    assert.equal(await openBrowser('http://127.0.0.1:1/', { PATH: join(dir, 'none'), DISPLAY: ':0' }), false);
  });

  it('with a display and xdg-open, passes the URL as a single argument (no shell)', async () => {
    const url = 'http://127.0.0.1:1/authorize?a=1&b=$(id);c=`x`';
    assert.equal(await openBrowser(url, { PATH: dir, WAYLAND_DISPLAY: 'wayland-0' }), true);
    for (let i = 0; i < 100 && !existsSync(seen); i++) await sleep(20);
    await sleep(50);
    assert.equal(readFileSync(seen, 'utf8'), `${url}\n`);
  });
});
