/**
 * The cancellable notification a mail merge runs under: "Row i of n" and the failures so far.
 * Its Cancel button (or a script's AbortSignal) aborts the run through one AbortController; the
 * merge stops before the next row, or cleanly inside the current one before its final dot, and
 * the journal keeps every row already sent, so the run can be resumed.
 */
import * as vscode from 'vscode';
import type { RowResult } from '../../core/merge/types';

export interface MergeProgress {
  readonly signal: AbortSignal;
  /** Before row `index` (1-based) of `total`. */
  readonly rowStarted: (index: number, total: number) => void;
  /** After a row: counts its failure, if it failed. */
  readonly rowDone: (index: number, total: number, result: RowResult) => void;
}

const FAILED: ReadonlySet<RowResult['status']> = new Set(['failed', 'invalid', 'unknown']);

export function rowMessage(index: number, total: number, failures: number): string {
  return failures === 0 ? vscode.l10n.t('Row {0} of {1}', index, total) : vscode.l10n.t('Row {0} of {1} · {2} failed', index, total, failures);
}

/** Runs `task` under a notification titled `title`; `external` also cancels it. */
export async function withMergeProgress<T>(title: string, task: (progress: MergeProgress) => Promise<T>, external: AbortSignal | undefined): Promise<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (report, token) => {
    const cancelled = new AbortController();
    const cancel = token.onCancellationRequested(() => cancelled.abort());
    let failures = 0;
    try {
      return await task({
        signal: external === undefined ? cancelled.signal : AbortSignal.any([cancelled.signal, external]),
        rowStarted: (index, total) => report.report({ message: rowMessage(index, total, failures) }),
        rowDone: (_index, total, result) => {
          if (FAILED.has(result.status)) failures++;
          report.report({ increment: 100 / Math.max(1, total) });
        },
      });
    } finally {
      cancel.dispose();
    }
  });
}
