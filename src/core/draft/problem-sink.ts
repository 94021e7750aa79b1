import type { LocalizedText } from '../text';
import { renderText } from '../text';
import type { LineIndex } from './line-index';
import type { ProblemCode } from './problem-codes';
import type { DraftProblem, Position } from './types';

/** Problems in reading order (line, then column); ties keep the order they were found in. */
export function sortProblems(problems: readonly DraftProblem[]): DraftProblem[] {
  return [...problems].sort((a, b) => a.start.line - b.start.line || a.start.column - b.start.column);
}

/** Collects problems given as offsets into the draft and converts them to line/column once. */
export class ProblemSink {
  private readonly collected: DraftProblem[] = [];
  private errors = 0;

  constructor(private readonly lines: LineIndex) {}

  error(code: ProblemCode, text: LocalizedText, start: number, end: number = start): void {
    this.errors++;
    this.add('error', code, text, start, end);
  }

  warning(code: ProblemCode, text: LocalizedText, start: number, end: number = start): void {
    this.add('warning', code, text, start, end);
  }

  positionAt(offset: number): Position {
    return this.lines.positionAt(offset);
  }

  get hasErrors(): boolean {
    return this.errors > 0;
  }

  sorted(): DraftProblem[] {
    return sortProblems(this.collected);
  }

  private add(severity: DraftProblem['severity'], code: ProblemCode, text: LocalizedText, start: number, end: number): void {
    this.collected.push({
      severity,
      code,
      text,
      message: renderText(text),
      start: this.lines.positionAt(start),
      end: this.lines.positionAt(Math.max(start, end)),
    });
  }
}
