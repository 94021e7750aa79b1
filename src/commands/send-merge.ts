/**
 * "Send Mail Merge…": one draft × the table its `merge:` names, through the same core as
 * `send-as-email merge --send` (core/merge). Every row is checked before anything is sent; the
 * Preview shows row 1 with its row picker; a modal gives the count, the rate, the profile and
 * the first recipient; the rows go over one SMTP session under a cancellable notification; the
 * report CSV opens at the end. The journal is the CLI's (`<data name>.sent.jsonl` beside the
 * data), so a run started in either can be resumed in the other and no row is sent twice.
 *
 * Scripts and tests may pass `{ uri?, signal?, rate?: number, resendUnknown?: boolean }`.
 */
import path from 'node:path';
import * as vscode from 'vscode';
import { escapeForDisplay } from '../core/escape';
import { isRecord } from '../core/guards';
import { randomIdentity } from '../core/identity';
import { readJournal } from '../core/merge/journal';
import type { JournalState } from '../core/merge/journal';
import { planMerge } from '../core/merge/plan';
import { formatMergeProblem } from '../core/merge/problems';
import { defaultRateFor } from '../core/merge/rates';
import { checkRow } from '../core/merge/render';
import { journalPathFor, reportPathFor, writeReport } from '../core/merge/report';
import { runMerge } from '../core/merge/run';
import type { MergePlan, MergeRow, MergeSummary, RowResult } from '../core/merge/types';
import type { SmtpProfile } from '../core/profiles';
import { isSmtpError } from '../core/smtp/errors';
import type { DraftSource } from '../core/compose-draft';
import { readDraft } from '../host/draft-reader';
import type { DraftDocument } from '../host/draft-reader';
import { cancelledSummary } from '../host/merge/cancelled-run';
import { confirmMerge } from '../host/merge/merge-confirm';
import type { MergeFacts } from '../host/merge/merge-confirm';
import { mergeDraftProblems } from '../host/merge/merge-check';
import { readMergeDocument } from '../host/merge/merge-data';
import type { MergeDocument } from '../host/merge/merge-data';
import { withMergeProgress } from '../host/merge/merge-progress';
import type { PreviewController } from '../host/preview/panel';
import { parseArguments } from './arguments';
import { chooseProfile } from './choose-profile';
import { ensureSecret } from './ensure-secret';
import type { CommandOutcome } from './outcome';
import { saveSentCopy } from './retry-save-sent';
import type { Services } from './services';
import { sessionFailed } from './session-failure';

interface MergeOptions {
  readonly rate: number | undefined;
  readonly resendUnknown: boolean;
}

function mergeOptions(first: unknown): MergeOptions {
  if (!isRecord(first)) return { rate: undefined, resendUnknown: false };
  const rate = typeof first['rate'] === 'number' && first['rate'] > 0 ? first['rate'] : undefined;
  return { rate, resendUnknown: first['resendUnknown'] === true };
}

/** What the journal of an earlier run means for this one, row by row (core/merge/run.ts decides alike). */
function tally(plan: MergePlan, journal: JournalState, resendUnknown: boolean): Pick<MergeFacts, 'toSend' | 'alreadySent' | 'failedBefore' | 'unknown' | 'invalid'> & { readonly first: MergeRow | undefined } {
  let toSend = 0;
  let alreadySent = 0;
  let failedBefore = 0;
  let unknown = 0;
  let invalid = 0;
  let first: MergeRow | undefined;
  for (const row of plan.rows) {
    const record = journal.get(row.number);
    if (plan.badRows.has(row.number)) invalid++;
    else if (record?.state === 'sent') alreadySent++;
    else if (record?.state === 'started' && !resendUnknown) unknown++;
    else if (record?.state === 'failed' && !record.transient) failedBefore++;
    else {
      toSend++;
      first ??= row;
    }
  }
  return { toSend, alreadySent, failedBefore, unknown, invalid, first };
}

/** The draft's file name as problems name it (an untitled draft: its title). */
function draftName(draft: DraftDocument): string {
  return draft.document.uri.scheme === 'file' ? path.basename(draft.document.uri.fsPath) : draft.stem;
}

function showMergeProblems(services: Services, draft: DraftDocument, plan: MergePlan | undefined, merge: MergeDocument, dataPath: string): void {
  const draftProblems = plan === undefined ? mergeDraftProblems(merge, draft.source.text) : plan.problems.flatMap((p) => (p.where === 'draft' ? [p.problem] : []));
  services.diagnostics.show(draft.document.uri, draftProblems);
  const first = plan?.problems.find((p) => p.problem.severity === 'error');
  const firstText = first === undefined ? draftProblems.find((p) => p.severity === 'error')?.message ?? '' : formatMergeProblem(first, draftName(draft), path.basename(dataPath), vscode.l10n.t);
  const showProblems = vscode.l10n.t('Show Problems');
  void vscode.window.showErrorMessage(vscode.l10n.t('The mail merge cannot start: {0}', escapeForDisplay(firstText)), showProblems).then((choice) => {
    if (choice === showProblems) void vscode.commands.executeCommand('workbench.actions.view.problems');
  });
}

/** Every row checked, under a notification for long lists. */
function checkEveryRow(source: DraftSource, merge: MergeDocument): Promise<MergePlan> | undefined {
  const data = merge.data;
  if (data === undefined) return undefined;
  return Promise.resolve(
    vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Checking the mail merge…') }, () => planMerge({ source, data, limit: undefined })),
  );
}

function summaryText(summary: MergeSummary): string {
  const c = summary.counts;
  const counts = vscode.l10n.t('{0} sent, {1} already sent, {2} failed, {3} unknown, {4} with problems, {5} not attempted', c.sent, c['already-sent'], c.failed, c.unknown, c.invalid, c['not-attempted']);
  if (summary.stoppedByQuota !== undefined) return vscode.l10n.t('Mail merge stopped: the server reports a sending limit ({0}). {1}. Run Send Mail Merge… again later to resume.', escapeForDisplay(summary.stoppedByQuota), counts);
  if (summary.cancelled) return vscode.l10n.t('Mail merge cancelled: {0}. Run Send Mail Merge… again to resume.', counts);
  return vscode.l10n.t('Mail merge done: {0}.', counts);
}

/** Drafts being merged right now, by URI: a second run on the same draft meanwhile is refused. */
const inFlight = new Set<string>();

export async function sendMergeCommand(services: Services, preview: PreviewController, first?: unknown): Promise<CommandOutcome> {
  const args = parseArguments(first);
  const draft = await readDraft(args.uri);
  if (draft === undefined) return { status: 'unavailable', reason: 'no draft is open' };
  const key = draft.document.uri.toString();
  if (inFlight.has(key)) {
    void vscode.window.showInformationMessage(vscode.l10n.t('This mail merge is already running.'));
    return { status: 'unavailable', reason: 'already sending' };
  }
  inFlight.add(key);
  try {
    return await sendMerge(services, preview, draft, args.signal, mergeOptions(first));
  } finally {
    inFlight.delete(key);
  }
}

export type CheckedMerge = { readonly plan: MergePlan; readonly dataPath: string } | { readonly outcome: CommandOutcome };

/** The merge draft's every row checked (Send Mail Merge… and Write Mail Merge as .eml Files); problems shown. */
export async function checkedMerge(services: Services, draft: DraftDocument): Promise<CheckedMerge> {
  const merge = await readMergeDocument(draft.document.uri, draft.source.text);
  if (merge === undefined) {
    void vscode.window.showInformationMessage(vscode.l10n.t('This draft is not a mail merge: name its data in the front matter, such as "merge: people.csv".'));
    return { outcome: { status: 'unavailable', reason: 'not a merge draft' } };
  }
  const dataPath = merge.dataPath ?? '';
  const plan = await checkEveryRow(draft.source, merge);
  if (plan === undefined || plan.fatal) {
    showMergeProblems(services, draft, plan, merge, dataPath);
    return { outcome: { status: 'invalid', problems: plan === undefined ? mergeDraftProblems(merge, draft.source.text) : plan.problems.flatMap((p) => (p.where === 'draft' ? [p.problem] : [])) } };
  }
  return { plan, dataPath };
}

async function sendMerge(services: Services, preview: PreviewController, draft: DraftDocument, signal: AbortSignal | undefined, options: MergeOptions): Promise<CommandOutcome> {
  const checked = await checkedMerge(services, draft);
  if ('outcome' in checked) return checked.outcome;
  const { plan, dataPath } = checked;
  // Row 1 in the Preview, with its row picker, while the user decides.
  await preview.show(draft.document, 1);

  const journal = journalPathFor(dataPath);
  const recorded = await readJournal(journal);
  const facts = tally(plan, recorded, options.resendUnknown);
  const firstRow = facts.first === undefined ? undefined : (await checkRow(plan.template, facts.first, draft.source)).checked;
  if (facts.first === undefined || firstRow === undefined) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Nothing to send: every row is already sent or has a problem (see the report).'));
    return { status: 'unavailable', reason: 'nothing to send' };
  }
  const choice = await chooseProfile(services.settings.current, firstRow.draft.profile, vscode.l10n.t('Send with which SMTP profile?'));
  if ('cancelled' in choice) return { status: 'cancelled' };
  if ('unavailable' in choice) return { status: 'unavailable', reason: choice.unavailable };
  const profile = choice.profile;
  const ratePerMinute = options.rate ?? defaultRateFor(profile.preset);
  const resume = recorded.size > 0;
  const subject = firstRow.draft.subject;
  const recipient = firstRow.draft.to[0] ?? firstRow.draft.cc[0] ?? firstRow.draft.bcc[0];
  if (services.settings.current.confirmBeforeSend) {
    const problems = plan.problems.map((p) => formatMergeProblem(p, draftName(draft), path.basename(dataPath), vscode.l10n.t));
    const confirmed = await confirmMerge({ ...facts, subject, rows: plan.rows.length, ratePerMinute, profile, firstRecipient: recipient?.address ?? '', journal, resume, problems });
    if (!confirmed) return { status: 'cancelled' };
  }
  const secret = await ensureSecret(services, profile);
  if ('cancelled' in secret) return { status: 'cancelled' };
  return run(services, draft, plan, profile, secret.secret, { dataPath, journal, ratePerMinute, subject, signal, resendUnknown: options.resendUnknown, report: reportPathFor(dataPath) });
}

interface RunSettings {
  readonly dataPath: string;
  readonly journal: string;
  readonly report: string;
  readonly ratePerMinute: number | undefined;
  readonly subject: string;
  readonly signal: AbortSignal | undefined;
  readonly resendUnknown: boolean;
}

async function run(services: Services, draft: DraftDocument, plan: MergePlan, profile: SmtpProfile, secret: string | undefined, settings: RunSettings): Promise<CommandOutcome> {
  const { trace } = services.settings.current;
  const session = services.log.startSession(`merge "${settings.subject}" (${plan.rows.length} rows)`, profile, trace);
  // Where the rows' files resolve (the text is the plan's template).
  const { text: _text, ...filesOf } = draft.source;
  // Every row's and the data's problems, in the log the user can open (the CLI prints them).
  for (const problem of plan.problems) session.info(formatMergeProblem(problem, draftName(draft), settings.dataPath));
  const finished: RowResult[] = [];
  let summary: MergeSummary;
  try {
    summary = await withMergeProgress(
      vscode.l10n.t('Mail merge "{0}"', settings.subject === '' ? vscode.l10n.t('(no subject)') : escapeForDisplay(settings.subject)),
      (progress) =>
        runMerge(
          {
            plan,
            source: filesOf,
            mode: 'send',
            outDir: undefined,
            session: { profile, secret, tokenSource: services.signIn.tokenSource(profile, (line) => session.info(line)), observer: session.observer, trace, signal: progress.signal },
            senderProfile: profile,
            ratePerMinute: settings.ratePerMinute,
            journalPath: settings.journal,
            resendUnknown: settings.resendUnknown,
            identity: (_row, _text, sender) => randomIdentity(sender),
            signal: progress.signal,
          },
          {
            onRowStart: progress.rowStarted,
            onRow: (index, total, result) => {
              finished.push(result);
              progress.rowDone(index, total, result);
              session.info(`[${index}/${total}] row ${result.row} ${result.recipient}: ${result.status}${result.detail === undefined ? '' : ` ${result.detail}`}`);
            },
            onNotice: (text) => session.info(vscode.l10n.t(text.template, ...text.args)),
            afterSend: async (message, checked) => {
              try {
                await saveSentCopy(services, message, checked.draft.subject, profile);
              } catch {
                // Filing the copy never turns a sent row into a failure; saveSentCopy reports its own trouble.
              }
            },
          },
        ),
      settings.signal,
    );
  } catch (error) {
    if (!(isSmtpError(error) && error.kind === 'aborted')) {
      // Authentication, TLS or setup: nothing more can be sent in this run. "Enter Password
      // Again" runs the merge once more with the new password; the journal skips what was sent.
      return sessionFailed(services, session, error, profile, (again) => run(services, draft, plan, profile, again, settings));
    }
    // Cancelled inside a row: the rows finished so far, and the rest not attempted.
    summary = cancelledSummary(plan, finished);
  }
  await writeReport(settings.report, plan.data, summary.results);
  session.info(`merge done: ${JSON.stringify(summary.counts)}; report ${settings.report}`);
  const text = summaryText(summary);
  const bad = summary.exitCode !== 0;
  void (bad ? vscode.window.showWarningMessage(text) : vscode.window.showInformationMessage(text));
  await vscode.window.showTextDocument(vscode.Uri.file(settings.report), { preview: true, preserveFocus: false });
  return { status: 'merged', counts: summary.counts, cancelled: summary.cancelled, stoppedByQuota: summary.stoppedByQuota, journal: settings.journal, report: settings.report };
}
