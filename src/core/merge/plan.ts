/**
 * Everything checked before anything is sent: the draft's placeholders against the data's
 * columns, the data itself, and every row rendered and run through `checkDraft` (addresses,
 * attachments, images). A problem on a draft line that holds no placeholder is the draft's own
 * (the same in every row): it is reported once, at its `FILE:LINE:COL`, and stops the merge.
 * A problem on a line with a placeholder belongs to the row: that row fails alone.
 *
 * Rows are checked one at a time and only their problems and recipients are kept, so checking
 * 10,000 rows holds no rendered message — except the checked drafts the send may reuse, within a
 * fixed memory budget (checked-rows.ts). The body's Markdown (images) is checked with the first
 * row that passes, and again per row only when a value stands in a link or image destination.
 */
import type { DraftSource } from '../compose-draft';
import type { DraftProblem } from '../draft/types';
import { localized } from '../text';
import { AddressIndex } from './address-index';
import { CheckedRows } from './checked-rows';
import { checkRow, RowReuse } from './render';
import { scanTemplate } from './template';
import type { DataProblem, MergeData, MergePlan, MergeProblem, MergeRow } from './types';

export interface PlanOptions {
  /** The draft (its text is the template) and where its files resolve. */
  readonly source: DraftSource;
  readonly data: MergeData;
  /** Only the first N rows. */
  readonly limit: number | undefined;
  /** Called after each row is checked (the extension shows progress for long lists). */
  readonly onRowChecked?: ((index: number, total: number) => void) | undefined;
}

function problemKey(p: DraftProblem): string {
  return `${p.start.line}:${p.start.column}:${p.severity}:${p.message}`;
}

/** Counts each Cc/Bcc address over the rows: one in several rows is a fixed copy recipient. */
class CopyCounter {
  private readonly seen = new AddressIndex();
  add(row: number, addresses: readonly string[]): void {
    for (const address of new Set(addresses)) this.seen.note(address, row);
  }
  warnings(): DataProblem[] {
    return [...this.seen.entries()]
      .filter((entry) => entry.count > 1)
      .map((entry) => ({
        row: entry.first,
        column: undefined,
        severity: 'warning' as const,
        text: localized('{0} is a copy recipient (Cc/Bcc) of {1} messages: a fixed Cc or Bcc receives every message of the merge', entry.address, entry.count),
      }));
  }
}

export async function planMerge(options: PlanOptions): Promise<MergePlan> {
  const { source, data } = options;
  const template = scanTemplate(source.text, data.columns);
  const problems: MergeProblem[] = [];
  for (const problem of template.problems) problems.push({ where: 'draft', problem });
  for (const problem of data.problems) problems.push({ where: 'data', problem });
  const rows: readonly MergeRow[] = options.limit === undefined ? data.rows : data.rows.slice(0, options.limit);
  if (data.rows.length === 0 && !data.problems.some((p) => p.row === 0)) {
    problems.push({ where: 'data', problem: { row: 0, column: undefined, severity: 'error', text: localized('the data has no rows') } });
  }
  let fatal = problems.some((p) => p.problem.severity === 'error' && (p.where === 'draft' || (p.where === 'data' && p.problem.row === 0)));
  const badRows = new Set<number>(data.problems.filter((p) => p.severity === 'error' && p.row > 0).map((p) => p.row));
  if (fatal) return { template, data, problems, rows, badRows, fatal };

  const linesWithPlaceholders = new Set(template.placeholders.map((p) => p.start.line));
  const draftLevel = new Set<string>();
  // Every row's To addresses, for the duplicate warning: kept outside the heap (address-index.ts).
  const firstTo = new AddressIndex();
  const copies = new CopyCounter();
  // The body's Markdown is checked once, not per row, unless a value stands in a link or image destination (RowReuse).
  const reuse = new RowReuse();
  const checkedRows = new CheckedRows(reuse);
  for (const [index, row] of rows.entries()) {
    options.onRowChecked?.(index + 1, rows.length);
    if (badRows.has(row.number)) continue;
    const checked = await checkRow(template, row, source, reuse);
    checkedRows.keep(row.number, checked);
    for (const merged of checked.problems) {
      if (merged.where === 'row' && !linesWithPlaceholders.has(merged.problem.start.line)) {
        const problem = merged.problem;
        // The draft's own problem, the same in every row: once, as the draft's.
        if (!draftLevel.has(problemKey(problem))) {
          draftLevel.add(problemKey(problem));
          problems.push({ where: 'draft', problem });
          if (problem.severity === 'error') fatal = true;
        }
        continue;
      }
      problems.push(merged);
      if (merged.problem.severity === 'error') badRows.add(row.number);
    }
    const draft = checked.checked?.draft;
    if (draft === undefined) continue;
    for (const address of draft.to.map((a) => a.address.toLowerCase())) {
      const earlier = firstTo.note(address, row.number);
      if (earlier !== undefined) {
        problems.push({ where: 'data', problem: { row: row.number, column: undefined, severity: 'warning', text: localized('{0} also receives the message of row {1}', address, earlier) } });
      }
    }
    copies.add(row.number, [...draft.cc, ...draft.bcc].map((a) => a.address.toLowerCase()));
  }
  for (const problem of copies.warnings()) problems.push({ where: 'data', problem });
  return { template, data, problems, rows, badRows, fatal, checkedRows };
}
