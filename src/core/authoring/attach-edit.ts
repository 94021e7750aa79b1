/**
 * The text edit that adds files to a draft's `attach:` — used when files are dropped or pasted
 * into a draft, so they travel as attachments instead of a Markdown link that would arrive as a
 * broken `<a href="report.pdf">`. The front matter stays valid YAML in each shape `attach:` can
 * have: missing (the key is added before the closing fence), one path (it becomes a list), a
 * block list (items are appended with the same indent), or a flow list `[a, b]`.
 */
import { linesBetween } from '../text-offsets';
import type { TextEdit } from '../text-offsets';
import { frontMatterSpan } from './cursor-context';


const ATTACH_KEY = /^attach[ \t]*:/i;
const TOP_LEVEL = /^[^\s#-]/;
const LIST_ITEM = /^([ \t]*)-(?:[ \t]|$)/;

/**
 * A path as a YAML scalar: plain when it holds only characters that mean nothing to YAML,
 * otherwise double-quoted (a JSON string is a valid YAML double-quoted scalar, YAML 1.2 7.3.1).
 */
export function yamlScalar(path: string): string {
  return /^[\w.~/][\w.~/ +()@=-]*$/.test(path) && !/ $/.test(path) ? path : JSON.stringify(path);
}

function eolOf(text: string): string {
  return /\r\n/.test(text) ? '\r\n' : '\n';
}

/** The edit adding `paths` (as they should be written: relative, forward slashes); undefined without front matter. */
export function addToAttach(text: string, paths: readonly string[]): TextEdit | undefined {
  const span = frontMatterSpan(text);
  if (span === undefined || paths.length === 0) return undefined;
  const eol = eolOf(text);
  const scalars = paths.map(yamlScalar);
  const lines = linesBetween(text, span.start, span.end);
  const keyIndex = lines.findIndex((line) => ATTACH_KEY.test(line.content));
  const keyLine = lines[keyIndex];
  if (keyLine === undefined) {
    // No attach: yet — add it as the front matter's last key.
    const before = span.end > span.start && !/[\r\n]$/.test(text.slice(0, span.end)) ? eol : '';
    return { start: span.end, end: span.end, text: `${before}attach:${eol}${scalars.map((s) => `  - ${s}${eol}`).join('')}` };
  }
  const colon = keyLine.content.indexOf(':');
  const rest = keyLine.content.slice(colon + 1);
  const value = rest.replace(/[ \t]+#.*$/, '').trim();
  if (value.startsWith('[')) {
    const close = keyLine.start + colon + 1 + rest.lastIndexOf(']');
    const empty = value.replace(/[[\]\s]/g, '') === '';
    return { start: close, end: close, text: `${empty ? '' : ', '}${scalars.join(', ')}` };
  }
  if (value !== '') {
    // One path: it becomes the first item of a block list, written as it was.
    const valueStart = keyLine.start + colon + 1;
    return { start: valueStart, end: keyLine.contentEnd, text: `${eol}${[value, ...scalars].map((s) => `  - ${s}`).join(eol)}` };
  }
  // A block list (or nothing yet): append after its last item, with its indent.
  let last = keyLine;
  let indent = '  ';
  for (const line of lines.slice(keyIndex + 1)) {
    if (TOP_LEVEL.test(line.content)) break;
    if (line.content.trim() === '') continue;
    const item = LIST_ITEM.exec(line.content);
    if (item !== null && last === keyLine) indent = item[1] ?? '';
    last = line;
  }
  return { start: last.contentEnd, end: last.contentEnd, text: scalars.map((s) => `${eol}${indent}- ${s}`).join('') };
}
