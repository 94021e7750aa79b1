/**
 * RFC 2047 encoded-words: how non-ASCII text travels in headers that must stay 7-bit.
 *
 * - Each encoded-word is at most 75 characters (RFC 2047 section 2).
 * - Text is split between characters, never inside a UTF-8 sequence (section 5: "each
 *   'encoded-word' MUST represent an integral number of characters"); iterating a JS string
 *   with for..of walks code points, so a surrogate pair (an emoji) is never cut either.
 * - B or Q, whichever is shorter for the whole text. Q uses only the characters section 5(3)
 *   allows inside a phrase, so the same words are safe in Subject, display names and params.
 * - Adjacent encoded-words separated only by whitespace decode with that whitespace dropped
 *   (section 6.2), so a caller may join the words with spaces and fold between them.
 */

/** RFC 2047 section 2: an encoded-word may not be more than 75 characters long. */
export const MAX_ENCODED_WORD_LENGTH = 75;

/** `=?UTF-8?B?` + `?=`. */
const WORD_OVERHEAD = '=?UTF-8?B??='.length;

/** The widest single character: four UTF-8 octets as Q (`=XX` x 4) plus the overhead. */
export const MIN_ENCODED_WORD_BUDGET = WORD_OVERHEAD + 12;

export type EncodedWordEncoding = 'B' | 'Q';

export interface EncodeWordsOptions {
  /** Longest allowed first word (it shares its line with the header name). Default 75. */
  readonly firstMaxLength?: number;
  /** Longest allowed following word. Default 75. */
  readonly maxLength?: number;
}

/** Characters that stand for themselves in Q inside a phrase (RFC 2047 5(3)), space excepted. */
function isQLiteral(byte: number): boolean {
  return (
    (byte >= 0x30 && byte <= 0x39) || // 0-9
    (byte >= 0x41 && byte <= 0x5a) || // A-Z
    (byte >= 0x61 && byte <= 0x7a) || // a-z
    byte === 0x21 || // !
    byte === 0x2a || // *
    byte === 0x2b || // +
    byte === 0x2d || // -
    byte === 0x2f // /
  );
}

function qCost(bytes: Uint8Array): number {
  let cost = 0;
  for (const byte of bytes) {
    cost += isQLiteral(byte) || byte === 0x20 ? 1 : 3;
  }
  return cost;
}

function bCost(byteCount: number): number {
  return 4 * Math.ceil(byteCount / 3);
}

function encodeQ(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) {
    if (byte === 0x20) {
      // RFC 2047 4.2(2): "_" stands for a space, whatever the charset.
      out += '_';
    } else if (isQLiteral(byte)) {
      out += String.fromCharCode(byte);
    } else {
      out += '=' + byte.toString(16).toUpperCase().padStart(2, '0');
    }
  }
  return out;
}

/** Which encoding yields the shorter result for this text (ties go to the more readable Q). */
export function chooseWordEncoding(text: string): EncodedWordEncoding {
  const bytes = Buffer.from(text, 'utf8');
  return qCost(bytes) <= bCost(bytes.length) ? 'Q' : 'B';
}

function wrap(encoding: EncodedWordEncoding, bytes: Buffer): string {
  const payload = encoding === 'B' ? bytes.toString('base64') : encodeQ(bytes);
  return `=?UTF-8?${encoding}?${payload}?=`;
}

/**
 * Encodes `text` as one or more encoded-words, each within its length budget. Returns an
 * empty list for empty text. Join the result with single spaces (or folds) to form the value.
 */
export function encodeWords(text: string, options: EncodeWordsOptions = {}): string[] {
  if (text === '') {
    return [];
  }
  const encoding = chooseWordEncoding(text);
  const maxLength = Math.max(MIN_ENCODED_WORD_BUDGET, Math.min(MAX_ENCODED_WORD_LENGTH, options.maxLength ?? MAX_ENCODED_WORD_LENGTH));
  const firstMaxLength = Math.max(
    MIN_ENCODED_WORD_BUDGET,
    Math.min(MAX_ENCODED_WORD_LENGTH, options.firstMaxLength ?? maxLength),
  );

  const words: string[] = [];
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let pendingQ = 0;
  const flush = (): void => {
    if (pendingBytes > 0) {
      words.push(wrap(encoding, Buffer.concat(pending)));
    }
    pending = [];
    pendingBytes = 0;
    pendingQ = 0;
  };

  for (const character of text) {
    const bytes = Buffer.from(character, 'utf8');
    const budget = (words.length === 0 ? firstMaxLength : maxLength) - WORD_OVERHEAD;
    const nextQ = pendingQ + qCost(bytes);
    const nextLength = encoding === 'B' ? bCost(pendingBytes + bytes.length) : nextQ;
    if (nextLength > budget && pendingBytes > 0) {
      flush();
    }
    pending.push(bytes);
    pendingBytes += bytes.length;
    pendingQ += qCost(bytes);
  }
  flush();
  return words;
}
