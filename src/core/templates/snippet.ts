/**
 * A template as a VS Code snippet (the snippet grammar is VS Code's, plain text here): the text
 * is escaped so a `$` or `}` in it stays literal, and tab stops are put in `to:` (the cursor
 * starts there), then `subject:`, then the body.
 */
import { frontMatterSpan } from '../authoring/cursor-context';
import { SIGNATURE_SEPARATOR } from './signature';

/** Snippet syntax treats `$`, `}` and `\` as special; each is escaped with a backslash. */
export function escapeSnippet(text: string): string {
  return text.replace(/[$}\\]/g, '\\$&');
}

function lineOfKey(text: string, key: string, span: { readonly start: number; readonly end: number }): { start: number; end: number; valueStart: number } | undefined {
  const pattern = new RegExp(`^${key}[ \\t]*:[ \\t]?`, 'gim');
  pattern.lastIndex = span.start;
  const match = pattern.exec(text);
  if (match === null || match.index >= span.end) return undefined;
  const lineEnd = text.slice(match.index).search(/\r|\n/);
  return { start: match.index, end: lineEnd < 0 ? text.length : match.index + lineEnd, valueStart: match.index + match[0].length };
}

/** The snippet for `template`; the body's tab stop is the final one ($0). */
export function templateSnippet(template: string): string {
  const span = frontMatterSpan(template);
  if (span === undefined) return `$0${escapeSnippet(template)}`;
  const stops: Array<{ readonly at: number; readonly end: number; readonly stop: string }> = [];
  for (const [key, index] of [['to', 1], ['subject', 2]] as const) {
    const line = lineOfKey(template, key, span);
    if (line === undefined) continue;
    const value = template.slice(line.valueStart, line.end);
    stops.push({ at: line.valueStart, end: line.end, stop: value.trim() === '' ? `$${index}` : `\${${index}:${escapeSnippet(value)}}` });
  }
  // The body starts on the line after the closing fence.
  const closing = template.slice(span.end).search(/\r\n|\r|\n/);
  const bodyStart = closing < 0 ? template.length : span.end + closing + (template.slice(span.end + closing, span.end + closing + 2) === '\r\n' ? 2 : 1);
  let out = '';
  let at = 0;
  for (const stop of stops.sort((a, b) => a.at - b.at)) {
    out += escapeSnippet(template.slice(at, stop.at)) + stop.stop;
    at = stop.end;
  }
  // On the body's first line of text; a body that is only blank lines (or a signature) gets the
  // cursor on its first line.
  const body = template.slice(bodyStart);
  const blank = /^(?:[ \t]*(?:\r\n|\r|\n))*/.exec(body)?.[0].length ?? 0;
  const leadingBlank = body.trim() === '' || body.slice(blank).startsWith(`${SIGNATURE_SEPARATOR}\n`) ? 0 : blank;
  const finalAt = bodyStart + leadingBlank;
  return `${out}${escapeSnippet(template.slice(at, finalAt))}$0${escapeSnippet(template.slice(finalAt))}`;
}
