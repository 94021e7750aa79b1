/**
 * "Write Mail Merge as .eml Files": the merge's dry run, as `send-as-email merge` without
 * `--send` — every row checked, then one `.eml` per row into `<draft name>.merge/` beside the
 * draft (named by row number and recipient), and the report. Nothing connects; a profile is
 * needed only to supply the sender of a draft without `from:`.
 *
 * Scripts and tests may pass `{ uri?, signal? }`.
 */
import path from 'node:path';
import * as vscode from 'vscode';
import { escapeForDisplay } from '../core/escape';
import { randomIdentity } from '../core/identity';
import { checkRow } from '../core/merge/render';
import { reportPathFor, writeReport } from '../core/merge/report';
import { runMerge } from '../core/merge/run';
import type { SmtpProfile } from '../core/profiles';
import { readDraft } from '../host/draft-reader';
import { withMergeProgress } from '../host/merge/merge-progress';
import { parseArguments } from './arguments';
import { chooseProfile, profileIsOptional } from './choose-profile';
import type { CommandOutcome } from './outcome';
import { checkedMerge } from './send-merge';
import type { Services } from './services';

export async function writeMergeCommand(services: Services, first?: unknown): Promise<CommandOutcome> {
  const args = parseArguments(first);
  const draft = await readDraft(args.uri);
  if (draft === undefined) return { status: 'unavailable', reason: 'no draft is open' };
  const checked = await checkedMerge(services, draft);
  if ('outcome' in checked) return checked.outcome;
  const { plan, dataPath } = checked;

  // The sender: the draft's from:, else a profile's, as Save as .eml decides.
  const firstGood = plan.rows.find((row) => !plan.badRows.has(row.number));
  const firstDraft = firstGood === undefined ? undefined : (await checkRow(plan.template, firstGood, draft.source)).checked?.draft;
  const settings = services.settings.current;
  let profile: SmtpProfile | undefined;
  if (!profileIsOptional(settings, firstDraft?.from !== undefined, firstDraft?.profile)) {
    const choice = await chooseProfile(settings, firstDraft?.profile, vscode.l10n.t('Send with which SMTP profile?'));
    if ('cancelled' in choice) return { status: 'cancelled' };
    if ('unavailable' in choice) return { status: 'unavailable', reason: choice.unavailable };
    profile = choice.profile;
  }

  const folder = path.join(draft.folder, `${draft.stem}.merge`);
  const { text: _text, ...filesOf } = draft.source;
  const summary = await withMergeProgress(
    vscode.l10n.t('Writing the mail merge to {0}', escapeForDisplay(folder)),
    (progress) =>
      runMerge(
        {
          plan,
          source: filesOf,
          mode: 'dry-run',
          outDir: folder,
          session: undefined,
          senderProfile: profile,
          ratePerMinute: undefined,
          journalPath: undefined,
          resendUnknown: false,
          identity: (_row, _text, sender) => randomIdentity(sender),
          signal: progress.signal,
        },
        { onRowStart: progress.rowStarted, onRow: progress.rowDone },
      ),
    args.signal,
  );
  const report = reportPathFor(dataPath);
  await writeReport(report, plan.data, summary.results);
  const c = summary.counts;
  const text = vscode.l10n.t('Wrote {0} .eml file(s) to {1}; {2} row(s) with problems; nothing was sent.', c.written, escapeForDisplay(folder), c.invalid);
  void (summary.exitCode === 0 ? vscode.window.showInformationMessage(text) : vscode.window.showWarningMessage(text));
  await vscode.window.showTextDocument(vscode.Uri.file(report), { preview: true });
  return { status: 'written', folder, counts: c, cancelled: summary.cancelled, report };
}
