/**
 * A merge cancelled inside a row: `runMerge` stops by throwing the SMTP client's `aborted`
 * error, without a summary. The rows it finished were reported one by one (`onRow`); the row
 * being sent and every row after it were not sent (the client stops before the final dot, and
 * the journal records that row as a transient failure, so Resume tries it again).
 */
import type { MergePlan, MergeSummary, RowResult, RowStatus } from '../../core/merge/types';

export function cancelledSummary(plan: MergePlan, finished: readonly RowResult[]): MergeSummary {
  const done = new Set(finished.map((result) => result.row));
  const rest = plan.rows
    .filter((row) => !done.has(row.number))
    .map((row): RowResult => ({ row: row.number, status: 'not-attempted', recipient: '', messageId: undefined, detail: undefined, file: undefined }));
  const results = [...finished, ...rest];
  const counts: Record<RowStatus, number> = { written: 0, sent: 0, failed: 0, invalid: 0, 'already-sent': 0, unknown: 0, 'not-attempted': 0 };
  for (const result of results) counts[result.status]++;
  return { results, counts, stoppedByQuota: undefined, cancelled: true, exitCode: 1 };
}
