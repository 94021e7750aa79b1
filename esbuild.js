// Bundles the extension, the command line and the demo with esbuild (vscode stays external).
// Type-checking is its own step (`npm run typecheck`); esbuild only strips types.
//
//   node esbuild.js                 dist/extension.js (+ dist/extension-<hash>.js: the shared and
//                                   the lazily loaded part, see buildSplit) with source maps (what
//                                   the host tests load), dist/cli.js production, test bundles
//   node esbuild.js --production    everything minified, no source maps (the packaged .vsix)
//   node esbuild.js --metafile      also print the bundle's size per input package
//   node esbuild.js --outdir DIR    put dist/ elsewhere, products only (the bench's private copy)
//
// The CLI's `bin` (dist/cli.js) is always the production build: users run it, not tests.
//
// A lean start: yaml, markdown-it (with entities, linkify-it, …), mime-types (with mime-db) and
// parse5 (the HTML sanitizer's parser) are most of the bundle but are needed only once a draft is
// checked or composed. Core loads them only through `import()` (src/core/lazy.ts, the
// sanitizer); here each becomes its own file,
// dist/vendor/<name>.js, and the bare import is rewritten to a relative `require` of that file,
// so starting the extension or `send-as-email --help` never parses them.
// Two of our own modules are lazy the same way (LAZY_MODULES): the syntax highlighter
// (highlight.js and the languages it registers) and the CSS inliner (juice, with cheerio's slim
// entry: juice parses with htmlparser2 only, so cheerio's parse5, undici and iconv-lite stay out).
'use strict';
const esbuild = require('esbuild');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = __dirname;

/** Loaded on demand from dist/vendor/<name>.js (see src/core/lazy.ts). */
const LAZY_LIBRARIES = ['yaml', 'markdown-it', 'mime-types', 'parse5', 'imapflow', 'postal-mime'];

/**
 * Our own modules loaded on demand from dist/vendor/<name>.js: `require('./markdown/<name>')`
 * in src/core/lazy.ts.
 */
const LAZY_MODULES = [
  { name: 'highlighter', source: 'src/core/markdown/highlighter.ts' },
  { name: 'css-inliner', source: 'src/core/markdown/css-inliner.ts' },
];

/** Never bundled: the host API and test-only packages. */
const EXTERNAL = ['vscode', 'mocha', 'smtp-server', 'mailparser', 'nodemailer', 'playwright-core'];

/**
 * @typedef {{ entry: string, outfile: string, banner?: string, kind: 'product' | 'test', alwaysProduction?: boolean, split?: boolean }} Target
 * @type {Target[]}
 */
const TARGETS = [
  // Split (see buildSplit): dist/extension.js plus the code it shares with src/features.ts and
  // src/features.ts itself, each a file of its own (dist/extension-<hash>.js).
  { entry: 'src/extension.ts', outfile: 'dist/extension.js', kind: 'product', split: true },
  { entry: 'src/cli/main.ts', outfile: 'dist/cli.js', banner: '#!/usr/bin/env node', kind: 'product', alwaysProduction: true },
  { entry: 'scripts/demo.ts', outfile: 'dist/demo.js', kind: 'product' },
  { entry: 'src/cli/demo.ts', outfile: 'dist/demo.js', kind: 'product' },
  { entry: 'test/host/index.ts', outfile: 'out/test/host/index.js', kind: 'test' },
];

/**
 * Maps `import('yaml')` etc. to `require('./vendor/yaml.js')` relative to the output file.
 * @param {string} outDir absolute folder of the bundle being built
 * @param {string} vendorDir absolute folder of the vendor files
 * @returns {import('esbuild').Plugin}
 */
function lazyLibraries(outDir, vendorDir) {
  const filter = new RegExp(`^(${LAZY_LIBRARIES.map((name) => name.replace(/[-/\\^$*+?.()|[\]{}]/g, '\\$&')).join('|')})$`);
  return {
    name: 'lazy-libraries',
    setup(build) {
      build.onResolve({ filter }, (args) => {
        let relative = path.relative(outDir, path.join(vendorDir, `${args.path}.js`)).split(path.sep).join('/');
        if (!relative.startsWith('.')) relative = `./${relative}`;
        return { path: relative, external: true };
      });
      const modules = new Map(LAZY_MODULES.map(({ name, source }) => [path.join(ROOT, source.replace(/\.ts$/, '')), name]));
      build.onResolve({ filter: /^\.\/markdown\/[a-z-]+$/ }, (args) => {
        const name = modules.get(path.join(args.resolveDir, args.path));
        if (name === undefined) return undefined;
        let relative = path.relative(outDir, path.join(vendorDir, `${name}.js`)).split(path.sep).join('/');
        if (!relative.startsWith('.')) relative = `./${relative}`;
        return { path: relative, external: true };
      });
    },
  };
}

/**
 * juice requires `cheerio`, whose main entry also brings a fetch client and encoding tables;
 * juice always parses with htmlparser2 (it passes `xml` options), which is the slim entry.
 * @type {import('esbuild').Plugin}
 */
const slimCheerio = {
  name: 'slim-cheerio',
  setup(build) {
    build.onResolve({ filter: /^cheerio$/ }, async (args) => {
      const resolved = await build.resolve('cheerio/slim', { resolveDir: args.resolveDir, kind: args.kind });
      return { path: resolved.path };
    });
  },
};

/**
 * A lean start for the extension: it activates on every Markdown and plaintext file, so
 * `require` of dist/extension.js must compile only what activation runs. activate() loads the
 * rest (src/features.ts) with `import()`. esbuild splits code only for ES modules, so the bundle
 * is built as ESM with `splitting` first — the entry, the code the entry shares with
 * src/features.ts, and src/features.ts: three files, so each module exists once (one AppError
 * class for `instanceof`, one copy of module state) — and then each file is turned into
 * CommonJS on its own: VS Code's extension host and Node 20 `require` CommonJS, and the vendor
 * files are CommonJS too. Input source maps carry through the second step.
 * @param {Target} target
 * @param {{ outfile: string, production: boolean, vendorDir: string, metafile: boolean }} options
 * @returns {Promise<import('esbuild').Metafile | undefined>}
 */
async function buildSplit(target, { outfile, production, vendorDir, metafile }) {
  const outDir = path.dirname(outfile);
  const name = path.basename(outfile, '.js');
  const esmDir = fs.mkdtempSync(path.join(os.tmpdir(), `${name}-esm-`));
  try {
    const result = await esbuild.build({
      absWorkingDir: ROOT,
      entryPoints: { [name]: target.entry },
      outdir: esmDir,
      chunkNames: `${name}-[hash]`,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      external: EXTERNAL,
      plugins: [lazyLibraries(outDir, vendorDir)],
      minify: production,
      sourcemap: production ? false : 'inline',
      metafile,
      logLevel: 'warning',
    });
    // Chunk names carry a content hash: the files of an earlier build go first.
    for (const file of fs.readdirSync(outDir)) {
      if (file.startsWith(`${name}-`) && /\.js(\.map)?$/.test(file)) fs.rmSync(path.join(outDir, file));
    }
    // A production build must not leave an older map beside it pointing at other code.
    if (production && fs.existsSync(`${outfile}.map`)) fs.rmSync(`${outfile}.map`);
    await esbuild.build({
      absWorkingDir: ROOT,
      entryPoints: fs.readdirSync(esmDir).map((file) => path.join(esmDir, file)),
      outdir: outDir,
      bundle: false,
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      // `import()` becomes `require()` inside a promise (see the note in buildAll).
      supported: { 'dynamic-import': false },
      minify: production,
      sourcemap: !production,
      logLevel: 'warning',
    });
    return result.metafile;
  } finally {
    fs.rmSync(esmDir, { recursive: true, force: true });
  }
}

/**
 * Builds every target whose entry exists, plus dist/vendor/*.js.
 * @param {{ production: boolean, outDir?: string, metafile?: boolean, onlyProduct?: boolean }} options
 *   outDir: where dist/ goes (default <root>/dist); the bench builds a private copy elsewhere.
 * @returns {Promise<{ file: string, metafile: import('esbuild').Metafile | undefined }[]>}
 */
async function buildAll(options) {
  const distDir = options.outDir ?? path.join(ROOT, 'dist');
  const vendorDir = path.join(distDir, 'vendor');
  const wanted = new Set();
  const targets = TARGETS.filter((target) => {
    if (options.onlyProduct === true && target.kind !== 'product') return false;
    // One demo entry: the first that exists wins (it moved out of src/).
    if (wanted.has(target.outfile) || !fs.existsSync(path.join(ROOT, target.entry))) return false;
    wanted.add(target.outfile);
    return true;
  });

  /** @type {Promise<{ file: string, metafile: import('esbuild').Metafile | undefined }>[]} */
  const builds = targets.map(async (target) => {
    const outfile = target.outfile.startsWith('dist/') ? path.join(distDir, target.outfile.slice('dist/'.length)) : path.join(ROOT, target.outfile);
    const production = options.production || target.alwaysProduction === true;
    if (target.split === true) {
      // Its metafile is always kept: the size report shows what loads at start and what later.
      const metafile = await buildSplit(target, { outfile, production, vendorDir, metafile: true });
      return { file: outfile, metafile };
    }
    const result = await esbuild.build({
      absWorkingDir: ROOT,
      entryPoints: [target.entry],
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      external: EXTERNAL,
      // Test bundles keep the libraries inside: they live under out/, away from dist/vendor.
      plugins: target.kind === 'product' ? [lazyLibraries(path.dirname(outfile), vendorDir)] : [],
      // `import()` becomes `require()` inside a promise: the vendor files are CommonJS, and a
      // real dynamic import would hand back a namespace whose named exports Node has to guess.
      supported: { 'dynamic-import': false },
      minify: production && target.kind === 'product',
      sourcemap: !production,
      metafile: options.metafile === true,
      logLevel: 'warning',
      banner: target.banner ? { js: target.banner } : undefined,
    });
    // A production build must not leave an older map beside it pointing at other code.
    if (production && fs.existsSync(`${outfile}.map`)) fs.rmSync(`${outfile}.map`);
    return { file: outfile, metafile: result.metafile };
  });

  const vendorEntries = [
    ...LAZY_LIBRARIES.map((name) => ({ name, stdin: { contents: `module.exports = require(${JSON.stringify(name)});`, resolveDir: ROOT, sourcefile: `vendor-${name}.js`, loader: 'js' } })),
    ...LAZY_MODULES.map(({ name, source }) => ({ name, entryPoints: [source] })),
  ];
  const vendors = vendorEntries.map(async ({ name, stdin, entryPoints }) => {
    const outfile = path.join(vendorDir, `${name}.js`);
    const result = await esbuild.build({
      absWorkingDir: ROOT,
      stdin,
      entryPoints,
      plugins: [slimCheerio],
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      minify: true,
      legalComments: 'none',
      metafile: options.metafile === true,
      logLevel: 'warning',
    });
    return { file: outfile, metafile: result.metafile };
  });

  const results = await Promise.all([...builds, ...vendors]);
  const cli = path.join(distDir, 'cli.js');
  if (fs.existsSync(cli)) fs.chmodSync(cli, 0o755);
  return results;
}

/**
 * Bytes in the output per input package (node_modules/<name>) or `src (ours)`.
 * @param {import('esbuild').Metafile} metafile
 * @returns {Map<string, number>}
 */
function bytesByPackage(metafile) {
  const sizes = new Map();
  for (const output of Object.values(metafile.outputs)) {
    for (const [file, input] of Object.entries(output.inputs)) {
      const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
      const key = match ? match[1] : file.startsWith('src/') ? 'src (ours)' : file;
      sizes.set(key, (sizes.get(key) ?? 0) + input.bytesInOutput);
    }
  }
  return sizes;
}

/**
 * A split bundle (buildSplit) is shown file by file: what `require` of the entry loads (the
 * entry and the chunk it shares) and what loads later (src/features.ts).
 * @param {string} file the entry's output file
 * @param {import('esbuild').Metafile} metafile
 */
function printSplitSizes(file, metafile) {
  const name = path.basename(file, '.js');
  const outputs = Object.entries(metafile.outputs).filter(([output]) => output.endsWith('.js'));
  const entry = outputs.find(([output]) => path.basename(output) === `${name}.js`);
  const atStart = new Set([entry?.[0], ...(entry?.[1].imports ?? []).filter((i) => i.kind === 'import-statement').map((i) => i.path)]);
  for (const [output, info] of outputs) {
    const role = path.basename(output) === `${name}.js` ? 'entry' : atStart.has(output) ? 'shared, loaded at start' : 'lazy: src/features.ts';
    console.log(`${path.relative(ROOT, path.join(path.dirname(file), path.basename(output)))}: ${(info.bytes / 1024).toFixed(1)} KiB (${role})`);
  }
  const start = outputs.filter(([output]) => atStart.has(output)).reduce((sum, [, info]) => sum + info.bytes, 0);
  console.log(`  loaded by require(${path.basename(file)}): ${(start / 1024).toFixed(1)} KiB`);
}

/** @param {{ file: string, metafile: import('esbuild').Metafile | undefined }[]} results */
function printSizes(results) {
  for (const { file, metafile } of results) {
    if (metafile !== undefined && Object.keys(metafile.outputs).filter((output) => output.endsWith('.js')).length > 1) {
      printSplitSizes(file, metafile);
      continue;
    }
    const size = fs.statSync(file).size;
    console.log(`${path.relative(ROOT, file)}: ${(size / 1024).toFixed(1)} KiB`);
    if (metafile === undefined) continue;
    const sorted = [...bytesByPackage(metafile)].sort((a, b) => b[1] - a[1]);
    for (const [name, bytes] of sorted) console.log(`  ${name.padEnd(22)} ${(bytes / 1024).toFixed(1).padStart(7)} KiB`);
  }
}

module.exports = { buildAll, bytesByPackage, lazyLibraries, LAZY_LIBRARIES, LAZY_MODULES };

if (require.main === module) {
  const production = process.argv.includes('--production');
  const metafile = process.argv.includes('--metafile');
  const outDirAt = process.argv.indexOf('--outdir');
  const outDir = outDirAt === -1 ? undefined : path.resolve(process.argv[outDirAt + 1] ?? '');
  buildAll({ production, metafile, outDir, onlyProduct: outDir !== undefined }).then(
    (results) => {
      if (metafile) printSizes(results);
      else if (production) printSizes(results.filter(({ file }) => /extension\.js$|cli\.js$/.test(file)));
    },
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
