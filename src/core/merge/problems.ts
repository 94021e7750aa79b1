/** How merge problems print: `FILE:LINE:COL: severity: message` for the draft, `DATA:ROW: column: message` for the data. */
import { renderText } from '../text';
import type { Translate } from '../text';
import type { MergeProblem } from './types';

export function formatMergeProblem(p: MergeProblem, draftFile: string, dataFile: string, t?: Translate): string {
  switch (p.where) {
    case 'draft':
      return `${draftFile}:${p.problem.start.line}:${p.problem.start.column}: ${p.problem.severity}: ${renderText(p.problem.text, t)}`;
    case 'data': {
      const column = p.problem.column === undefined ? '' : ` ${p.problem.column}:`;
      return `${dataFile}:${p.problem.row}:${column} ${p.problem.severity}: ${renderText(p.problem.text, t)}`;
    }
    case 'row':
      // The rendered draft's problem, at the draft line it comes from.
      return `${dataFile}:${p.row}: ${p.problem.severity}: ${renderText(p.problem.text, t)} (${draftFile}:${p.problem.start.line})`;
  }
}
