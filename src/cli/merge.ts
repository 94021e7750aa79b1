/**
 * `send-as-email merge DRAFT --data FILE`: one draft × a table of people (core/merge).
 * Without `--send` a dry run: one .eml per row into `--out DIR` (default `<draft name>.merge/`
 * beside the draft), nothing connects. With `--send`: every row checked first, then one SMTP
 * connection, the journal `<data name>.sent.jsonl` beside the data (a re-run never sends a row
 * twice), a progress line per row, a summary and the report `<data name>.report.csv`.
 * Exit 0 every row sent/written, 1 any row failed, 2 nothing sent (draft, data or config).
 */
import { basename, dirname, extname, join, resolve } from 'node:path';
import { UsageError } from '../core/errors';
import { randomIdentity, reproducibleIdentity, sourceDateEpoch } from '../core/identity';
import { readMergeData } from '../core/merge/data';
import { planMerge } from '../core/merge/plan';
import { formatMergeProblem } from '../core/merge/problems';
import { defaultRateFor, parseRate } from '../core/merge/rates';
import { checkRow } from '../core/merge/render';
import { journalPathFor, reportPathFor, writeReport } from '../core/merge/report';
import { runMerge } from '../core/merge/run';
import { scanTemplate } from '../core/merge/template';
import type { MergePlan, MergeRow, MergeSummary, RowResult } from '../core/merge/types';
import type { SmtpProfile } from '../core/profiles';
import type { SessionOptions } from '../core/send';
import type { TraceLevel } from '../core/smtp/types';
import { localized, renderText } from '../core/text';
import { loadConfig, pickProfile } from './config';
import type { CliConfig } from './config';
import { readDraftFile } from './draft-file';
import { saveSentAfterSend } from './save-sent';

export interface MergeArgs {
  readonly data: string | undefined;
  readonly send: boolean;
  readonly limit: string | undefined;
  readonly rate: string | undefined;
  readonly out: string | undefined;
  readonly journal: string | undefined;
  readonly resendUnknown: boolean;
  readonly profile: string | undefined;
  readonly config: string | undefined;
  readonly trace: TraceLevel;
}

export interface MergeIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

function withoutExtension(path: string): string {
  return path.slice(0, path.length - extname(path).length);
}

function parseLimit(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new UsageError(localized('--limit must be a whole number of rows, at least 1'));
  return Number(text);
}

/** The data file: `--data`, else the draft's `merge:` (relative to the draft). */
function dataPath(args: MergeArgs, draftDir: string, fromDraft: string | undefined): string {
  if (args.data !== undefined) return resolve(args.data);
  if (fromDraft !== undefined) return resolve(draftDir, fromDraft);
  throw new UsageError(localized('merge needs the data: --data FILE, or "merge: FILE" in the draft'));
}

/** The profile for the sender (and, with --send, the server). A dry run of a draft with from: needs none. */
async function profileFor(plan: MergePlan, config: CliConfig, args: MergeArgs, source: Parameters<typeof checkRow>[2]): Promise<SmtpProfile | undefined> {
  const first = plan.rows.find((row) => !plan.badRows.has(row.number));
  const draft = first === undefined ? undefined : (await checkRow(plan.template, first, source)).checked?.draft;
  const name = args.profile ?? draft?.profile;
  if (!args.send && draft?.from !== undefined && name === undefined) return undefined;
  return pickProfile(config, name);
}

function progressLine(index: number, total: number, r: RowResult): string {
  const what = r.status === 'written' ? `wrote ${r.file ?? ''}` : r.status === 'sent' ? `sent ${r.messageId ?? ''}: ${r.detail ?? ''}` : `${r.status}${r.detail === undefined ? '' : `: ${r.detail}`}`;
  return `[${index}/${total}] row ${r.row} ${r.recipient === '' ? '(no recipient)' : r.recipient}: ${what}`;
}

function summaryLines(summary: MergeSummary, send: boolean, out: string | undefined): string[] {
  const c = summary.counts;
  const parts = send
    ? [`${c.sent} sent`, `${c['already-sent']} already sent`, `${c.failed} failed`, `${c.unknown} unknown`, `${c.invalid} invalid`, `${c['not-attempted']} not attempted`]
    : [`${c.written} written to ${out ?? ''}`, `${c.invalid} invalid`, 'nothing was sent'];
  const lines = [`Merge: ${summary.results.length} row(s): ${parts.join(', ')}.`];
  if (summary.stoppedByQuota !== undefined) {
    lines.push(renderText(localized('Stopped: the server reports a sending limit ({0}). The journal keeps every row sent so far: run the same command again later to continue.', summary.stoppedByQuota)));
  }
  if (c.unknown > 0) {
    lines.push(renderText(localized('{0} row(s) are unknown: the run ended between sending them and the server\'s reply, so they may have been delivered. They are not sent again unless --resend-unknown is given.', c.unknown)));
  }
  return lines;
}

export async function commandMerge(files: readonly string[], args: MergeArgs, io: MergeIo, openSession: (profile: SmtpProfile) => Promise<SessionOptions>): Promise<number> {
  const file = files[0];
  if (files.length !== 1 || file === undefined) throw new UsageError(localized('{0} takes exactly one DRAFT file', 'merge'));
  const limit = parseLimit(args.limit);
  const rateOption = args.rate === undefined ? undefined : parseRate(args.rate);
  if (args.rate !== undefined && rateOption === undefined) throw new UsageError(localized('--rate must be a number of messages per minute, such as 20/min'));
  const draft = await readDraftFile(file);
  const config = await loadConfig(args.config);
  const data = dataPath(args, draft.baseDir, scanTemplate(draft.text).dataFile);
  const dataFile = args.data ?? data;
  const source = { format: draft.format, baseDir: draft.baseDir, render: config.render };
  const plan = await planMerge({ source: { ...source, text: draft.text }, data: await readMergeData(data), limit });
  for (const problem of plan.problems) io.err(formatMergeProblem(problem, file, dataFile));
  if (plan.fatal) return 2;
  if (plan.rows.length > 0 && plan.rows.every((row) => plan.badRows.has(row.number))) {
    io.err(renderText(localized('Every row has a problem: nothing was sent.')));
    return 2;
  }
  const profile = await profileFor(plan, config, args, { ...source, text: draft.text });
  const epoch = sourceDateEpoch(process.env['SOURCE_DATE_EPOCH']);
  const identity = (row: MergeRow, text: string, sender: string) =>
    epoch === undefined ? randomIdentity(sender) : reproducibleIdentity(`${text}\n#row ${row.number}`, epoch, sender);
  const out = args.out ?? join(dirname(resolve(file)), `${basename(withoutExtension(file))}.merge`);
  const journal = args.journal ?? journalPathFor(data);
  const session = args.send && profile !== undefined ? await openSession(profile) : undefined;
  const rate = rateOption ?? defaultRateFor(profile?.preset);
  if (args.send) io.out(`Merge: ${plan.rows.length} row(s) via ${profile?.host ?? ''}:${profile?.port ?? ''}, ${rate === undefined ? 'no rate limit' : `at most ${rate} per minute`}; journal ${journal}`);
  const controller = new AbortController();
  const onSigint = (): void => controller.abort();
  process.once('SIGINT', onSigint);
  let summary: MergeSummary;
  try {
    summary = await runMerge(
      {
        plan,
        source,
        mode: args.send ? 'send' : 'dry-run',
        outDir: args.send ? undefined : out,
        session,
        senderProfile: profile,
        ratePerMinute: rate,
        journalPath: journal,
        resendUnknown: args.resendUnknown,
        identity,
        signal: controller.signal,
      },
      {
        onRow: (index, total, r) => io.out(progressLine(index, total, r)),
        onNotice: (text) => io.err(`send-as-email: ${renderText(text)}`),
        afterSend:
          session === undefined ? undefined : async (message, checked) => saveSentAfterSend(message, checked.draft.subject, session, args.trace, io),
      },
    );
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
  for (const line of summaryLines(summary, args.send, out)) io.out(line);
  const report = reportPathFor(data);
  await writeReport(report, plan.data, summary.results);
  io.out(`Report: ${report}`);
  return summary.exitCode;
}

/** The merge options out of the command line's parsed values. */
export function mergeArgs(values: Readonly<Record<string, string | boolean | undefined>>, trace: TraceLevel): MergeArgs {
  const text = (name: string): string | undefined => (typeof values[name] === 'string' ? values[name] : undefined);
  return {
    data: text('data'),
    send: values['send'] === true,
    limit: text('limit'),
    rate: text('rate'),
    out: text('out'),
    journal: text('journal'),
    resendUnknown: values['resend-unknown'] === true,
    profile: text('profile'),
    config: text('config'),
    trace,
  };
}
