/**
 * The live check of a merge draft. Its `{{ column }}` placeholders are not addresses or paths,
 * so the draft is checked as one row renders it (core/merge/render.ts, the same rendering the
 * merge sends): row 1 of the data, or — when the data cannot be read or row 1 lacks a value — a
 * stand-in row whose every value is the placeholder itself. As in `planMerge`, a problem on a
 * line that holds a placeholder depends on the row and is left to Send Mail Merge's check of
 * every row; a problem on any other line is the draft's own and is shown. Added to those: the
 * placeholders' own problems (syntax, a column the data does not have, at the placeholder) and
 * a data file that cannot be read, at the `merge:` line.
 */
import type { CheckedDraft, DraftSource } from '../../core/compose-draft';
import { LineIndex } from '../../core/draft/line-index';
import type { DraftProblem } from '../../core/draft/types';
import { checkRow, renderRow } from '../../core/merge/render';
import type { MergeRow, MergeTemplate } from '../../core/merge/types';
import { localized, renderText } from '../../core/text';
import type { MergeDocument } from './merge-data';
import { dataIsReadable } from './merge-data';

export interface MergeDraftCheck {
  /** Problems at the draft's own positions. */
  readonly problems: readonly DraftProblem[];
  /** The checked row's draft, for the warnings and the status bar; undefined when it has errors. */
  readonly checked: CheckedDraft | undefined;
  /** The text that was checked (the row rendered): same lines as the draft. */
  readonly text: string;
  /** Lines (1-based) holding a placeholder: problems there belong to a row. */
  readonly rowLines: ReadonlySet<number>;
}

/** A row whose every value is its placeholder as written, so rendering keeps the draft readable. */
function standInRow(template: MergeTemplate): MergeRow {
  const values = new Map<string, string>();
  for (const placeholder of template.placeholders) values.set(placeholder.key, `{{ ${placeholder.name} }}`);
  return { number: 0, values };
}

function rowToCheck(merge: MergeDocument, format: DraftSource['format']): MergeRow {
  const first = merge.data !== undefined && dataIsReadable(merge.data) ? merge.data.rows[0] : undefined;
  if (first !== undefined && renderRow(merge.template, first, format).ok) return first;
  return standInRow(merge.template);
}

/** The data file's trouble, at the `merge:` line's value (or the first line). */
function dataProblems(merge: MergeDocument, text: string): DraftProblem[] {
  const lines = new LineIndex(text);
  const keyLine = /^merge[ \t]*:[ \t]*/im.exec(text);
  const start = keyLine === null ? 0 : keyLine.index + keyLine[0].length;
  const lineEnd = text.slice(start).search(/[\r\n]|$/);
  const at = { start: lines.positionAt(start), end: lines.positionAt(start + Math.max(0, lineEnd)) };
  if (merge.dataPath === undefined) {
    const said = localized('"merge:" names no data file (a .csv, .json or .yaml file next to the draft)');
    return [{ severity: 'error', code: 'merge-data', text: said, message: renderText(said), ...at }];
  }
  const data = merge.data;
  if (data === undefined || dataIsReadable(data)) return [];
  return data.problems
    .filter((problem) => problem.row === 0 && problem.severity === 'error')
    .map((problem): DraftProblem => ({ severity: 'error', code: 'merge-data', text: problem.text, message: renderText(problem.text), ...at }));
}

/** What stops every row alike: the placeholders' problems and a data file that cannot be used. */
export function mergeDraftProblems(merge: MergeDocument, text: string): DraftProblem[] {
  return [...merge.template.problems, ...dataProblems(merge, text)];
}

export async function checkMergeDraft(merge: MergeDocument, source: DraftSource): Promise<MergeDraftCheck> {
  const { template } = merge;
  const row = rowToCheck(merge, source.format);
  const rendered = renderRow(template, row, source.format);
  const checkedRow = await checkRow(template, row, source);
  const rowLines = new Set(template.placeholders.map((placeholder) => placeholder.start.line));
  const own = checkedRow.problems.flatMap((merged) => (merged.where === 'row' && !rowLines.has(merged.problem.start.line) ? [merged.problem] : []));
  return {
    problems: [...mergeDraftProblems(merge, source.text), ...own],
    checked: checkedRow.checked,
    text: rendered.ok ? rendered.text : source.text,
    rowLines,
  };
}
