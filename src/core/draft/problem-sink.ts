import type { LineIndex } from './line-index';
import type { ProblemCode } from './problem-codes';
import type { DraftProblem, Position } from './types';

/** Collects problems given as offsets into the draft and converts them to line/column once. */
export class ProblemSink {
  private readonly collected: DraftProblem[] = [];

  constructor(private readonly lines: LineIndex) {}

  error(code: ProblemCode, message: string, start: number, end: number = start): void {
    this.add('error', code, message, start, end);
  }

  warning(code: ProblemCode, message: string, start: number, end: number = start): void {
    this.add('warning', code, message, start, end);
  }

  positionAt(offset: number): Position {
    return this.lines.positionAt(offset);
  }

  get hasErrors(): boolean {
    return this.collected.some((problem) => problem.severity === 'error');
  }

  /** Problems in reading order (line, then column); ties keep the order they were found in. */
  sorted(): DraftProblem[] {
    return [...this.collected].sort(
      (a, b) => a.start.line - b.start.line || a.start.column - b.start.column,
    );
  }

  private add(severity: DraftProblem['severity'], code: ProblemCode, message: string, start: number, end: number): void {
    this.collected.push({
      severity,
      code,
      message,
      start: this.lines.positionAt(start),
      end: this.lines.positionAt(Math.max(start, end)),
    });
  }
}
