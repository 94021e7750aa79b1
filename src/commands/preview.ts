/**
 * "Preview Email": the draft composed by the very pipeline Send and Save as .eml use
 * (checkDraft → composeChecked), read back from its bytes and shown beside the editor. The
 * profile is looked up from settings only: no password is asked for and no server is contacted.
 * Each build fixes its identity through the same `compose` argument a script can pass to Send,
 * so the panel's Send and Save as .eml reproduce the previewed bytes exactly (host/preview/panel.ts).
 */
import type { Readable } from 'node:stream';
import * as vscode from 'vscode';
import { checkDraft, resolveSender } from '../core/compose-draft';
import type { CheckedDraft, DraftSource } from '../core/compose-draft';
import { AppError } from '../core/errors';
import { randomIdentity } from '../core/identity';
import { checkRow } from '../core/merge/render';
import type { MergeProblem } from '../core/merge/types';
import { randomBoundary } from '../core/mime/boundary';
import { profileForPreview } from '../core/preview/profile';
import { renderPreview } from '../core/preview/render';
import { buildMessagePreview, previewProblem, problemsPreview } from '../core/preview/view-model';
import type { PreviewProblem, PreviewProfile } from '../core/preview/view-model';
import { localized } from '../core/text';
import type { MessageArg } from '../core/text';
import { draftFromDocument, readDraft } from '../host/draft-reader';
import { mergeDraftProblems } from '../host/merge/merge-check';
import { dataIsReadable, readMergeDocument } from '../host/merge/merge-data';
import type { MergeDocument } from '../host/merge/merge-data';
import type { BuiltPreview, ComposeArguments, MergeRowChoice, PreviewController, PreviewSource } from '../host/preview/panel';
import { parseArguments } from './arguments';
import { COMMAND_IDS } from './command-ids';
import { composeChecked } from './draft-pipeline';
import type { CommandOutcome } from './outcome';
import type { Services } from './services';

export type PreviewOutcome = CommandOutcome | { readonly status: 'previewed'; readonly uri: string; readonly kind: 'message' | 'problems' };

const t = (template: string, ...args: MessageArg[]): string => vscode.l10n.t(template, ...args);

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

function problemOf(error: unknown): PreviewProblem {
  const text = error instanceof AppError ? error.text : localized('The message could not be composed: {0}', error instanceof Error ? error.message : String(error));
  return { severity: 'error', line: undefined, column: undefined, text };
}

function problemsOnly(problems: readonly PreviewProblem[], profile: PreviewProfile, receipt: Parameters<typeof problemsPreview>[2], merge: MergeRowChoice | undefined = undefined): BuiltPreview {
  return { content: renderPreview(problemsPreview(problems, profile, receipt), t), merge, bytes: undefined, compose: undefined };
}

/** A fresh identity as `compose` arguments: now, a new Message-ID for the sender's domain, new boundaries. */
function freshCompose(senderAddress: string): ComposeArguments {
  const now = new Date();
  return { messageId: randomIdentity(senderAddress, now).messageId, date: now.toISOString(), boundaryPrefix: randomBoundary() };
}

/** The checked draft composed with a fresh identity and read back from its bytes. */
async function composedPreview(services: Services, checked: CheckedDraft, merge: MergeRowChoice | undefined): Promise<BuiltPreview> {
  const { profile, shown } = profileForPreview(services.settings.current, checked.draft.profile);
  try {
    const compose = freshCompose(resolveSender(checked.draft, profile).address);
    // The same mapping Send applies to its `compose` argument, so Send recomposes these bytes.
    const { message, identity } = await composeChecked(checked, profile, parseArguments({ compose }).compose ?? {});
    const bytes = await collect(message.stream());
    const model = await buildMessagePreview({ bytes, message, checked, contentId: (index) => identity.contentId(index), profile: shown });
    return { content: renderPreview(model, t), merge, bytes, compose };
  } catch (error) {
    return problemsOnly([problemOf(error)], shown, checked.draft.receipt, merge);
  }
}

/** Where a row's problem shows: a missing value at its placeholder in the draft. */
function rowProblem(merge: MergeDocument, problem: MergeProblem): PreviewProblem {
  if (problem.where !== 'data') return previewProblem(problem.problem);
  const at = merge.template.placeholders.find((placeholder) => placeholder.name === problem.problem.column);
  return { severity: problem.problem.severity, line: at?.start.line, column: at?.start.column, text: problem.problem.text };
}

/** A merge draft: `wanted` row of its data rendered as the merge renders it, then as any draft. */
async function buildRowPreview(services: Services, merge: MergeDocument, source: DraftSource, wanted: number): Promise<BuiltPreview> {
  const none = profileForPreview(services.settings.current, undefined).shown;
  const rows = merge.data !== undefined && dataIsReadable(merge.data) ? merge.data.rows : [];
  const whole = mergeDraftProblems(merge, source.text).filter((problem) => problem.severity === 'error');
  const row = rows[Math.min(Math.max(wanted, 1), rows.length) - 1];
  if (whole.length > 0 || row === undefined) {
    const problems = whole.length > 0 ? whole.map(previewProblem) : [{ severity: 'error' as const, line: undefined, column: undefined, text: localized('the data has no rows') }];
    return problemsOnly(problems, none, undefined, { row: 1, rows: rows.length });
  }
  const choice = { row: rows.indexOf(row) + 1, rows: rows.length };
  const checked = await checkRow(merge.template, row, source);
  if (checked.checked === undefined) return problemsOnly(checked.problems.map((problem) => rowProblem(merge, problem)), none, undefined, choice);
  return composedPreview(services, checked.checked, choice);
}

async function buildPreview(services: Services, document: vscode.TextDocument, row: number): Promise<BuiltPreview> {
  const source = draftFromDocument(document).source;
  const settings = services.settings.current;
  try {
    const merge = await readMergeDocument(document.uri, source.text);
    if (merge !== undefined) return await buildRowPreview(services, merge, source, row);
  } catch (error) {
    return problemsOnly([problemOf(error)], profileForPreview(settings, undefined).shown, undefined);
  }
  let result;
  try {
    result = await checkDraft(source);
  } catch (error) {
    return problemsOnly([problemOf(error)], profileForPreview(settings, undefined).shown, undefined);
  }
  const checked = result.checked;
  if (checked === undefined) return problemsOnly(result.problems.map(previewProblem), profileForPreview(settings, undefined).shown, undefined);
  return composedPreview(services, checked, undefined);
}

export function previewSource(services: Services): PreviewSource {
  return {
    build: (document, row) => buildPreview(services, document, row),
    send: (uri, compose) => vscode.commands.executeCommand(COMMAND_IDS.send, { uri, compose }),
    saveEml: (uri, compose) => vscode.commands.executeCommand(COMMAND_IDS.saveEml, { uri, compose }),
    sendMerge: (uri) => vscode.commands.executeCommand(COMMAND_IDS.sendMerge, { uri }),
  };
}

/** Opens (or moves) the preview to the draft given (a Uri or `{ uri }`) or the active editor's. */
export async function previewCommand(controller: PreviewController, first?: unknown): Promise<PreviewOutcome> {
  const draft = await readDraft(parseArguments(first).uri);
  if (draft === undefined) return { status: 'unavailable', reason: 'no draft is open' };
  const snapshot = await controller.show(draft.document);
  return { status: 'previewed', uri: draft.document.uri.toString(), kind: snapshot?.content.kind ?? 'problems' };
}
