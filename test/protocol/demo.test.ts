/**
 * The README's first command, `npm run demo`, as a newcomer runs it: the built dist/demo.js sends
 * the sample draft through the real client to its capture server and saves what arrived.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');

describe('npm run demo', function () {
  this.timeout(60_000);
  let saved: string | undefined;

  before(() => {
    execFileSync(process.execPath, [join(ROOT, 'esbuild.js')], { cwd: ROOT, stdio: 'inherit' });
  });

  after(() => {
    if (saved !== undefined) rmSync(saved, { force: true });
  });

  it('sends the sample draft over STARTTLS with AUTH and saves the received message', () => {
    const result = spawnSync(process.execPath, [join(ROOT, 'dist', 'demo.js')], { cwd: ROOT, encoding: 'utf8', timeout: 50_000 });
    assert.equal(result.status, 0, result.stderr);
    const out = result.stdout;
    assert.match(out, /C: STARTTLS/);
    assert.match(out, /certificate verified/);
    assert.match(out, /C: AUTH PLAIN \*+/);
    assert.match(out, /Server replied: 250/);
    assert.match(out, /Bcc in headers: no/);
    saved = /Received message saved to (.+\.eml)$/m.exec(out)?.[1];
    assert.ok(saved !== undefined && existsSync(saved), 'no saved message');
    const message = readFileSync(saved, 'utf8');
    assert.match(message, /^Subject: =\?UTF-8\?/m);
    assert.match(message, /Content-Type: multipart\/mixed/);
    assert.match(message, /Content-Type: multipart\/related/);
    assert.match(message, /filename="?numbers\.csv"?/);
    // The HTML part is quoted-printable, so `=` travels as `=3D`.
    assert.match(message, /src=3D"cid:image/);
  });
});
