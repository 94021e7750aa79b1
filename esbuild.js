// Bundles the extension, the command line and the demo with esbuild (vscode stays external).
// Type-checking is its own step (`npm run typecheck`); esbuild only strips types.
// `--production` minifies and drops source maps, as for the packaged .vsix.
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const production = process.argv.includes('--production');

/** [entry, outfile, banner] — everything ships as CommonJS for Node 20. */
const targets = [
  ['src/extension.ts', 'dist/extension.js'],
  ['src/cli/main.ts', 'dist/cli.js', '#!/usr/bin/env node'],
  ['src/cli/demo.ts', 'dist/demo.js'],
  ['test/host/index.ts', 'out/test/host/index.js'],
];

async function main() {
  const builds = targets
    .filter(([entry]) => fs.existsSync(path.join(__dirname, entry)))
    .map(([entry, outfile, banner]) =>
      esbuild.build({
        entryPoints: [entry],
        outfile,
        bundle: true,
        platform: 'node',
        target: 'node20',
        format: 'cjs',
        external: ['vscode', 'mocha', 'smtp-server', 'mailparser', 'nodemailer', 'playwright-core'],
        minify: production && !entry.startsWith('test/'),
        sourcemap: !production,
        logLevel: 'warning',
        banner: banner ? { js: banner } : undefined,
      }),
    );
  await Promise.all(builds);
  if (fs.existsSync('dist/cli.js')) fs.chmodSync('dist/cli.js', 0o755);
  if (production) {
    const size = fs.statSync('dist/extension.js').size;
    console.log(`dist/extension.js: ${(size / 1024).toFixed(1)} KiB`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
