/**
 * `npm run bench`: our SMTP client and MIME composer side by side with Nodemailer, in the same
 * run, against the same smtp-server sink on 127.0.0.1. Every measured run is its own Node process
 * (bundled JavaScript, no TypeScript compilation on the clock); sides alternate run by run.
 * Prints medians, ratios and a PASS/FAIL per target; exits 0 even when a target is missed (this
 * is a measurement), non-zero only when the bench itself cannot run (e.g. our code is missing).
 *
 * Options: --runs N (default 5), --only 1,3 (scenario numbers), --baseline-only (Nodemailer and
 * the raw socket alone, to check the harness), --profile (after measuring, one extra run of each
 * side with the profiler on for the measured window; profiles kept in bench/.prof/ and
 * summarised), --no-build (use bench/.build as it is, e.g. to try a hand-patched bundle).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { BENCH_DIR, buildScripts, existingScripts } from './build';
import type { Fixtures, Job, RunOutcome } from './clients/job';
import { makeFixtures, removeFixtures } from './fixtures';
import type { Sink } from './processes';
import { killChildren, runClient, startSink } from './processes';
import { summarizeProfileFile } from './profile-summary';
import type { Row, Sample, Scenario, Side } from './scenarios';
import { median, SCENARIOS } from './scenarios';
import type { WholeOutcome } from './whole-process';
import { buildProduct, measureCheck, measureCliSend, measureStartup } from './whole-process';

/** Runs one whole-process bench with a progress line. */
async function section(title: string, measure: () => Promise<WholeOutcome>, into: WholeOutcome[]): Promise<void> {
  process.stdout.write(title);
  into.push(await measure());
  process.stdout.write('\n');
}

interface Options {
  readonly runs: number;
  readonly only: ReadonlySet<number> | undefined;
  readonly baselineOnly: boolean;
  readonly profile: boolean;
  readonly noBuild: boolean;
}

function parseOptions(argv: readonly string[]): Options {
  const value = (flag: string): string | undefined => {
    const index = argv.indexOf(flag);
    return index === -1 ? undefined : argv[index + 1];
  };
  const runs = Number(value('--runs') ?? 5);
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs needs a positive integer');
  const only = value('--only');
  return {
    runs,
    only: only === undefined ? undefined : new Set(only.split(',').map(Number)),
    baselineOnly: argv.includes('--baseline-only'),
    profile: argv.includes('--profile'),
    noBuild: argv.includes('--no-build'),
  };
}

const color = process.stdout.isTTY;
const red = (text: string): string => (color ? `\x1b[1;31m${text}\x1b[0m` : text);
const green = (text: string): string => (color ? `\x1b[32m${text}\x1b[0m` : text);

interface ScenarioOutcome {
  readonly scenario: Scenario;
  readonly rows: Row[];
  readonly notes: string[];
  readonly samples: ReadonlyMap<Side, readonly Sample[]>;
}

class Bench {
  constructor(
    private readonly scripts: Readonly<Record<Side, string | undefined>>,
    private readonly sink: Sink,
    private readonly fixtures: Fixtures,
    private readonly composedBytes: number,
  ) {}

  /** One run of one side, with the sink's statistics for it; a string when it went wrong. */
  async runOnce(scenario: Scenario, side: Side, profilePath?: string): Promise<Sample | string> {
    const script = this.scripts[side];
    if (script === undefined) return `${side}: no script`;
    await this.sink.reset(scenario.traceRcpt);
    const job: Job = { scenario: scenario.id, port: this.sink.port, fixtures: this.fixtures, ...(profilePath === undefined ? {} : { profilePath }) };
    const outcome: RunOutcome = await runClient(script, job);
    const { connections, stillOpen } = await this.sink.collect();
    if (!outcome.ok) return `${side}: ${outcome.error}`;
    if (stillOpen > 0) return `${side}: left ${stillOpen} connection(s) open after exiting`;
    if (connections.length !== scenario.connections) {
      return `${side}: the sink saw ${connections.length} connections, expected ${scenario.connections}`;
    }
    const sample: Sample = connections[0] === undefined ? { side, result: outcome } : { side, result: outcome, server: connections[0] };
    const problem = scenario.validate(sample, this.fixtures, this.composedBytes);
    return problem === undefined ? sample : `${side}: ${problem}`;
  }

  async measure(scenario: Scenario, runs: number): Promise<ScenarioOutcome> {
    const sides = scenario.sides.filter((side) => this.scripts[side] !== undefined);
    const samples = new Map<Side, Sample[]>(sides.map((side) => [side, []]));
    const notes: string[] = [];
    // One discarded run per side: page cache, disk and CPU frequency settle before measuring.
    for (const side of sides) {
      const warm = await this.runOnce(scenario, side);
      if (typeof warm === 'string') notes.push(`warm-up ${warm}`);
    }
    for (let run = 0; run < runs; run += 1) {
      // Rotate who goes first, so no side always follows the same neighbour.
      const order = sides.map((_, index) => sides[(index + run) % sides.length] as Side);
      for (const side of order) {
        const sample = await this.runOnce(scenario, side);
        if (typeof sample === 'string') notes.push(`run ${run + 1} ${sample}`);
        else samples.get(side)?.push(sample);
      }
      process.stdout.write('.');
    }
    let rows = scenario.rows(samples, this.fixtures);
    const oursFailed = notes.some((note) => note.includes('ours:'));
    if (oursFailed) {
      rows = rows.map((row) => ({ ...row, verdict: 'FAIL' as const, note: 'some of our runs failed, see notes' }));
    }
    return { scenario, rows, notes, samples };
  }
}

function printTable(rows: readonly Row[], oursMissing: boolean): void {
  const header = ['scenario', 'ours (median)', 'theirs / baseline', 'ratio', 'target', 'result', 'CPU ratio'];
  const body = rows.map((row) => [row.label, row.ours, row.other, row.ratio, row.target, row.verdict, row.cpu]);
  const widths = header.map((title, column) => Math.max(title.length, ...body.map((cells) => (cells[column] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => {
        const padded = column === 0 || column === 4 || column === 5 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0);
        if (column !== 5) return padded;
        // FAIL gets a visible marker; every result cell is as wide, so the next column lines up.
        if (cell === 'FAIL') return red(`${padded} <<<`);
        return cell === 'PASS' ? green(`${padded}    `) : `${padded}    `;
      })
      .join('  ');
  console.log('');
  console.log(line(header));
  console.log(widths.map((width, column) => '-'.repeat(column === 5 ? width + 4 : width)).join('  '));
  for (const cells of body) console.log(line(cells));
  console.log('');
  console.log('theirs / baseline: Nodemailer, except rows that say "vs raw socket" (a minimal hand-written client) and row 8 (its limit).');
  console.log('ratio: wall-clock medians, ours / theirs. CPU ratio: the client processes\' own CPU time in the same window.');
  console.log('Rows 6-8 time whole processes from spawn to exit (start-up and module loading included), production build.');
  if (oursMissing) console.log(red('ours: NOT MEASURED (--baseline-only)'));
}

function printDetails(outcomes: readonly ScenarioOutcome[]): void {
  console.log('\nSamples (ms per run, in run order) and what the sink received:');
  for (const { scenario, samples, notes } of outcomes) {
    console.log(`  ${scenario.number}. ${scenario.title}`);
    for (const [side, list] of samples) {
      const timesText = list.map((sample) => sample.result.ms.toFixed(1)).join(' ');
      const cpu = `; client CPU median ${median(list.map((sample) => sample.result.cpuMs)).toFixed(1)} ms`;
      const first = list[0];
      const wire = first?.server === undefined ? '' : `; sink: ${first.server.dataBytes} message bytes, ${first.server.reads} TCP reads`;
      const rss = `; peak RSS ${list.map((sample) => (sample.result.maxRssKiB / 1024).toFixed(0)).join('/')} MB`;
      const written = first?.result.messageBytes === undefined ? '' : `; client says ${first.result.messageBytes} bytes`;
      const writes = first?.result.writes === undefined
        ? ''
        : `; write ops ${first.result.writes.writeOps} (socket.write calls ${first.result.writes.socketWriteCalls})`;
      console.log(`     ${side.padEnd(10)} ${timesText}${cpu}${wire}${written}${writes}${rss}`);
    }
    for (const note of notes) console.log(red(`     ! ${note}`));
  }
}

/** Wall times on a shared machine swing with other work; say so next to the figures. */
function warnIfBusy(when: string): void {
  const [oneMinute] = os.loadavg();
  const cores = os.availableParallelism();
  const text = `load average ${when}: ${(oneMinute ?? 0).toFixed(2)} on ${cores} cores`;
  if ((oneMinute ?? 0) > cores / 4) console.log(red(`${text}: other work is running, wall times are noisy (see client CPU in the samples)`));
  else console.log(text);
}

async function profileRuns(bench: Bench, scenarios: readonly Scenario[], sides: readonly Side[]): Promise<void> {
  const dir = path.join(BENCH_DIR, '.prof');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  console.log(`\nCPU profiles of the measured window only (one extra run each, in ${path.relative(process.cwd(), dir)}/):`);
  for (const scenario of scenarios) {
    for (const side of scenario.sides.filter((candidate) => sides.includes(candidate))) {
      const name = `${scenario.number}-${scenario.id}-${side}.cpuprofile`;
      const file = path.join(dir, name);
      const sample = await bench.runOnce(scenario, side, file);
      const measured = typeof sample === 'string' ? sample : `${sample.result.ms.toFixed(1)} ms wall, ${sample.result.cpuMs.toFixed(1)} ms CPU under the profiler`;
      console.log(`\n  ${scenario.number}. ${scenario.title} — ${side} (${measured})`);
      if (fs.existsSync(file)) console.log(summarizeProfileFile(file, 12));
    }
  }
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const began = performance.now();
  const scripts = options.noBuild ? existingScripts() : await buildScripts();
  if (scripts.ours === undefined && !options.baselineOnly) {
    console.error(red('\nBENCH CANNOT RUN: ' + (scripts.oursProblem ?? 'our client did not build')));
    console.error('(Use --baseline-only to measure only Nodemailer and the raw socket.)\n');
    return 1;
  }
  const fixtures = makeFixtures();
  let sink: Sink | undefined;
  // Synchronous, and also run on 'exit', so Ctrl-C, a kill, a closed stdout pipe (EPIPE) or a
  // crash still removes the 48 MiB of fixtures and ends the children.
  const cleanUp = (): void => {
    killChildren();
    removeFixtures(fixtures);
  };
  process.once('exit', cleanUp);
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    process.once(signal, () => process.exit(code));
  }
  process.stdout.on('error', () => process.exit(1));
  try {
    sink = await startSink(scripts.sink);
    const composedBytes = fs.statSync(fixtures.composedPath).size;
    const bench = new Bench(
      { ours: options.baselineOnly ? undefined : scripts.ours, nodemailer: scripts.nodemailer, raw: scripts.raw },
      sink,
      fixtures,
      composedBytes,
    );
    const scenarios = SCENARIOS.filter((scenario) => options.only === undefined || options.only.has(scenario.number));
    const wanted = (number: number): boolean => !options.baselineOnly && (options.only === undefined || options.only.has(number));
    console.log(`Send as Email bench: ${options.runs} runs per side, Node ${process.version}, sink on 127.0.0.1:${sink.port}`);
    console.log(`composed file ${(composedBytes / 2 ** 20).toFixed(1)} MiB; attachment 20 MiB; each run is a fresh process`);
    warnIfBusy('before');
    const outcomes: ScenarioOutcome[] = [];
    for (const scenario of scenarios) {
      process.stdout.write(`${scenario.number}. ${scenario.title} `);
      outcomes.push(await bench.measure(scenario, options.runs));
      process.stdout.write('\n');
    }
    const whole: WholeOutcome[] = [];
    if (wanted(6) || wanted(7) || wanted(8)) {
      console.log('\nProduction build (node esbuild.js --production), bytes per input:');
      console.log(buildProduct().trimEnd().replace(/^/gm, '  '));
      // Start-up is short and noisy: three times the runs.
      if (wanted(6)) await section('6. require() of the production extension vs Nodemailer ', () => measureStartup(options.runs * 3), whole);
      if (wanted(7)) await section('7. whole-process CLI send vs Nodemailer sendMail ', () => measureCliSend(options.runs, sink as Sink, fixtures, scripts.nodemailerProcess), whole);
      if (wanted(8)) await section('8. whole-process check of a 5 MiB draft ', () => measureCheck(options.runs, fixtures), whole);
    }
    const rows = [...outcomes.flatMap((outcome) => outcome.rows), ...whole.flatMap((outcome) => outcome.rows)];
    printTable(rows, options.baselineOnly);
    printDetails(outcomes);
    for (const line of whole.flatMap((outcome) => outcome.details)) console.log(line.startsWith('!') ? red(`     ${line}`) : line);
    const verdicts = rows.map((row) => row.verdict);
    const failed = verdicts.filter((verdict) => verdict === 'FAIL').length;
    const passed = verdicts.filter((verdict) => verdict === 'PASS').length;
    console.log(`\nTargets: ${passed} PASS, ${failed === 0 ? '0 FAIL' : red(`${failed} FAIL`)}; whole run ${((performance.now() - began) / 1000).toFixed(1)} s`);
    warnIfBusy('after');
    if (options.profile) {
      const sides: Side[] = options.baselineOnly ? ['nodemailer', 'raw'] : ['ours', 'nodemailer'];
      await profileRuns(bench, scenarios, sides);
    }
    return 0;
  } finally {
    await sink?.stop();
    cleanUp();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(red(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`));
    killChildren();
    process.exitCode = 1;
  },
);
