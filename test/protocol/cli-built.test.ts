/**
 * The built command line (dist/cli.js, what `npm install -g` runs), as a shell runs it: things
 * only a real process shows — the version baked into the bundle, and a pipe closed early.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');

describe('the built send-as-email', function () {
  this.timeout(60_000);
  let dir: string;

  before(() => {
    execFileSync(process.execPath, [join(ROOT, 'esbuild.js')], { cwd: ROOT, stdio: 'inherit' });
    dir = mkdtempSync(join(tmpdir(), 'sae-built-'));
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  // Issue 8: `--version` was documented but printed "no command given".
  it('--version prints the version in package.json, from any folder', () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const result = spawnSync(process.execPath, [CLI, '--version'], { cwd: dir, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, `${version}\n`);
  });

  // Issue 7.13: `--eml - | head` failed with "write EPIPE" and exit 1.
  it('--eml - into a pipe that closes early ends quietly', () => {
    // Far more than a pipe buffer (64 KiB), so the writer is still writing when head exits.
    writeFileSync(join(dir, 'big.bin'), Buffer.alloc(2 * 1024 * 1024, 'a'));
    const draft = join(dir, 'big.md');
    writeFileSync(draft, '---\nfrom: ann@example.com\nto: bob@example.com\nsubject: big\nattach: big.bin\n---\nHello\n');
    const script = `"${process.execPath}" "${CLI}" send "${draft}" --eml - | head -c 10 >/dev/null; echo "status \${PIPESTATUS[0]}" >&2`;
    const result = spawnSync('bash', ['-c', script], { cwd: dir, encoding: 'utf8', env: { ...process.env, SEND_AS_EMAIL_CONFIG: join(dir, 'none.json') } });
    assert.match(result.stderr, /status 0$/m);
    assert.doesNotMatch(result.stderr, /EPIPE|Error/);
  });
});
