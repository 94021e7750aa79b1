/**
 * The first half of the one pipeline: draft text → check → composed message. Preview, "Save as
 * .eml" and send all call `composeDraft`, so the bytes previewed or saved are the bytes sent.
 */
import { parseAddressList, parseDraft } from './draft';
import type { Address, Draft, DraftFormat, DraftProblem } from './draft/types';
import { SetupError } from './errors';
import { renderMarkdown } from './markdown';
import type { RenderedMarkdown } from './markdown/types';
import { composeMessage } from './mime';
import type { ComposedMessage } from './mime/types';
import type { SmtpProfile } from './profiles';
import { localized } from './text';

export interface DraftSource {
  readonly text: string;
  readonly format: DraftFormat;
  /** Folder relative attachment and image paths resolve against. */
  readonly baseDir: string;
  readonly homeDir?: string;
}

export interface CheckedDraft {
  readonly draft: Draft;
  readonly rendered?: RenderedMarkdown;
  /** Warnings only (errors stop the pipeline). */
  readonly warnings: readonly DraftProblem[];
}

export interface CheckResult {
  /** Present when there is no error. */
  readonly checked?: CheckedDraft;
  /** Every problem, errors and warnings, in draft order. */
  readonly problems: readonly DraftProblem[];
}

function byPosition(a: DraftProblem, b: DraftProblem): number {
  return a.start.line - b.start.line || a.start.column - b.start.column;
}

/** Parses the front matter and, for Markdown, renders the body (which finds missing images). */
export async function checkDraft(source: DraftSource): Promise<CheckResult> {
  const parsed = await parseDraft(source.text, {
    format: source.format,
    baseDir: source.baseDir,
    ...(source.homeDir === undefined ? {} : { homeDir: source.homeDir }),
  });
  const draft = parsed.draft;
  if (draft === undefined) return { problems: parsed.problems };
  const rendered =
    draft.format === 'markdown'
      ? await renderMarkdown(draft.body, { baseDir: draft.baseDir, bodyStartLine: draft.bodyStartLine })
      : undefined;
  const problems = [...parsed.problems, ...(rendered?.problems ?? [])].sort(byPosition);
  if (problems.some((p) => p.severity === 'error')) return { problems };
  return { checked: { draft, ...(rendered === undefined ? {} : { rendered }), warnings: problems }, problems };
}

/** The sender: the draft's `from:`, else the profile's `from`, else a username that is an address. */
export function resolveSender(draft: Draft, profile: Pick<SmtpProfile, 'from' | 'username' | 'name'> | undefined): Address {
  if (draft.from !== undefined) return draft.from;
  const candidate = profile?.from ?? (profile?.username?.includes('@') === true ? profile.username : undefined);
  if (candidate === undefined) {
    throw new SetupError('no-sender', localized('No sender: add "from:" to the draft or a "from" to profile "{0}".', profile?.name ?? '(none)'));
  }
  const parsed = parseAddressList(candidate);
  const first = parsed.addresses[0];
  if (parsed.errors.length > 0 || parsed.addresses.length !== 1 || first === undefined) {
    throw new SetupError('invalid-sender', localized('The sender "{0}" of profile "{1}" is not one valid address.', candidate, profile?.name ?? ''));
  }
  return first;
}

export interface ComposeDraftOptions {
  readonly profile?: Pick<SmtpProfile, 'from' | 'username' | 'name'>;
  readonly date?: Date;
  readonly messageId?: string;
  readonly boundary?: (depth: number) => string;
}

/** The message exactly as it will be sent. */
export async function composeDraft(checked: CheckedDraft, options: ComposeDraftOptions = {}): Promise<ComposedMessage> {
  return composeMessage({
    draft: checked.draft,
    from: resolveSender(checked.draft, options.profile),
    ...(checked.rendered === undefined ? {} : { rendered: checked.rendered }),
    ...(options.date === undefined ? {} : { date: options.date }),
    ...(options.messageId === undefined ? {} : { messageId: options.messageId }),
    ...(options.boundary === undefined ? {} : { boundary: options.boundary }),
  });
}
