/**
 * The pieces completion, hover and drop share: which documents they serve, and the front
 * matter context at a position — only in a draft, or in a front matter still empty (the first
 * key of a new draft is being typed), so a blog post's front matter gets no email keys.
 */
import * as vscode from 'vscode';
import type { CursorContext } from '../../core/authoring/cursor-context';
import { cursorContext, frontMatterSpan } from '../../core/authoring/cursor-context';
import { isDraftText } from '../../core/draft/recognise';

function frontMatterIsEmptyBut(text: string, line: vscode.TextLine, document: vscode.TextDocument): boolean {
  const span = frontMatterSpan(text);
  if (span === undefined) return false;
  const lineStart = document.offsetAt(line.range.start);
  const lineEnd = document.offsetAt(line.range.end);
  return (text.slice(span.start, lineStart) + text.slice(lineEnd, span.end)).trim() === '';
}

export function draftContextAt(document: vscode.TextDocument, position: vscode.Position): CursorContext | undefined {
  const text = document.getText();
  const context = cursorContext(text, document.offsetAt(position));
  if (context === undefined) return undefined;
  if (isDraftText(text)) return context;
  return context.kind === 'key' && frontMatterIsEmptyBut(text, document.lineAt(position.line), document) ? context : undefined;
}

export function rangeOf(document: vscode.TextDocument, start: number, end: number): vscode.Range {
  return new vscode.Range(document.positionAt(start), document.positionAt(end));
}
