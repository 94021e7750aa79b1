/**
 * The lean start (docs/architecture.md, "Lazy loading"): `require` of the extension compiles only
 * what activation runs. Built here as esbuild.js builds it (ESM splitting, the heavy libraries
 * external), the entry and the chunks it imports statically must hold no command flow, no draft
 * checker, composer or SMTP client: those belong to src/features.ts, loaded on first use.
 * A value import on the start-up side makes this fail, as it would make bench scenario 6 slow.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { build } from 'esbuild';
import type { Metafile, Plugin } from 'esbuild';

const ROOT = path.resolve(__dirname, '..', '..');
const LIBRARIES = /^(yaml|markdown-it|mime-types|parse5|imapflow|postal-mime|\.\/markdown\/highlighter|\.\/markdown\/css-inliner)$/;
const external: Plugin = { name: 'lazy-external', setup: (b) => b.onResolve({ filter: LIBRARIES }, (args) => ({ path: args.path, external: true })) };

/** Inputs of the entry and of every chunk it imports statically. */
function startClosure(metafile: Metafile): Set<string> {
  const outputs = metafile.outputs;
  const entry = Object.keys(outputs).find((file) => path.basename(file) === 'extension.js');
  assert.ok(entry !== undefined, 'no extension.js output');
  const seen = new Set<string>();
  const inputs = new Set<string>();
  const visit = (file: string): void => {
    const output = outputs[file];
    if (seen.has(file) || output === undefined) return;
    seen.add(file);
    for (const input of Object.keys(output.inputs)) inputs.add(input);
    for (const imported of output.imports) if (imported.kind === 'import-statement') visit(imported.path);
  };
  visit(entry);
  return inputs;
}

describe('lean start: what require(dist/extension.js) loads', function () {
  this.timeout(60_000);
  let metafile: Metafile;

  before(async () => {
    const result = await build({
      absWorkingDir: ROOT,
      entryPoints: { extension: 'src/extension.ts' },
      outdir: path.join(ROOT, 'out', 'lean-start'),
      write: false,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      external: ['vscode'],
      plugins: [external],
      metafile: true,
      logLevel: 'silent',
    });
    metafile = result.metafile;
  });

  it('holds no command flow, checker, composer, SMTP client or Preview panel', () => {
    const loaded = [...startClosure(metafile)];
    const heavy = loaded.filter(
      (input) =>
        (input.startsWith('src/commands/') && input !== 'src/commands/command-ids.ts') ||
        ['src/host/editor/draft-check.ts', 'src/core/draft/parse.ts', 'src/core/mime/compose.ts', 'src/core/smtp/client.ts', 'src/core/oauth/loopback.ts', 'src/host/preview/panel.ts'].includes(input),
    );
    assert.deepEqual(heavy, [], `loaded at start-up: ${heavy.join(', ')}`);
    assert.ok(loaded.includes('src/extension.ts'));
  });

  it('puts the command flows in the lazily loaded file', () => {
    const start = startClosure(metafile);
    const later = Object.values(metafile.outputs).flatMap((output) => Object.keys(output.inputs)).filter((input) => !start.has(input));
    for (const flow of ['src/commands/send.ts', 'src/commands/preview.ts', 'src/host/editor/draft-check.ts', 'src/core/smtp/client.ts']) assert.ok(later.includes(flow), flow);
  });
});
