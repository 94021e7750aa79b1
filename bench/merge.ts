/**
 * `npx tsx bench/merge.ts [--runs N]`: the mail-merge benchmark (README, scenario 9). Side by
 * side in the same run, against one smtp-server sink on 127.0.0.1 (no TLS, no AUTH, data
 * drained), each run a fresh process (bench/merge-client.ts) with sides alternating:
 *
 * - 1,000 personalised messages (name, code, a Markdown body, one 2 KiB attachment): our merge
 *   (every row checked, then sent over one connection with its journal) against
 *   Nodemailer's pooled transport (`pool: true, maxConnections: 1`) sending the same rendered
 *   messages. Target: ≥ 2× Nodemailer's messages per second.
 * - Peak RSS of our merge at 1,000 and at 10,000 rows. Target: within 1.2× (rows are processed
 *   one at a time; what lives for the whole run — the data, the results, at most 2 MiB of checked
 *   rows — is kept outside the JavaScript heap).
 *
 * A measurement, not a test: prints medians, ratios and PASS/FAIL, exits 0 either way.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import type { MergeJob, MergeResult } from './merge-client';
import { randomIdentity } from '../src/core/identity';
import { readMergeData } from '../src/core/merge/data';
import { planMerge } from '../src/core/merge/plan';
import { runMerge } from '../src/core/merge/run';
import { BUILD_DIR, bundle } from './build';
import { killChildren, startSink } from './processes';
import { summarizeProfileFile } from './profile-summary';
import { median } from './scenarios';

const CLIENT = join(BUILD_DIR, 'merge-client.js');

const DRAFT = `---
from: Bench <bench@example.test>
to: '"{{ name }}" <{{ email }}>'
subject: Your invitation, {{ name }}
attach: attachment.pdf
---
# Hello {{ name }}

Your personal code is **{{ code }}**. Bring it to the *registration desk* on Monday.

- Venue: Hall {{ hall | "A" }}
- Contact: [the organisers](https://example.test/contact)
`;

function people(rows: number): string {
  const lines = ['name,email,code,hall'];
  for (let i = 1; i <= rows; i++) lines.push(`Person ${i},p${i}@example.test,CODE-${i.toString(36).toUpperCase()},${(i % 7) + 1}`);
  return `${lines.join('\n')}\n`;
}


function runClient(job: MergeJob, execArgv: readonly string[] = []): Promise<MergeResult> {
  return new Promise((resolve, reject) => {
    const child = fork(CLIENT, [JSON.stringify(job)], { execArgv: [...execArgv], stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as MergeResult) : reject(new Error(`${job.side} exited ${String(code)}`))));
  });
}

/** The rendered rows for Nodemailer, from our own dry run (not timed): the same messages. */
async function renderForNodemailer(dir: string, rows: number): Promise<void> {
  const source = { format: 'markdown' as const, baseDir: dir };
  const plan = await planMerge({ source: { ...source, text: DRAFT }, data: await readMergeData(join(dir, `people-${rows}.csv`)), limit: undefined });
  const out = join(dir, 'dry');
  await runMerge({ plan, source, mode: 'dry-run', outDir: out, session: undefined, senderProfile: undefined, ratePerMinute: undefined, journalPath: undefined, resendUnknown: false, identity: (_row, _text, sender) => randomIdentity(sender), signal: undefined });
  const lines: string[] = [];
  for (const file of readdirSync(out).sort()) {
    const parsed = await simpleParser(readFileSync(join(out, file)));
    const to = parsed.to !== undefined && !Array.isArray(parsed.to) ? parsed.to.text : '';
    lines.push(JSON.stringify({ to, subject: parsed.subject ?? '', text: parsed.text ?? '', html: typeof parsed.html === 'string' ? parsed.html : '' }));
  }
  writeFileSync(join(dir, 'rendered.jsonl'), `${lines.join('\n')}\n`);
}

async function main(): Promise<void> {
  const runsFlag = process.argv.indexOf('--runs');
  const runs = runsFlag < 0 ? 3 : Number(process.argv[runsFlag + 1]);
  // `--profile`: one more run of our side under `node --cpu-prof`, summarised (bench/profile-summary.ts).
  const profile = process.argv.includes('--profile');
  const dir = mkdtempSync(join(tmpdir(), 'sae-bench-merge-'));
  // Bundled like the other bench scripts (bench/build.ts): no TypeScript compilation on the clock.
  await bundle('sink.ts', join(BUILD_DIR, 'sink.js'));
  await bundle('merge-client.ts', CLIENT);
  const sink = await startSink(join(BUILD_DIR, 'sink.js'));
  try {
    writeFileSync(join(dir, 'invite.md'), DRAFT);
    writeFileSync(join(dir, 'attachment.pdf'), Buffer.alloc(2048, 0x25));
    for (const rows of [1000, 10000]) writeFileSync(join(dir, `people-${rows}.csv`), people(rows));
    process.stdout.write('rendering the rows for Nodemailer (not timed)…\n');
    await renderForNodemailer(dir, 1000);
    const samples = { ours: [] as MergeResult[], nodemailer: [] as MergeResult[], ours10k: [] as MergeResult[] };
    for (let run = 0; run <= runs; run++) {
      const order: Array<'ours' | 'nodemailer'> = run % 2 === 0 ? ['ours', 'nodemailer'] : ['nodemailer', 'ours'];
      for (const side of order) {
        await sink.reset(false);
        const result = await runClient({ side, port: sink.port, dir, rows: 1000 });
        const { connections } = await sink.collect();
        const received = connections.reduce((sum, c) => sum + c.messages, 0);
        // Nodemailer's pool opens a new connection every 100 messages (its maxMessages default).
        if (received !== 1000 || result.sent !== 1000 || (side === 'ours' && connections.length !== 1)) throw new Error(`${side}: the sink got ${received} messages over ${connections.length} connection(s)`);
        // Run 0 is a warm-up, discarded.
        if (run > 0) samples[side].push(result);
        rmSync(join(dir, 'dry'), { recursive: true, force: true });
      }
      if (run > 0) {
        await sink.reset(false);
        samples.ours10k.push(await runClient({ side: 'ours', port: sink.port, dir, rows: 10000 }));
        await sink.collect();
      }
      process.stdout.write('.');
    }
    if (profile) {
      const profileDir = join(BUILD_DIR, 'merge-profile');
      rmSync(profileDir, { recursive: true, force: true });
      await sink.reset(false);
      await runClient({ side: 'ours', port: sink.port, dir, rows: 1000 }, ['--cpu-prof', '--cpu-prof-dir', profileDir]);
      await sink.collect();
      const file = readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'));
      if (file !== undefined) console.log(`\n${join(profileDir, file)}\n${summarizeProfileFile(join(profileDir, file), 40)}`);
    }
    const rate = (list: readonly MergeResult[]): number => median(list.map((r) => (r.sent / r.ms) * 1000));
    const rss = (list: readonly MergeResult[]): number => median(list.map((r) => r.maxRssKiB / 1024));
    const cpu = (list: readonly MergeResult[]): number => median(list.map((r) => r.cpuMs));
    const speed = rate(samples.ours) / rate(samples.nodemailer);
    const growth = rss(samples.ours10k) / rss(samples.ours);
    console.log('\n');
    console.log(`9a. 1,000 merge messages: ours ${rate(samples.ours).toFixed(0)} msg/s, Nodemailer pool ${rate(samples.nodemailer).toFixed(0)} msg/s → ${speed.toFixed(2)}× (target ≥ 2.00×) ${speed >= 2 ? 'PASS' : 'FAIL'}`);
    console.log(`    client CPU median: ours ${cpu(samples.ours).toFixed(0)} ms, Nodemailer ${cpu(samples.nodemailer).toFixed(0)} ms; peak RSS ours ${rss(samples.ours).toFixed(0)} MB, Nodemailer ${rss(samples.nodemailer).toFixed(0)} MB`);
    console.log(`9b. peak RSS of our merge: 1,000 rows ${rss(samples.ours).toFixed(0)} MB, 10,000 rows ${rss(samples.ours10k).toFixed(0)} MB → ${growth.toFixed(2)}× (target ≤ 1.20×) ${growth <= 1.2 ? 'PASS' : 'FAIL'}`);
    console.log(`    of which checking every row first (planMerge): ours ${median(samples.ours.map((r) => r.planMs)).toFixed(0)} ms at 1,000 rows, ${median(samples.ours10k.map((r) => r.planMs)).toFixed(0)} ms at 10,000`);
    console.log(`    10,000 rows: ${rate(samples.ours10k).toFixed(0)} msg/s`);
    console.log(`    samples (ms): ours ${samples.ours.map((r) => r.ms.toFixed(0)).join(' ')}; Nodemailer ${samples.nodemailer.map((r) => r.ms.toFixed(0)).join(' ')}; ours 10k ${samples.ours10k.map((r) => r.ms.toFixed(0)).join(' ')}`);
  } finally {
    await sink.stop();
    killChildren();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
