/**
 * Benchmarks measured as a user meets them, each run a whole `node` process timed from spawn to
 * exit (start-up and module loading included), with its peak RSS:
 *
 *   6. start-up: `require` of the PRODUCTION extension bundle (with a stub `vscode` module)
 *      against `require('nodemailer')`, each in a fresh process, alternating;
 *   7. `send-as-email send` of a draft with the 20 MiB attachment against a Node program that
 *      loads Nodemailer and calls sendMail with the same text and file, to the same sink;
 *   8. `send-as-email check` of a 5 MiB Markdown draft (issue 7, limits).
 *
 * The product is built exactly as released (`node esbuild.js --production`) into
 * bench/.build/dist, so what is measured is what ships; the per-input sizes are printed.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { BUILD_DIR } from './build';
import type { Fixtures } from './clients/job';
import { ATTACHMENT_BYTES } from './fixtures';
import type { Sink } from './processes';
import type { Row } from './scenarios';
import { median } from './scenarios';

const ROOT = path.dirname(__dirname);
export const PRODUCT_DIR = path.join(BUILD_DIR, 'dist');
const PRELOAD = path.join(BUILD_DIR, 'report-usage.js');
const REQUIRE_TIMER = path.join(BUILD_DIR, 'require-time.js');
const CHECK_DRAFT_BYTES = 5 * 1024 * 1024;
const BASE64_BYTES = Math.ceil(ATTACHMENT_BYTES / 3) * 4;

/** What one whole process cost. */
interface ProcessRun {
  readonly ms: number;
  readonly maxRssKiB: number;
  readonly cpuMs: number;
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Builds the product as released into bench/.build/dist and writes the helpers every measured
 * process needs: a stub `vscode` module beside the bundle, the usage reporter (preloaded with
 * --require, it writes peak RSS and CPU time when the process exits) and the require timer.
 * Returns esbuild's size table (per input package).
 */
export function buildProduct(): string {
  fs.rmSync(PRODUCT_DIR, { recursive: true, force: true });
  const result = spawnSync(process.execPath, [path.join(ROOT, 'esbuild.js'), '--production', '--metafile', '--outdir', PRODUCT_DIR], { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`node esbuild.js --production failed:\n${result.stdout}${result.stderr}`);
  const stub = path.join(PRODUCT_DIR, 'node_modules', 'vscode');
  fs.mkdirSync(stub, { recursive: true });
  // Any property is a constructible, callable stub: enough for a bundle's top level to run.
  fs.writeFileSync(
    path.join(stub, 'index.js'),
    [
      "'use strict';",
      'function stub() {',
      '  const target = function () {};',
      '  return new Proxy(target, {',
      "    get: (t, key) => (key === 'then' || typeof key === 'symbol' ? undefined : (t[key] ??= stub())),",
      '    apply: () => stub(),',
      '    construct: () => stub(),',
      '  });',
      '}',
      'module.exports = stub();',
      '',
    ].join('\n'),
  );
  fs.writeFileSync(
    PRELOAD,
    [
      "'use strict';",
      "process.on('exit', () => {",
      '  const cpu = process.cpuUsage();',
      "  require('node:fs').writeFileSync(process.env.BENCH_USAGE_FILE, JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS, cpuMs: (cpu.user + cpu.system) / 1000 }));",
      '});',
      '',
    ].join('\n'),
  );
  fs.writeFileSync(
    REQUIRE_TIMER,
    [
      "'use strict';",
      'const started = process.hrtime.bigint();',
      'require(process.argv[2]);',
      'process.stdout.write(String(Number(process.hrtime.bigint() - started) / 1e6));',
      '',
    ].join('\n'),
  );
  return result.stdout;
}

/** Runs `node --require <usage reporter> ...args` to its end; the wall clock spans spawn to exit. */
function runProcess(args: readonly string[], cwd: string): Promise<ProcessRun> {
  const usageFile = path.join(BUILD_DIR, `usage-${process.pid}.json`);
  fs.rmSync(usageFile, { force: true });
  return new Promise((resolve, reject) => {
    const began = performance.now();
    const child = spawn(process.execPath, ['--require', PRELOAD, ...args], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, BENCH_USAGE_FILE: usageFile, NO_COLOR: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => {
      const ms = performance.now() - began;
      let usage = { maxRssKiB: Number.NaN, cpuMs: Number.NaN };
      try {
        usage = JSON.parse(fs.readFileSync(usageFile, 'utf8')) as typeof usage;
      } catch {
        // The process died before its exit hook: leave NaN, the caller reports the failure.
      }
      fs.rmSync(usageFile, { force: true });
      resolve({ ms, ...usage, code, stdout, stderr: stderr.slice(-2000) });
    });
  });
}

const msText = (value: number): string => (Number.isFinite(value) ? `${value.toFixed(1)} ms` : '—');
const mbText = (kib: number): string => (Number.isFinite(kib) ? `${(kib / 1024).toFixed(1)} MB` : '—');
const ratioText = (value: number): string => (Number.isFinite(value) ? `${value.toFixed(2)}×` : '—');

function verdict(ok: boolean, value: number): Row['verdict'] {
  if (!Number.isFinite(value)) return 'n/a';
  return ok ? 'PASS' : 'FAIL';
}

export interface WholeOutcome {
  readonly rows: Row[];
  /** Samples and problems, printed under the table. */
  readonly details: string[];
}

/** Alternates the sides run by run (the first side rotates), after one discarded run each. */
async function alternate<S extends string>(sides: readonly S[], runs: number, once: (side: S) => Promise<ProcessRun>, details: string[]): Promise<Map<S, ProcessRun[]>> {
  const samples = new Map<S, ProcessRun[]>(sides.map((side) => [side, []]));
  for (const side of sides) await once(side);
  for (let run = 0; run < runs; run += 1) {
    for (let index = 0; index < sides.length; index += 1) {
      const side = sides[(index + run) % sides.length] as S;
      const result = await once(side);
      if (result.code !== 0) details.push(`! ${side} run ${run + 1} exited ${String(result.code)}: ${result.stderr.trim()}`);
      else samples.get(side)?.push(result);
    }
    process.stdout.write('.');
  }
  return samples;
}

function sampleLine(label: string, list: readonly ProcessRun[], value: (run: ProcessRun) => number, unit: (v: number) => string): string {
  return `     ${label.padEnd(12)} ${list.map((run) => unit(value(run))).join(' ')}`;
}

/** 6. `require` of the production extension bundle vs `require('nodemailer')`. */
export async function measureStartup(runs: number): Promise<WholeOutcome> {
  const details: string[] = [];
  const extension = path.join(PRODUCT_DIR, 'extension.js');
  const nodemailer = require.resolve('nodemailer', { paths: [ROOT] });
  const target = { ours: extension, nodemailer } as const;
  const samples = await alternate(['ours', 'nodemailer'] as const, runs, (side) => runProcess([REQUIRE_TIMER, target[side]], ROOT), details);
  const requireMs = (side: 'ours' | 'nodemailer'): number[] => (samples.get(side) ?? []).map((run) => Number(run.stdout));
  const ours = median(requireMs('ours'));
  const theirs = median(requireMs('nodemailer'));
  const ratio = ours / theirs;
  details.push('  6. require() in a fresh process (ms, in run order)');
  details.push(`     ours         ${requireMs('ours').map((v) => v.toFixed(1)).join(' ')}`);
  details.push(`     nodemailer   ${requireMs('nodemailer').map((v) => v.toFixed(1)).join(' ')}`);
  return {
    rows: [
      { label: '6. require production extension bundle', ours: msText(ours), other: msText(theirs), ratio: ratioText(ratio), target: '≤ 20 ms', verdict: verdict(ours <= 20, ours), cpu: '' },
      { label: '6. same, relative to require(nodemailer)', ours: msText(ours), other: msText(theirs), ratio: ratioText(ratio), target: '≤ 0.40×', verdict: verdict(ratio <= 0.4, ratio), cpu: '' },
    ],
    details,
  };
}

/** 7. Whole-process `send-as-email send` with the 20 MiB attachment vs Nodemailer's sendMail. */
export async function measureCliSend(runs: number, sink: Sink, fixtures: Fixtures, nodemailerScript: string): Promise<WholeOutcome> {
  const details: string[] = [];
  const draft = path.join(fixtures.dir, 'draft.txt');
  fs.writeFileSync(draft, `---\nto: ${fixtures.to}\nsubject: ${fixtures.subject}\nattach: ${fixtures.attachmentName}\n---\n${fixtures.draftText}`);
  const config = path.join(fixtures.dir, 'config.json');
  fs.writeFileSync(
    config,
    JSON.stringify({ profiles: { bench: { host: '127.0.0.1', port: sink.port, security: 'none', auth: 'none', from: `${fixtures.from.name} <${fixtures.from.address}>` } } }),
  );
  const order = JSON.stringify({ port: sink.port, from: fixtures.from, to: fixtures.to, subject: fixtures.subject, text: fixtures.draftText, attachmentPath: fixtures.attachmentPath, attachmentName: fixtures.attachmentName });
  const args = {
    ours: [path.join(PRODUCT_DIR, 'cli.js'), 'send', draft, '--config', config, '--profile', 'bench', '--trace', 'off', '--no-receipt'],
    nodemailer: [nodemailerScript, order],
  } as const;
  const once = async (side: 'ours' | 'nodemailer'): Promise<ProcessRun> => {
    await sink.reset(false);
    const result = await runProcess(args[side], fixtures.dir);
    const { connections, stillOpen } = await sink.collect();
    const received = connections[0];
    const problem =
      connections.length !== 1 ? `the sink saw ${connections.length} connections`
      : stillOpen > 0 ? 'a connection was left open'
      : received === undefined || received.messages !== 1 ? 'the sink received no message'
      : received.dataBytes < BASE64_BYTES ? `the sink received only ${received.dataBytes} bytes`
      : undefined;
    if (problem !== undefined && result.code === 0) return { ...result, code: -1, stderr: `${problem}; ${result.stderr}` };
    return result;
  };
  const samples = await alternate(['ours', 'nodemailer'] as const, runs, once, details);
  const list = (side: 'ours' | 'nodemailer'): ProcessRun[] => samples.get(side) ?? [];
  const wall = (side: 'ours' | 'nodemailer'): number => median(list(side).map((run) => run.ms));
  const rss = (side: 'ours' | 'nodemailer'): number => median(list(side).map((run) => run.maxRssKiB));
  const cpu = (side: 'ours' | 'nodemailer'): number => median(list(side).map((run) => run.cpuMs));
  const wallRatio = wall('ours') / wall('nodemailer');
  const rssRatio = rss('ours') / rss('nodemailer');
  details.push('  7. whole process, spawn → exit (ms; peak RSS MB; CPU ms), in run order');
  for (const side of ['ours', 'nodemailer'] as const) {
    details.push(sampleLine(side, list(side), (run) => run.ms, (v) => v.toFixed(0)));
    details.push(sampleLine('  RSS', list(side), (run) => run.maxRssKiB / 1024, (v) => v.toFixed(0)));
    details.push(sampleLine('  CPU', list(side), (run) => run.cpuMs, (v) => v.toFixed(0)));
  }
  return {
    rows: [
      { label: '7. CLI send, 20 MiB attachment: whole process', ours: msText(wall('ours')), other: msText(wall('nodemailer')), ratio: ratioText(wallRatio), target: '≤ 0.60×', verdict: verdict(wallRatio <= 0.6, wallRatio), cpu: ratioText(cpu('ours') / cpu('nodemailer')) },
      { label: '7. CLI send, 20 MiB attachment: peak RSS', ours: mbText(rss('ours')), other: mbText(rss('nodemailer')), ratio: ratioText(rssRatio), target: '≤ 1.00×', verdict: verdict(rssRatio <= 1, rssRatio), cpu: '' },
    ],
    details,
  };
}

/** A realistic Markdown draft of `bytes` bytes: headings, paragraphs, lists, links, code. */
function largeDraft(bytes: number): string {
  const head = '---\nto: Reader <reader@bench.example>\ncc: second@bench.example\nsubject: A long report\n---\n';
  const section = (n: number): string =>
    [
      `## Section ${n}`,
      '',
      `Paragraph ${n} has *emphasis*, **strong text**, \`inline code\` and a [link](https://example.com/page/${n}).`,
      'Prices rose by 4.2 % in the quarter; the detail is in the table below and in the appendix.',
      '',
      `- item ${n}.1 with some words`,
      `- item ${n}.2 with [another link](https://example.org/${n})`,
      '',
      '| region | value |',
      '|---|---|',
      `| north | ${n} |`,
      '',
      '```',
      `const value${n} = compute(${n});`,
      '```',
      '',
    ].join('\n');
  const parts: string[] = [head];
  let size = Buffer.byteLength(head);
  for (let n = 1; size < bytes; n += 1) {
    const text = section(n);
    size += Buffer.byteLength(text);
    parts.push(text);
  }
  return parts.join('').slice(0, bytes);
}

/** 8. `send-as-email check` of a 5 MiB Markdown draft: time and peak RSS (targets < 2 s, < 300 MB). */
export async function measureCheck(runs: number, fixtures: Fixtures): Promise<WholeOutcome> {
  const details: string[] = [];
  const draft = path.join(fixtures.dir, 'large-draft.md');
  fs.writeFileSync(draft, largeDraft(CHECK_DRAFT_BYTES));
  const samples = await alternate(['ours'] as const, runs, (side) => runProcess([path.join(PRODUCT_DIR, 'cli.js'), 'check', draft], fixtures.dir).then((run) => ({ ...run, side })), details);
  const list = samples.get('ours') ?? [];
  const wall = median(list.map((run) => run.ms));
  const rss = median(list.map((run) => run.maxRssKiB));
  details.push(`  8. check of a ${(CHECK_DRAFT_BYTES / 2 ** 20).toFixed(0)} MiB draft (ms; peak RSS MB)`);
  details.push(sampleLine('ours', list, (run) => run.ms, (v) => v.toFixed(0)));
  details.push(sampleLine('  RSS', list, (run) => run.maxRssKiB / 1024, (v) => v.toFixed(0)));
  return {
    rows: [
      { label: '8. check of a 5 MiB draft: whole process', ours: msText(wall), other: '2000.0 ms', ratio: ratioText(wall / 2000), target: '< 2 s', verdict: verdict(wall < 2000, wall), cpu: '' },
      { label: '8. check of a 5 MiB draft: peak RSS', ours: mbText(rss), other: '300.0 MB', ratio: ratioText(rss / (300 * 1024)), target: '< 300 MB', verdict: verdict(rss < 300 * 1024, rss), cpu: '' },
    ],
    details,
  };
}
