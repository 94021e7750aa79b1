import type { Scalar } from 'yaml';

/**
 * A YAML scalar's value together with where each of its characters sits in the draft, so a
 * problem inside a value (one bad address in a list) can point at that character.
 */
export interface LocatedText {
  readonly text: string;
  /** Draft offsets of the whole scalar as written (quotes and block indicators included). */
  readonly start: number;
  readonly end: number;
  /** Written as a block scalar (`|` or `>`), which keeps line breaks in the value. */
  readonly isBlock: boolean;
  /**
   * Draft offset of the value's character at `index` (`index === text.length` gives the end).
   * When the scalar spans lines or uses an unusual layout this is the scalar's start.
   */
  offsetOf(index: number): number;
}

/**
 * Reads a scalar node. `yaml` is the front matter text the node's ranges refer to and
 * `base` is where that text starts in the draft. Numbers and booleans keep their source
 * spelling (`1.10` stays `1.10`); null becomes ''.
 */
export function locateScalar(node: Scalar, yaml: string, base: number): LocatedText {
  const [valueStart = 0, valueEnd = valueStart] = node.range ?? [];
  const raw = yaml.slice(valueStart, valueEnd);
  const text = scalarText(node, raw);
  const start = base + valueStart;
  // Worked out only when a problem needs a column: most values have none, and a mail merge
  // reads thousands of drafts.
  let map: number[] | undefined | null = null;
  return {
    text,
    start,
    end: base + valueEnd,
    isBlock: node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED',
    offsetOf: (index) => {
      if (map === null) map = characterOffsets(node, raw, text);
      if (!map) return start;
      return start + (map[Math.max(0, Math.min(index, map.length - 1))] ?? 0);
    },
  };
}

function scalarText(node: Scalar, raw: string): string {
  const value: unknown = node.value;
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  if (node.type === 'PLAIN' && raw !== '') return raw;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return raw;
}

/**
 * For single-line plain and quoted scalars: map[i] = offset (relative to the scalar start) of
 * the source character that produced value character i; map[text.length] = end of content.
 * Returns undefined when the decoded value does not match what was rebuilt, so a wrong
 * column is never reported.
 */
function characterOffsets(node: Scalar, raw: string, text: string): number[] | undefined {
  if (/[\r\n]/.test(raw)) return undefined;
  let rebuilt: { value: string; map: number[] } | undefined;
  if (node.type === 'PLAIN') {
    rebuilt = { value: raw, map: Array.from({ length: raw.length + 1 }, (_, i) => i) };
  } else if (node.type === 'QUOTE_SINGLE' && raw.length >= 2 && raw.startsWith("'") && raw.endsWith("'")) {
    rebuilt = decodeSingleQuoted(raw);
  } else if (node.type === 'QUOTE_DOUBLE' && raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"')) {
    rebuilt = decodeDoubleQuoted(raw);
  }
  return rebuilt && rebuilt.value === text ? rebuilt.map : undefined;
}

// YAML 1.2 §7.3.2: inside single quotes the only escape is '' for one quote.
function decodeSingleQuoted(raw: string): { value: string; map: number[] } {
  let value = '';
  const map: number[] = [];
  for (let i = 1; i < raw.length - 1; i++) {
    map.push(i);
    value += raw[i];
    if (raw[i] === "'" && raw[i + 1] === "'") i++;
  }
  map.push(raw.length - 1);
  return { value, map };
}

// YAML 1.2 §5.7 escape sequences.
const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '0': '\0', a: '\x07', b: '\b', t: '\t', '\t': '\t', n: '\n', v: '\v', f: '\f', r: '\r',
  e: '\x1b', ' ': ' ', '"': '"', '/': '/', '\\': '\\', N: '\x85', _: '\xa0', L: '\u2028', P: '\u2029',
};
const HEX_ESCAPE_LENGTH: Readonly<Record<string, number>> = { x: 2, u: 4, U: 8 };

function decodeDoubleQuoted(raw: string): { value: string; map: number[] } | undefined {
  let value = '';
  const map: number[] = [];
  for (let i = 1; i < raw.length - 1; i++) {
    const ch = raw[i] ?? '';
    if (ch !== '\\') {
      map.push(i);
      value += ch;
      continue;
    }
    const kind = raw[i + 1] ?? '';
    const simple = SIMPLE_ESCAPES[kind];
    let decoded: string;
    let consumed: number;
    if (simple !== undefined) {
      decoded = simple;
      consumed = 2;
    } else {
      const hexLength = HEX_ESCAPE_LENGTH[kind];
      if (hexLength === undefined) return undefined;
      const hex = raw.slice(i + 2, i + 2 + hexLength);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== hexLength) return undefined;
      decoded = String.fromCodePoint(parseInt(hex, 16));
      consumed = 2 + hexLength;
    }
    for (let unit = 0; unit < decoded.length; unit++) map.push(i);
    value += decoded;
    i += consumed - 1;
  }
  map.push(raw.length - 1);
  return { value, map };
}

/**
 * Draft offsets of `length` value characters from `index`. When characters cannot be mapped
 * one by one, the whole scalar is underlined instead of an empty range at its start.
 */
export function rangeWithin(located: LocatedText, index: number, length: number): [number, number] {
  const start = located.offsetOf(index);
  const end = located.offsetOf(index + length);
  return end > start ? [start, end] : [located.start, located.end];
}
