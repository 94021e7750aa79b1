import type { YAMLMap } from 'yaml';
import { localized } from '../text';
import type { FieldContext } from './field-context';
import { deref, readScalar, spanOf } from './field-context';
import { ProblemCode } from './problem-codes';

/**
 * Keys a draft understands. Matched case-insensitively, so mail-style `To:` and `Subject:`
 * work. `sent` and `message-id` are the receipt written back after a send. `merge` names a
 * mail merge's data file (core/merge); an ordinary send ignores it.
 */
export const KNOWN_KEYS = [
  'to', 'cc', 'bcc', 'from', 'reply-to', 'subject', 'attach', 'profile',
  'in-reply-to', 'references', 'headers', 'sent', 'message-id', 'dir', 'merge',
] as const;

export type KnownKey = (typeof KNOWN_KEYS)[number];

export interface KeyedValue {
  /** The key as written (e.g. `To`), for messages. */
  readonly written: string;
  readonly keyStart: number;
  readonly keyEnd: number;
  readonly value: unknown;
}

function isKnownKey(name: string): name is KnownKey {
  return (KNOWN_KEYS as readonly string[]).includes(name);
}

/**
 * Collects the known keys of the front matter map. Unknown keys are warned about (never
 * silently dropped); a key given twice, in any spelling, is an error and the first wins.
 */
export function collectKeys(map: YAMLMap, ctx: FieldContext): Map<KnownKey, KeyedValue> {
  const known = new Map<KnownKey, KeyedValue>();
  const seen = new Map<string, KeyedValue>();
  for (const pair of map.items) {
    const keyNode = deref(pair.key, ctx);
    if (!ctx.Y.isScalar(keyNode)) {
      const [start, end] = spanOf(keyNode ?? pair.value, ctx);
      ctx.sink.warning(ProblemCode.unknownKey, localized('a front matter key must be a plain name such as to or subject; this one is ignored'), start, end);
      continue;
    }
    const key = readScalar(pair.key, ctx, localized('a key must be a name'));
    if (!key) continue;
    const written = key.text;
    const name = written.trim().toLowerCase();
    const entry: KeyedValue = { written, keyStart: key.start, keyEnd: key.end, value: pair.value };
    const earlier = seen.get(name);
    if (earlier) {
      const line = ctx.sink.positionAt(earlier.keyStart).line;
      const text = earlier.written === written
        ? localized('{0} is given twice: it already appears on line {1}', written, line)
        : localized('{0} is given twice: it already appears as {1} (keys ignore case) on line {2}', written, earlier.written, line);
      ctx.sink.error(ProblemCode.duplicateKey, text, key.start, key.end);
      continue;
    }
    seen.set(name, entry);
    if (isKnownKey(name)) {
      known.set(name, entry);
    } else {
      const suggestion = suggestKey(name);
      const text = suggestion
        ? localized('unknown key {0} is ignored; did you mean {1}?', written, suggestion)
        : localized('unknown key {0} is ignored; known keys: {1}', written, KNOWN_KEYS.join(', '));
      ctx.sink.warning(ProblemCode.unknownKey, text, key.start, key.end);
    }
  }
  return known;
}

/** The known key closest to a misspelt one (edit distance at most 2, or 1 for short names), e.g. `subjet` → subject. */
export function suggestKey(name: string): KnownKey | undefined {
  const normalised = name.replace(/[_ ]/g, '-');
  if (isKnownKey(normalised)) return normalised;
  let best: KnownKey | undefined;
  // Short names are one typo apart from many others: demand a closer match for them.
  let bestDistance = normalised.length <= 4 ? 2 : 3;
  for (const candidate of KNOWN_KEYS) {
    const distance = editDistance(normalised, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
