/**
 * The first half of the one pipeline: draft text → check → composed message. Preview, "Save as
 * .eml" and send all call `composeDraft`, so the bytes previewed or saved are the bytes sent.
 *
 * `checkDraft` finds every problem (the front matter, attachments, and each Markdown image);
 * `composeDraft` renders the HTML and builds the message, taking the Date, Message-ID,
 * boundaries and Content-IDs from one MessageIdentity (identity.ts), made once by the caller.
 */
import { homedir } from 'node:os';
import { parseAddressList, parseDraft } from './draft';
import { sortProblems } from './draft/problem-sink';
import type { Address, Draft, DraftFormat, DraftProblem } from './draft/types';
import { SetupError } from './errors';
import type { MessageIdentity } from './identity';
import { prepareMarkdown } from './markdown';
import type { MarkdownRenderOptions, PreparedMarkdown } from './markdown/types';
import { composeMessage } from './mime';
import type { AttachmentCache } from './mime/attachment-cache';
import type { ComposedMessage } from './mime/types';
import type { SmtpProfile } from './profiles';
import { localized } from './text';

export interface DraftSource {
  readonly text: string;
  readonly format: DraftFormat;
  /** Folder relative attachment and image paths resolve against. */
  readonly baseDir: string;
  /** Home folder for `~/…` paths; default the user's. */
  readonly homeDir?: string;
  /**
   * The folder files may come from without a warning: the draft's workspace folder, or with no
   * workspace the draft's folder (the default, `baseDir`).
   */
  readonly root?: string;
  /** The workspace is not trusted: attachments and images from outside `root` are errors. */
  readonly untrusted?: boolean;
  /** How Markdown becomes HTML (line breaks, the user stylesheet): the user's settings. */
  readonly render?: MarkdownRenderOptions;
}

export interface CheckedDraft {
  readonly draft: Draft;
  /** For Markdown drafts: the parsed body with every local image checked (`inlineImages`). */
  readonly markdown: PreparedMarkdown | undefined;
  /** Warnings only (errors stop the pipeline). */
  readonly warnings: readonly DraftProblem[];
}

export interface CheckResult {
  /** Present when there is no error. */
  readonly checked?: CheckedDraft;
  /** Every problem, errors and warnings, in draft order. */
  readonly problems: readonly DraftProblem[];
}

/** Parses the front matter and, for Markdown, the body (which finds and checks every local image). */
export async function checkDraft(source: DraftSource): Promise<CheckResult> {
  const homeDir = source.homeDir ?? homedir();
  const root = source.root ?? source.baseDir;
  const untrusted = source.untrusted ?? false;
  const parsed = await parseDraft(source.text, { format: source.format, baseDir: source.baseDir, homeDir, root, untrusted });
  const draft = parsed.draft;
  if (draft === undefined) return { problems: parsed.problems };
  const markdown =
    draft.format === 'markdown'
      ? await prepareMarkdown(draft.body, { baseDir: draft.baseDir, homeDir, root, untrusted, bodyStartLine: draft.bodyStartLine, dir: draft.dir, render: source.render })
      : undefined;
  const problems = sortProblems([...parsed.problems, ...(markdown?.problems ?? [])]);
  if (problems.some((p) => p.severity === 'error')) return { problems };
  return { checked: { draft, markdown, warnings: problems }, problems };
}

/** What of a profile the sender comes from. */
export type SenderProfile = Pick<SmtpProfile, 'from' | 'username' | 'name'>;

/** The sender: the draft's `from:`, else the profile's `from`, else a username that is an address. */
export function resolveSender(draft: Draft, profile: SenderProfile | undefined): Address {
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

/**
 * The message exactly as it will be sent: the Markdown rendered with the identity's
 * Content-IDs, and the identity's Date, Message-ID and boundaries. The same checked draft and
 * identity give the same bytes, however often this is called.
 */
export async function composeDraft(checked: CheckedDraft, identity: MessageIdentity, profile?: SenderProfile, attachmentCache?: AttachmentCache): Promise<ComposedMessage> {
  const { draft, markdown } = checked;
  const html =
    markdown === undefined
      ? undefined
      : { html: await markdown.renderHtml((index) => identity.contentId(index)), inlineImages: markdown.inlineImages };
  // The text part is the Markdown source, with local image references made readable (text-part.ts).
  const text = markdown === undefined ? draft : { ...draft, body: markdown.text };
  return composeMessage({ draft: text, from: resolveSender(draft, profile), identity, html, eightBitMime: false, attachmentCache });
}
