/**
 * Bundles the sink and the client scripts into bench/.build/ with esbuild, so each measured child
 * is plain JavaScript started by plain `node`: no TypeScript compilation on anyone's clock.
 * Nodemailer and smtp-server stay external and load from node_modules as in real use; our code
 * (src/core) is bundled the way the extension bundles it.
 */
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

export const BENCH_DIR = __dirname;
export const BUILD_DIR = path.join(BENCH_DIR, '.build');
const ROOT = path.dirname(BENCH_DIR);

/** Files our client script needs; checked first so a missing module gets a plain message. */
const OUR_MODULES = [
  ['src/core/smtp/index.ts', 'the SMTP client (SmtpClient)'],
  ['src/core/mime/index.ts', 'the MIME composer (composeMessage)'],
] as const;

export interface BuiltScripts {
  readonly sink: string;
  readonly nodemailer: string;
  readonly raw: string;
  /** Nodemailer as a whole program (the whole-process bench). */
  readonly nodemailerProcess: string;
  /** Undefined when our code could not be bundled; `oursProblem` says why. */
  readonly ours?: string;
  readonly oursProblem?: string;
}

export async function bundle(entry: string, outfile: string): Promise<void> {
  await build({
    entryPoints: [path.join(BENCH_DIR, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['smtp-server', 'nodemailer', 'nodemailer/*', 'esbuild'],
    // Not minified: CPU profiles then name our functions as written.
    minify: false,
    sourcemap: 'linked',
    logLevel: 'silent',
  });
}

function missingOurModules(): string[] {
  return OUR_MODULES.filter(([file]) => !fs.existsSync(path.join(ROOT, file))).map(
    ([file, what]) => `${file} (${what})`,
  );
}

/** The scripts as they are in bench/.build (for --no-build: e.g. to A/B a hand-patched bundle). */
export function existingScripts(): BuiltScripts {
  const out = (name: string): string => path.join(BUILD_DIR, `${name}.js`);
  const missing = ['sink', 'nodemailer', 'raw', 'nodemailer-process'].filter((name) => !fs.existsSync(out(name)));
  if (missing.length > 0) throw new Error(`--no-build: ${missing.join(', ')} not in ${BUILD_DIR}; run once without it`);
  const scripts = { sink: out('sink'), nodemailer: out('nodemailer'), raw: out('raw'), nodemailerProcess: out('nodemailer-process') };
  return fs.existsSync(out('ours')) ? { ...scripts, ours: out('ours') } : { ...scripts, oursProblem: `no ours.js in ${BUILD_DIR}` };
}

export async function buildScripts(): Promise<BuiltScripts> {
  fs.mkdirSync(BUILD_DIR, { recursive: true });
  const out = (name: string): string => path.join(BUILD_DIR, `${name}.js`);
  await Promise.all([
    bundle('sink.ts', out('sink')),
    bundle('clients/nodemailer.ts', out('nodemailer')),
    bundle('clients/raw.ts', out('raw')),
    bundle('clients/nodemailer-process.ts', out('nodemailer-process')),
  ]);
  const scripts = { sink: out('sink'), nodemailer: out('nodemailer'), raw: out('raw'), nodemailerProcess: out('nodemailer-process') };
  const missing = missingOurModules();
  if (missing.length > 0) {
    return { ...scripts, oursProblem: `our code is not there yet; missing:\n    ${missing.join('\n    ')}` };
  }
  try {
    await bundle('clients/ours.ts', out('ours'));
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    return { ...scripts, oursProblem: `our code does not bundle:\n${text}` };
  }
  return { ...scripts, ours: out('ours') };
}
