/**
 * One check of an open draft for the editor: the pipeline's own check (checkDraft, so the
 * problems are the ones Send would stop on) plus the editor's warnings, and what the status bar
 * shows. The HTML and the message are built only here, after the typing pause, never per key.
 */
import type * as vscode from 'vscode';
import { checkDraft, composeDraft, resolveSender } from '../../core/compose-draft';
import type { CheckedDraft, DraftSource } from '../../core/compose-draft';
import type { DraftProblem } from '../../core/draft/types';
import { draftWarnings } from '../../core/draft/warnings';
import { effectiveProfile, effectiveProfileName } from '../../core/draft/warnings/effective-profile';
import { draftLines } from '../../core/draft/warnings/lines';
import { writtenProfile } from '../../core/draft/warnings/unknown-profile';
import { randomIdentity } from '../../core/identity';
import type { MessageIdentity } from '../../core/identity';
import type { SmtpProfile } from '../../core/profiles';
import { receiptProblem } from '../../core/receipt/describe';
import { draftFromDocument } from '../draft-reader';
import { checkMergeDraft } from '../merge/merge-check';
import type { MergeDraftCheck } from '../merge/merge-check';
import { readMergeDocument } from '../merge/merge-data';
import type { SettingsSnapshot } from '../settings';

export interface DraftSummary {
  /** The profile it would go with; undefined where sending would ask. */
  readonly profile: string | undefined;
  /** To + Cc + Bcc; undefined while the draft has errors. */
  readonly recipients: number | undefined;
  /** The whole message in bytes, as it would be sent; undefined while it cannot be built. */
  readonly size: number | undefined;
}

export interface DraftCheck {
  readonly problems: readonly DraftProblem[];
  readonly summary: DraftSummary;
}

/**
 * The HTML part's size (Gmail clips over 102 KB) and the whole message's size, from one render
 * of the Markdown: after every typing pause, a long draft must not be rendered twice. The
 * message is composed with a fresh identity, so its size is the one a send would have.
 */
async function sizes(checked: CheckedDraft, profile: SmtpProfile | undefined): Promise<{ readonly htmlBytes: number | undefined; readonly messageBytes: number | undefined }> {
  let identity: MessageIdentity | undefined;
  try {
    identity = randomIdentity(resolveSender(checked.draft, profile).address);
  } catch {
    // No sender yet: the HTML is still measured; the status bar simply shows no size.
  }
  const markdown = checked.markdown;
  // Content-IDs are short and of fixed form: without an identity their exact value does not move the size past a limit.
  const html = markdown === undefined ? undefined : await markdown.renderHtml((index) => identity?.contentId(index) ?? `image${index}@preview.invalid`);
  const htmlBytes = html === undefined ? undefined : Buffer.byteLength(html, 'utf8');
  if (identity === undefined) return { htmlBytes, messageBytes: undefined };
  const renderedOnce = markdown === undefined || html === undefined ? checked : { ...checked, markdown: { ...markdown, renderHtml: () => Promise.resolve(html) } };
  try {
    return { htmlBytes, messageBytes: (await composeDraft(renderedOnce, identity, profile)).size };
  } catch {
    // A file changed meanwhile: the status bar simply shows no size.
    return { htmlBytes, messageBytes: undefined };
  }
}

/**
 * The pipeline's check; for a merge draft (`merge:`) the check of one row as the merge renders
 * it, whose problems on placeholder lines belong to rows and are left out (host/merge).
 */
async function pipelineCheck(document: vscode.TextDocument, source: DraftSource): Promise<MergeDraftCheck> {
  const merge = await readMergeDocument(document.uri, source.text);
  if (merge !== undefined) return checkMergeDraft(merge, source);
  const result = await checkDraft(source);
  return { problems: result.problems, checked: result.checked, text: source.text, rowLines: new Set() };
}

export async function checkDocument(document: vscode.TextDocument, settings: SettingsSnapshot): Promise<DraftCheck> {
  const { source } = draftFromDocument(document);
  const result = await pipelineCheck(document, source);
  const text = result.text;
  const lines = draftLines(text);
  const written = lines === undefined ? undefined : writtenProfile(lines);
  const profile = effectiveProfile(settings, written);
  const checked = result.checked;
  const measured = checked === undefined ? undefined : await sizes(checked, profile);
  const warnings = draftWarnings({
    text,
    format: source.format,
    draft: checked?.draft,
    profile,
    profiles: { names: [...settings.profiles.keys()], unusable: [...settings.errors.keys(), ...settings.hiddenByTrust] },
    htmlBytes: measured?.htmlBytes,
  }).filter((warning) => !result.rowLines.has(warning.start.line));
  const draft = checked?.draft;
  // A sent draft says so where its receipt stands (an Information diagnostic, as `check`'s note).
  const sent = draft === undefined ? undefined : receiptProblem(text, draft);
  return {
    problems: [...result.problems, ...warnings, ...(sent === undefined ? [] : [sent])],
    summary: {
      profile: effectiveProfileName(settings, written),
      recipients: draft === undefined ? undefined : draft.to.length + draft.cc.length + draft.bcc.length,
      size: measured?.messageBytes,
    },
  };
}
