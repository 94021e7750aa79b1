import assert from 'node:assert/strict';
import { parseDraft } from '../../../src/core/draft';
import type { DraftProblem, ParseDraftOptions, ParseDraftResult, Position } from '../../../src/core/draft';

export const OPTIONS: ParseDraftOptions = { format: 'markdown', baseDir: '/nonexistent-draft-folder', homeDir: '/nonexistent-home' };

/** Parses with lines joined by LF (or the given line break). */
export function parseLines(lines: readonly string[], options: Partial<ParseDraftOptions> = {}, eol = '\n'): Promise<ParseDraftResult> {
  return parseDraft(lines.join(eol), { ...OPTIONS, ...options });
}

/** The one problem with `code`; fails when there is none or more than one. */
export function problemWith(result: ParseDraftResult, code: string): DraftProblem {
  const found = result.problems.filter((problem) => problem.code === code);
  assert.equal(found.length, 1, `expected one ${code}, got: ${JSON.stringify(result.problems, null, 1)}`);
  return found[0] as DraftProblem;
}

export function codes(result: ParseDraftResult): string[] {
  return result.problems.map((problem) => problem.code);
}

export function pos(line: number, column: number): Position {
  return { line, column };
}

/** Asserts code, severity and start (and end when given) of the single problem with `code`. */
export function assertProblem(
  result: ParseDraftResult,
  code: string,
  severity: DraftProblem['severity'],
  start: Position,
  end?: Position,
): DraftProblem {
  const problem = problemWith(result, code);
  assert.equal(problem.severity, severity, problem.message);
  assert.deepEqual(problem.start, start, problem.message);
  if (end) assert.deepEqual(problem.end, end, problem.message);
  if (severity === 'error') assert.equal(result.draft, undefined, 'no draft when there is an error');
  return problem;
}

/** The draft of a result that must have no error. */
export function draftOf(result: ParseDraftResult): NonNullable<ParseDraftResult['draft']> {
  assert.ok(result.draft, `expected a draft, got problems: ${JSON.stringify(result.problems, null, 1)}`);
  return result.draft;
}
