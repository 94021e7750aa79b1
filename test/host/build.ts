// Builds what the extension host loads for the host suites: the extension and the mocha entry
// (both by the project's esbuild.js), plus each suite as its own CommonJS bundle under
// out/test/host/suite/. Separate bundles because mocha must define describe/it as globals
// (its 'pre-require' event) before a suite's top level runs; index.js requires them at run time.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import type { BuildOptions } from 'esbuild';
import { repoRoot } from './code-server';

export const hostOutDir = path.join(repoRoot, 'out', 'test', 'host');
export const hostIndexJs = path.join(hostOutDir, 'index.js');
const suiteSrcDir = path.join(repoRoot, 'test', 'host', 'suite');
const suiteOutDir = path.join(hostOutDir, 'suite');

/** Options shared with esbuild.js: CommonJS for Node 20, with `vscode` and `mocha` external. */
const common: BuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['vscode', 'mocha', 'smtp-server', 'mailparser', 'nodemailer', 'playwright-core'],
  sourcemap: true,
  logLevel: 'warning',
};

/**
 * Builds the extension and test/host/index.ts with the project's `node esbuild.js` (the same
 * dist/extension.js a release ships), then bundles test/host/suite/*.test.ts; returns the suite
 * bundles. `hostOnly` builds just the two files the host loads, with esbuild.js's options, for
 * quick iterations or while another part of the project does not build.
 */
export async function buildHostTests(options: { hostOnly?: boolean } = {}): Promise<string[]> {
  if (options.hostOnly === true) {
    await build({ ...common, entryPoints: [path.join(repoRoot, 'src', 'extension.ts')], outfile: path.join(repoRoot, 'dist', 'extension.js') });
    await build({ ...common, entryPoints: [path.join(repoRoot, 'test', 'host', 'index.ts')], outfile: hostIndexJs });
  } else {
    const result = spawnSync(process.execPath, ['esbuild.js'], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });
    if (result.status !== 0) {
      throw new Error(`node esbuild.js failed (${result.status ?? result.signal ?? result.error?.message}); ` +
        `HOST_TEST_BUILD=host-only builds only the extension and the suites:\n${result.stdout}${result.stderr}`);
    }
  }
  if (!fs.existsSync(hostIndexJs)) throw new Error(`the build did not produce ${hostIndexJs}`);

  // Start from an empty folder so a deleted or renamed suite never runs from a stale bundle.
  fs.rmSync(suiteOutDir, { recursive: true, force: true });
  const entries = fs
    .readdirSync(suiteSrcDir)
    .filter((name) => name.endsWith('.test.ts'))
    .sort()
    .map((name) => path.join(suiteSrcDir, name));
  if (entries.length === 0) throw new Error(`no suites in ${suiteSrcDir}`);
  await build({ ...common, entryPoints: entries, outdir: suiteOutDir });
  return entries.map((entry) => path.join(suiteOutDir, `${path.basename(entry, '.ts')}.js`));
}
