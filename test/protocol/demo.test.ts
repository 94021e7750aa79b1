/**
 * The README's first command, `npm run demo`, as a newcomer runs it: the demo (scripts/demo.ts,
 * bundled to dist/demo.js) sends the sample draft through the real client to its capture server
 * and saves what arrived. The demo is a development script: it needs the smtp-server
 * devDependency and openssl, so it lives outside src/, which holds only shipped source.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? sourceFiles(full) : name.endsWith('.ts') ? [full] : [];
  });
}

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

  // Issue 8: src/cli/demo.ts was shipped source that imported a devDependency.
  it('shipped source (src/) imports no devDependency', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    const dev = Object.keys(pkg.devDependencies).filter((name) => !name.startsWith('@types/'));
    const offenders = sourceFiles(join(ROOT, 'src')).flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      return dev.filter((name) => new RegExp(`(?:from |import\\(|require\\()'${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}(?:/[^']*)?'`).test(text)).map((name) => `${file}: ${name}`);
    });
    assert.deepEqual(offenders, []);
  });
});
