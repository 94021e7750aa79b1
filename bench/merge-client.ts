/**
 * One measured merge run, in its own process (forked by bench/merge.ts). Argument: a JSON job.
 * - `ours`: `planMerge` (every row checked) then `runMerge` in send mode with its journal —
 *   the whole of what `send-as-email merge --send` does after reading its inputs.
 * - `nodemailer`: Nodemailer's pooled transport (`pool: true, maxConnections: 1`) sending the
 *   same messages, already rendered (subject, text, HTML from our dry run, the same attachment
 *   file), one after another as a merge loop does; the rendered rows are streamed from a JSONL
 *   file, so it too holds one row at a time.
 * Prints one JSON line: wall ms and CPU ms of the window, messages sent, peak RSS (KiB).
 */
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import nodemailer from 'nodemailer';
import { randomIdentity } from '../src/core/identity';
import { loadMarkdownIt, loadMimeTypes, loadYaml } from '../src/core/lazy';
import { readMergeData } from '../src/core/merge/data';
import { planMerge } from '../src/core/merge/plan';
import { runMerge } from '../src/core/merge/run';
import type { SmtpProfile } from '../src/core/profiles';
import { normaliseProfile } from '../src/core/profiles';

export interface MergeJob {
  readonly side: 'ours' | 'nodemailer';
  readonly port: number;
  readonly dir: string;
  readonly rows: number;
}

export interface MergeResult {
  readonly ms: number;
  readonly cpuMs: number;
  readonly sent: number;
  readonly maxRssKiB: number;
  /** Ours: the part of `ms` spent in `planMerge` (checking every row before the first is sent). */
  readonly planMs: number;
}

let planMs = 0;

async function ours(job: MergeJob): Promise<number> {
  const draft = join(job.dir, 'invite.md');
  const text = (await import('node:fs/promises')).readFile(draft, 'utf8');
  const profile = normaliseProfile('bench', { host: '127.0.0.1', port: job.port, security: 'none', from: 'Bench <bench@example.test>' }).profile as SmtpProfile;
  const source = { format: 'markdown' as const, baseDir: job.dir };
  const planStart = performance.now();
  const plan = await planMerge({ source: { ...source, text: await text }, data: await readMergeData(join(job.dir, `people-${job.rows}.csv`)), limit: undefined });
  planMs = performance.now() - planStart;
  if (plan.fatal || plan.badRows.size > 0) throw new Error('the bench plan has problems');
  const summary = await runMerge({
    plan,
    source,
    mode: 'send',
    outDir: undefined,
    session: { profile, trace: 'off' },
    senderProfile: profile,
    ratePerMinute: undefined,
    journalPath: join(job.dir, `journal-${process.pid}.jsonl`),
    resendUnknown: false,
    identity: (_row, _text, sender) => randomIdentity(sender),
    signal: undefined,
  });
  return summary.counts.sent;
}

interface RenderedRow {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

async function nodemailerSide(job: MergeJob): Promise<number> {
  const transport = nodemailer.createTransport({ pool: true, maxConnections: 1, host: '127.0.0.1', port: job.port, secure: false, ignoreTLS: true, logger: false });
  let sent = 0;
  const lines = createInterface({ input: createReadStream(join(job.dir, 'rendered.jsonl')) });
  for await (const line of lines) {
    if (line === '') continue;
    const row = JSON.parse(line) as RenderedRow;
    await transport.sendMail({ from: 'Bench <bench@example.test>', to: row.to, subject: row.subject, text: row.text, html: row.html, attachments: [{ path: join(job.dir, 'attachment.pdf') }] });
    sent++;
  }
  transport.close();
  return sent;
}

/**
 * The libraries every merge loads lazily (core/lazy.ts: YAML, Markdown, MIME types) are loaded
 * before the window opens, as Nodemailer is by its import above: the window measures sending,
 * not module loading, on both sides.
 */
async function loadLibraries(): Promise<void> {
  await Promise.all([loadYaml(), loadMarkdownIt(), loadMimeTypes()]);
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '{}') as MergeJob;
  if (job.side === 'ours') await loadLibraries();
  const cpu = process.cpuUsage();
  const start = performance.now();
  const sent = job.side === 'ours' ? await ours(job) : await nodemailerSide(job);
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  const result: MergeResult = { ms, cpuMs: (used.user + used.system) / 1000, sent, maxRssKiB: process.resourceUsage().maxRSS, planMs };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
