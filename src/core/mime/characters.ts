/**
 * The characters of mail, the smallest part of the mail grammar (grammar.ts re-exports it): line
 * limits, what may not stand in a header or command line, and how a character is named in a
 * message. Its own file so that escape.ts, which every front end loads at start-up, does not
 * bring the whole grammar with it.
 */

/** RFC 5322 2.1.1: a line MUST be no more than 998 octets, excluding the CRLF... */
export const MAX_LINE_OCTETS = 998;
/** ...and SHOULD be no more than 78 characters. */
export const RECOMMENDED_LINE_LENGTH = 78;

/**
 * Bidi controls and invisible format characters (ALM U+061C, zero-width space/joiners, LRM/RLM,
 * the embeddings and overrides, word joiner and invisible operators, the isolates, the
 * BOM/ZWNBSP). In an address or a file name they make what the user sees differ from what is
 * sent (`résumé \u202Efdp.exe` reads "exe.pdf"). The one list: escape.ts shows the same set.
 */
export const FORMAT_CHARACTER_RANGES = '\\u061C\\u200B-\\u200F\\u202A-\\u202E\\u2060-\\u2064\\u2066-\\u2069\\uFEFF';
const FORMAT_CHARACTER = new RegExp(`[${FORMAT_CHARACTER_RANGES}]`);

/** Index of the first bidi/invisible format character in `text`, or -1. */
export function formatCharacterIndex(text: string): number {
  return text.search(FORMAT_CHARACTER);
}

export function isFormatCharacter(ch: string): boolean {
  return ch.length > 0 && FORMAT_CHARACTER.test(ch);
}

/**
 * Index of the first CR, LF or NUL, or -1. CR or LF in a header or command line would start a
 * new one (header injection, RFC 5322 2.2; SMTP smuggling, RFC 5321 2.3.8); NUL is never
 * allowed in either.
 */
export function lineBreakIndex(text: string): number {
  return text.search(/[\r\n\0]/);
}

/** True when `text` can stay on one header or command line (no CR, LF or NUL). */
export function isSingleLine(text: string): boolean {
  return lineBreakIndex(text) < 0;
}

/**
 * A character named for a message, in a form that needs no translation: printable ASCII in
 * quotes (`','`), anything invisible by its code point (`U+0020`, `U+202E`), other characters
 * by both (`U+00DC 'Ü'`), since look-alikes are common outside ASCII.
 */
export function describeCharacter(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  const codePoint = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  if (code <= 0x20 || code === 0x7f || (code >= 0x80 && code <= 0xa0) || /\s/u.test(ch) || isFormatCharacter(ch)) return codePoint;
  return code < 0x80 ? `'${ch}'` : `${codePoint} '${ch}'`;
}

/** RFC 5322 3.2.3 atext, plus (RFC 6532 3.2) any non-ASCII character that is not whitespace or a control. */
export function isAtext(ch: string): boolean {
  const code = ch.codePointAt(0) ?? 0;
  if (code >= 0x80) return code > 0x9f && !/\s/u.test(ch) && !isFormatCharacter(ch);
  return /[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]/.test(ch);
}
