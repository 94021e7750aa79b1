/**
 * Where in a draft's front matter a position is: on a key, or in the value of which key, and
 * which item of that value. Completion and hover work from this, and only inside the front
 * matter — the body is the message, nothing is offered there. Like recognise.ts it reads lines
 * and fences only (no YAML is parsed), so it is cheap on every keystroke.
 */
import { splitDraft } from '../draft/front-matter';

export interface KeyContext {
  readonly kind: 'key';
  /** The key being written, lower case ('' on an empty line). */
  readonly key: string;
  /** Offsets in the text of the key as written so far (for the replace range). */
  readonly start: number;
  readonly end: number;
}

export interface ValueContext {
  readonly kind: 'value';
  /** The top-level key the value belongs to, lower case. */
  readonly key: string;
  /** Offset where the current item starts (after `key: `, `- `, `[` or a comma) and where it ends. */
  readonly itemStart: number;
  readonly itemEnd: number;
  /** The whole item (trimmed), and the part of it before the position. */
  readonly item: string;
  readonly typed: string;
  /** The value on this line (list brackets and the `- ` marker removed) and where it starts. */
  readonly value: string;
  readonly valueStart: number;
}

export type CursorContext = KeyContext | ValueContext;

const BYTE_ORDER_MARK = '\uFEFF';
const OPENING_LINE = /^---[ \t]*(?:\r\n|\r|\n)/;
const TOP_LEVEL_KEY = /^([A-Za-z][\w-]*)[ \t]*:/;

/** The front matter's span in `text` (offsets of its first and just past its last character). */
export function frontMatterSpan(text: string): { readonly start: number; readonly end: number } | undefined {
  const bom = text.startsWith(BYTE_ORDER_MARK) ? 1 : 0;
  const split = splitDraft(text.slice(bom));
  if (split.kind === 'ok') return { start: bom + split.yamlStart, end: bom + split.yamlStart + split.yaml.length };
  // Still being written: everything after the opening fence line is front matter so far.
  const opening = split.kind === 'unterminated' ? OPENING_LINE.exec(text.slice(bom)) : null;
  return opening === null ? undefined : { start: bom + opening[0].length, end: text.length };
}

interface Line {
  readonly start: number;
  readonly text: string;
}

function lineAt(text: string, offset: number): Line {
  const start = Math.max(text.lastIndexOf('\n', offset - 1), text.lastIndexOf('\r', offset - 1)) + 1;
  const found = text.slice(start).search(/\r|\n/);
  return { start, text: text.slice(start, found < 0 ? text.length : start + found) };
}

/** The top-level key that owns an indented line (`  - a.pdf`): the nearest key line above it. */
function owningKey(text: string, span: { readonly start: number }, lineStart: number): string | undefined {
  const above = text.slice(span.start, lineStart).split(/\r\n|\r|\n/).reverse();
  for (const line of above) {
    const match = TOP_LEVEL_KEY.exec(line);
    if (match?.[1] !== undefined) return match[1].toLowerCase();
    if (line.trim() !== '' && !/^[ \t]/.test(line)) return undefined;
  }
  return undefined;
}

/**
 * Items of a value are cut at commas (and semicolons, which address lists also accept) outside
 * quotes and angle brackets, so `"Li, Bob" <bob@example.com>` stays one item.
 */
function itemBounds(value: string, at: number): { readonly start: number; readonly end: number } {
  let start = 0;
  let quoted = false;
  let angle = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (ch === '\\' && quoted) i++;
    else if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === '<') angle = true;
    else if (!quoted && ch === '>') angle = false;
    else if (!quoted && !angle && (ch === ',' || ch === ';')) {
      if (i >= at) return { start, end: i };
      start = i + 1;
    }
  }
  return { start, end: value.length };
}

/** The value part of a line after `key:` or a list marker: flow brackets and quotes of the whole removed. */
function valueOf(line: string, from: number): { readonly value: string; readonly start: number } {
  let start = from;
  let end = line.length;
  while (start < end && /[ \t]/.test(line[start] ?? '')) start++;
  if (line[start] === '-' && /[ \t]|^$/.test(line[start + 1] ?? '')) {
    start++;
    while (start < end && /[ \t]/.test(line[start] ?? '')) start++;
  }
  if (line[start] === '[') {
    start++;
    const close = line.lastIndexOf(']');
    if (close >= start) end = close;
  }
  const comment = line.slice(start, end).search(/[ \t]#/);
  if (comment >= 0) end = start + comment;
  return { value: line.slice(start, end), start };
}

/** The context at `offset`, or undefined when it is not inside the front matter. */
export function cursorContext(text: string, offset: number): CursorContext | undefined {
  const span = frontMatterSpan(text);
  if (span === undefined || offset < span.start || offset > span.end) return undefined;
  const line = lineAt(text, offset);
  const column = offset - line.start;
  const keyMatch = TOP_LEVEL_KEY.exec(line.text);
  let key: string | undefined;
  let valueFrom: number;
  if (keyMatch?.[1] !== undefined) {
    const colon = keyMatch[0].length;
    if (column < colon) return { kind: 'key', key: keyMatch[1].toLowerCase(), start: line.start, end: line.start + keyMatch[1].length };
    key = keyMatch[1].toLowerCase();
    valueFrom = colon;
  } else if (/^[ \t]/.test(line.text)) {
    key = owningKey(text, span, line.start);
    valueFrom = 0;
  } else {
    // A key being typed at the start of a line: letters so far, no colon yet.
    const typed = /^[A-Za-z][\w-]*$|^$/.exec(line.text.slice(0, column)) === null ? undefined : line.text.slice(0, column);
    if (typed === undefined || /\S/.test(line.text.slice(column).replace(/^[\w-]*/, ''))) return undefined;
    const word = /^[\w-]*/.exec(line.text.slice(column))?.[0] ?? '';
    return { kind: 'key', key: typed.toLowerCase(), start: line.start, end: line.start + column + word.length };
  }
  if (key === undefined) return undefined;
  const { value, start } = valueOf(line.text, valueFrom);
  if (column < start) {
    // In the blanks before the value: a new item starts here.
    return { kind: 'value', key, itemStart: offset, itemEnd: offset, item: '', typed: '', value, valueStart: line.start + start };
  }
  const at = Math.min(column - start, value.length);
  const bounds = itemBounds(value, at);
  const raw = value.slice(bounds.start, bounds.end);
  const lead = raw.length - raw.trimStart().length;
  const itemStart = line.start + start + bounds.start + lead;
  const item = raw.trim();
  return {
    kind: 'value',
    key,
    itemStart,
    itemEnd: itemStart + item.length,
    item,
    typed: text.slice(itemStart, Math.max(itemStart, offset)),
    value,
    valueStart: line.start + start,
  };
}
