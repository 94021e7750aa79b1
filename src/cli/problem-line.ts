/**
 * One draft problem as the terminal shows it: `FILE:LINE:COL: SEVERITY: sentence`, the form
 * compilers use and editors' problem matchers read. An `info` problem is a `note:`, as in GCC
 * and Clang. Escaped here: the sentence quotes the draft (an address, a file name).
 */
import type { DraftProblem } from '../core/draft/types';
import { escapeForDisplay } from '../core/escape';
import { renderText } from '../core/text';

const LABEL: Readonly<Record<DraftProblem['severity'], string>> = { error: 'error', warning: 'warning', info: 'note' };

export function problemLine(file: string, problem: DraftProblem): string {
  return escapeForDisplay(`${file}:${problem.start.line}:${problem.start.column}: ${LABEL[problem.severity]}: ${renderText(problem.text)}`);
}
