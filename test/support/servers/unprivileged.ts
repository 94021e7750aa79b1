/**
 * Runs a piece of the project as the unprivileged user `nobody` (uid/gid 65534), for tests that
 * need a permission to be refused while the suite itself runs as root.
 *
 * `nobody` cannot be assumed to reach the checkout: a clone in a private folder (mode 0700, like
 * most home folders) hides node_modules and the sources, so `tsx` would not even load. The
 * module is therefore bundled by esbuild into one plain JavaScript file in a fresh
 * world-readable temporary folder, and only that file runs as `nobody`.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildSync } from 'esbuild';

export const NOBODY_UID = 65534;
export const NOBODY_GID = 65534;

/**
 * Bundles `entry` (a TypeScript module) and runs `body` as `nobody` in a child process, with the
 * module's exports bound to `lib` (e.g. `lib.parseDraft(...)`). `body` is an async function body;
 * what it returns is JSON-encoded by the child and returned here.
 */
export function runAsNobody<T>(entry: string, body: string, timeoutMs = 25_000): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sae-nobody-'));
  try {
    fs.chmodSync(dir, 0o755);
    const bundle = path.join(dir, 'module.cjs');
    buildSync({ entryPoints: [entry], outfile: bundle, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'silent' });
    const script = path.join(dir, 'run.cjs');
    fs.writeFileSync(
      script,
      [
        `const lib = require(${JSON.stringify(bundle)});`,
        `(async () => { ${body} })().then(`,
        '  (value) => process.stdout.write(JSON.stringify(value ?? null)),',
        '  (error) => { process.stderr.write(String(error && error.stack || error)); process.exitCode = 1; },',
        ');',
      ].join('\n'),
    );
    const home = path.join(dir, 'home');
    fs.mkdirSync(home);
    for (const file of [bundle, script]) fs.chmodSync(file, 0o644);
    fs.chownSync(home, NOBODY_UID, NOBODY_GID);
    const child = spawnSync(process.execPath, [script], {
      uid: NOBODY_UID,
      gid: NOBODY_GID,
      cwd: dir,
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: home, TMPDIR: home },
      encoding: 'utf8',
      timeout: timeoutMs,
    });
    if (child.status !== 0) throw new Error(`child as nobody failed (${child.status ?? child.signal ?? child.error?.message}): ${child.stderr}`);
    return JSON.parse(child.stdout) as T;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
