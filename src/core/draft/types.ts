import type { TextDirection } from '../markdown/email-styles';
import type { LocalizedText } from '../text';

/**
 * What a draft becomes once its front matter is parsed and checked. Produced by
 * `parseDraft` (src/core/draft/parse.ts), consumed by the composer and the send pipeline.
 */

export type DraftFormat = 'markdown' | 'plaintext';

/** 1-based line and column, as editors and `FILE:LINE:COL` output show them. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

export interface DraftProblem {
  /**
   * `error` stops the send; `warning` does not; `info` is a note, not a problem (a sent draft
   * says when it was sent). The CLI prints `info` as `note:`, as compilers do.
   */
  readonly severity: 'error' | 'warning' | 'info';
  /** Stable identifier for tests and quick fixes, e.g. `invalid-address`, `missing-attachment`. */
  readonly code: string;
  /** The sentence, untranslated (the extension shows it through vscode.l10n.t). */
  readonly text: LocalizedText;
  /** `text` in English, for logs and the CLI. */
  readonly message: string;
  readonly start: Position;
  /** Exclusive end, for underlining; equals start when only a point is known. */
  readonly end: Position;
}

/** One mailbox: `address` as written (Unicode allowed; IDNA happens when composing). */
export interface Address {
  readonly name?: string;
  readonly address: string;
}

export interface DraftAttachment {
  /** Absolute path on disk, as written (`~` and relative paths resolved, links not followed). */
  readonly path: string;
  /** The file the bytes come from: `path` with every symlink followed. */
  readonly realPath: string;
  /** File name as the recipient sees it: the real file's base name, never a link's. */
  readonly filename: string;
  /** Size in bytes when the draft was checked. */
  readonly size: number;
  /** The real path lies outside the workspace folder (`root`): shown to the user before sending. */
  readonly outside: boolean;
}

export interface ExtraHeader {
  readonly name: string;
  readonly value: string;
}

export interface Draft {
  readonly format: DraftFormat;
  /** Folder relative attachment and image paths resolve against. */
  readonly baseDir: string;
  readonly from?: Address;
  readonly to: readonly Address[];
  readonly cc: readonly Address[];
  readonly bcc: readonly Address[];
  readonly replyTo: readonly Address[];
  readonly subject: string;
  readonly attachments: readonly DraftAttachment[];
  readonly profile?: string;
  /** Message-ID(s) in angle brackets, e.g. `<abc@example.com>`. */
  readonly inReplyTo?: string;
  readonly references: readonly string[];
  readonly headers: readonly ExtraHeader[];
  /** Text after the front matter, exactly as written. */
  readonly body: string;
  /** 1-based line of the draft where `body` starts (for positions of body problems). */
  readonly bodyStartLine: number;
  /** Receipt written back after an earlier send (`sent:`, `message-id:`), if any. */
  readonly receipt?: { readonly sent?: string; readonly messageId?: string };
  /** `dir:`, the base direction of the HTML part (Markdown drafts). */
  readonly dir?: TextDirection;
}

export interface ParseDraftOptions {
  readonly format: DraftFormat;
  /** The draft's folder: relative attachment paths resolve against it. */
  readonly baseDir: string;
  /** Home folder for `~` in attachment paths; default os.homedir(). */
  readonly homeDir?: string | undefined;
  /**
   * The workspace folder the draft belongs to (default `baseDir`). An attachment whose real
   * path lies outside it is a warning, or an error when `untrusted`.
   */
  readonly root?: string | undefined;
  /** The workspace is not trusted: files from outside `root` are refused. */
  readonly untrusted?: boolean | undefined;
}

export interface ParseDraftResult {
  /** Present when there is no error-severity problem. */
  readonly draft?: Draft;
  readonly problems: readonly DraftProblem[];
}
