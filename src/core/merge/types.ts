/**
 * Mail merge: one draft × a table of people. The public shapes of core/merge, shared by the
 * CLI (`send-as-email merge`) and the extension (merge-aware diagnostics, completion, Preview of
 * a row, "Send Mail Merge…").
 *
 * The flow: `readMergeData` (data.ts) reads the table; `scanTemplate` (template.ts) finds every
 * `{{ column }}` / `{{ column | "fallback" }}` with its position; `renderRow` makes one row's
 * draft text, `checkRow` checks it with the ordinary `checkDraft`; `planMerge` (plan.ts) does
 * all of that for every row before anything is sent; `runMerge` (run.ts) writes `.eml` files
 * (dry run) or sends over one SMTP session with a journal (journal.ts) so a re-run never sends
 * a row twice.
 */
import type { CheckedDraft, DraftSource, SenderProfile } from '../compose-draft';
import type { DraftProblem, Position } from '../draft/types';
import type { MessageIdentity } from '../identity';
import type { ComposedMessage } from '../mime/types';
import type { SessionOptions } from '../send';
import type { LocalizedText } from '../text';
import type { CheckedRows } from './checked-rows';

export type MergeDataFormat = 'csv' | 'json' | 'yaml';

/** Column names are matched case-insensitively with surrounding spaces trimmed: this is the key. */
export type ColumnKey = string;

/** One row of the table. */
export interface MergeRow {
  /** 1-based row number in the data (the first row after a CSV header is row 1). */
  readonly number: number;
  /** Values by column key (`columnKey(name)`); every value is text (numbers and booleans of JSON/YAML as written). */
  readonly values: RowValues;
}

/**
 * A row's values: what a `ReadonlyMap<ColumnKey, string>` offers for reading them (a Map is
 * one). CSV rows read theirs from the table's compact cells (data.ts, csv.ts).
 */
export interface RowValues extends Iterable<[ColumnKey, string]> {
  get(key: ColumnKey): string | undefined;
  values(): IterableIterator<string>;
}

/** A problem with the data file: `DATA:ROW: column: message` (row 0 = the file as a whole or its header). */
export interface DataProblem {
  readonly row: number;
  /** The column as written, when the problem is about one. */
  readonly column: string | undefined;
  readonly severity: 'error' | 'warning';
  readonly text: LocalizedText;
}

/** What `readMergeData` returns. Data with an error problem at row 0 cannot be merged at all. */
export interface MergeData {
  readonly format: MergeDataFormat;
  /** The column names as written (header order; for JSON/YAML, first appearance). */
  readonly columns: readonly string[];
  readonly rows: readonly MergeRow[];
  readonly problems: readonly DataProblem[];
}

/** One `{{ … }}` in the draft text. */
export interface Placeholder {
  /** The column name as written between the braces (trimmed). */
  readonly name: string;
  readonly key: ColumnKey;
  /** `{{ name | "there" }}`: the text used when the row's value is missing or empty. */
  readonly fallback: string | undefined;
  /** Offsets of the whole `{{ … }}` in the draft text. */
  readonly offset: number;
  readonly endOffset: number;
  /** 1-based positions of the whole `{{ … }}`, as `FILE:LINE:COL` shows them. */
  readonly start: Position;
  readonly end: Position;
  /** Where it stands: a front-matter value (inserted YAML-quoted) or the body (inserted as text). */
  readonly part: 'front-matter' | 'body';
}

/** The draft scanned for placeholders; the template is the draft text itself. */
export interface MergeTemplate {
  readonly text: string;
  readonly placeholders: readonly Placeholder[];
  /** The `merge:` front-matter value (the data file, relative to the draft), if any. */
  readonly dataFile: string | undefined;
  /** Syntax problems (`{{` never closed, an empty name, a bad fallback) and unknown columns once a column set is given. */
  readonly problems: readonly DraftProblem[];
}

/** A problem of the merge as a whole or of one row, for `FILE:LINE:COL` / `DATA:ROW: column: message` output. */
export type MergeProblem =
  | { readonly where: 'draft'; readonly problem: DraftProblem }
  | { readonly where: 'data'; readonly problem: DataProblem }
  /** A row's rendered draft failed `checkDraft` (a bad address, a missing attachment): row + the draft's problem. */
  | { readonly where: 'row'; readonly row: number; readonly problem: DraftProblem };

/** One row's draft text, or why there is none. */
export type RenderedRow =
  | {
      readonly ok: true;
      readonly row: number;
      /** The draft with every placeholder replaced (front-matter values YAML-quoted, body values as markers — see `checkRow`). */
      readonly text: string;
      /** The body's values, in marker order; `checkRow` puts them back as literal text in both parts. */
      readonly bodyValues: readonly string[];
    }
  | { readonly ok: false; readonly row: number; readonly problems: readonly DataProblem[] };

/** One row checked: a CheckedDraft ready for `composeDraft`, or every problem. */
export interface CheckedRow {
  readonly row: number;
  readonly checked: CheckedDraft | undefined;
  readonly problems: readonly MergeProblem[];
  /** The row's To/Cc/Bcc addresses (lower case), for the duplicate warning and the journal. */
  readonly recipients: readonly string[];
}

/** The whole merge checked before anything is sent. */
export interface MergePlan {
  readonly template: MergeTemplate;
  readonly data: MergeData;
  /** Every problem: the draft, the data, each row. Errors at draft/data level: nothing may run. */
  readonly problems: readonly MergeProblem[];
  /** The rows to process (after `limit`), in order. */
  readonly rows: readonly MergeRow[];
  /** Row numbers whose rendered draft has an error (they fail alone; the others run). */
  readonly badRows: ReadonlySet<number>;
  /** True when the draft or the data as a whole is bad: exit 2, nothing sent. */
  readonly fatal: boolean;
  /** Rows that passed the plan's check, kept (within a budget) so the send need not check them again. */
  readonly checkedRows?: CheckedRows | undefined;
}

/** The journal, one JSON object per line (`<data file>.sent.jsonl`), fsynced after each record. */
export type JournalRecord =
  /** Written before DATA: if nothing follows, the row's fate is unknown. */
  | { readonly row: number; readonly state: 'started'; readonly at: string; readonly to: readonly string[]; readonly messageId: string }
  /** After the server's 250 for the final dot. */
  | { readonly row: number; readonly state: 'sent'; readonly at: string; readonly to: readonly string[]; readonly messageId: string; readonly reply: string }
  /** Refused; `transient` (4xx) rows are retried by a re-run, permanent ones are not. */
  | {
      readonly row: number;
      readonly state: 'failed';
      readonly at: string;
      readonly to: readonly string[];
      readonly messageId: string;
      readonly reply: string;
      readonly transient: boolean;
    };

/** What happened to one row in this run. */
export type RowStatus =
  | 'written' // dry run: the .eml is written
  | 'sent'
  | 'failed'
  | 'invalid' // its rendered draft has an error; nothing done
  | 'already-sent' // the journal says sent: skipped
  | 'unknown' // the journal says started without an outcome: not re-sent without resendUnknown
  | 'not-attempted'; // the run stopped (quota, cancel) before this row

export interface RowResult {
  readonly row: number;
  readonly status: RowStatus;
  /** The first To address (for progress lines and file names). */
  readonly recipient: string;
  readonly messageId: string | undefined;
  /** The server's reply or the problem, one line. */
  readonly detail: string | undefined;
  /** Dry run: the file written. */
  readonly file: string | undefined;
}

export interface MergeSummary {
  readonly results: readonly RowResult[];
  readonly counts: Readonly<Record<RowStatus, number>>;
  /** Set when a quota reply (5.4.5, 4.7.0 daily limit) stopped the run: the reply text. */
  readonly stoppedByQuota: string | undefined;
  /** The run was cancelled by the signal. */
  readonly cancelled: boolean;
  /** 0 every row sent/written (or already sent), 1 any row failed/invalid/unknown/not attempted. */
  readonly exitCode: 0 | 1;
}

export interface MergeRunOptions {
  readonly plan: MergePlan;
  /** Where the rendered rows' files resolve: the draft's folder (and workspace root/trust). */
  readonly source: Omit<DraftSource, 'text'>;
  readonly mode: 'dry-run' | 'send';
  /** Dry run: the folder the `.eml` files go to (created). */
  readonly outDir: string | undefined;
  /** Send: how to open the one SMTP session (reopened on 421 or a dropped connection). */
  readonly session: SessionOptions | undefined;
  /** Sender profile for `composeDraft` (the sender when the draft has no `from:`). */
  readonly senderProfile: SenderProfile | undefined;
  /** Send: messages per minute; undefined = unlimited. */
  readonly ratePerMinute: number | undefined;
  /** Send: the journal file (JSONL). */
  readonly journalPath: string | undefined;
  /** Send: re-send rows the journal left "started" (unknown outcome). */
  readonly resendUnknown: boolean;
  /** A fresh identity per row (random, or reproducible for tests). */
  readonly identity: (row: MergeRow, text: string, sender: string) => MessageIdentity;
  readonly signal: AbortSignal | undefined;
}

export interface MergeCallbacks {
  /** Before a row is processed: row i (1-based) of n. */
  readonly onRowStart?: ((index: number, total: number, row: MergeRow) => void) | undefined;
  /** After each row: its result; index is 1-based, total the rows processed this run. */
  readonly onRow?: ((index: number, total: number, result: RowResult) => void) | undefined;
  /** After a row's 250 (send mode): file the copy in Sent, write a receipt… Must not throw. */
  readonly afterSend?: ((message: ComposedMessage, checked: CheckedDraft, row: MergeRow) => Promise<void>) | undefined;
  /** Warnings for the user (a dropped connection reopened, a fixed Cc). */
  readonly onNotice?: ((text: LocalizedText) => void) | undefined;
}
