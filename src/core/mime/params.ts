/**
 * Header parameters (RFC 2045 5.1) for Content-Type and Content-Disposition, as segments
 * (see headers.ts): the `;` ends one segment and the next parameter starts a new one after a
 * space, so the folder can break between parameters.
 *
 * File names get two spellings so every client finds one it understands:
 * - Content-Disposition `filename` (RFC 2183) per RFC 2231: a plain quoted-string when the
 *   name is short printable ASCII, otherwise `filename*=UTF-8''%E5%91%A8…` and, when that
 *   would not fit on a line, numbered continuations `filename*0*=…; filename*1*=…` (2231 3, 4).
 * - Content-Type `name` with RFC 2047 encoded-words inside the quotes. RFC 2047 5 does not
 *   sanction that, but older clients (Outlook, Lotus) read only this form.
 */
import { encodeWords } from './encoded-words';

/** RFC 2045 5.1 tspecials. */
const TSPECIALS = /[()<>@,;:\\"/[\]?=]/;
const TOKEN = /^[\x21-\x7e]+$/;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** ` filename*10*=` plus the trailing `;` stay within 78 columns with this much value. */
const CONTINUATION_VALUE_LENGTH = 60;
/** Quoted values up to this length keep ` filename="…";` within 78 columns. */
const SHORT_QUOTED_LENGTH = 64;
/** Encoded-words inside ` name="…"` stay within 78 columns. */
const NAME_WORD_LENGTH = 68;

/** A parameter is one or more segments; only the first is preceded by `; `. */
export type ParameterSegments = readonly string[];

export function quoteParameterValue(value: string): string {
  return `"${value.replace(/(["\\])/g, '\\$1')}"`;
}

/** `name=value`, quoting the value unless it is an RFC 2045 token. */
export function simpleParameter(name: string, value: string): ParameterSegments {
  const isToken = TOKEN.test(value) && !TSPECIALS.test(value);
  return [`${name}=${isToken ? value : quoteParameterValue(value)}`];
}

/** RFC 2231 7: attribute-char is any CHAR except SPACE, CTLs, `*`, `'`, `%` and tspecials. */
function isAttributeChar(byte: number): boolean {
  if (byte <= 0x20 || byte >= 0x7f) {
    return false;
  }
  const character = String.fromCharCode(byte);
  return !TSPECIALS.test(character) && character !== '*' && character !== "'" && character !== '%';
}

/** Percent-encodes one character's UTF-8 octets (RFC 2231 4). */
function percentEncodeCharacter(character: string): string {
  let out = '';
  for (const byte of Buffer.from(character, 'utf8')) {
    out += isAttributeChar(byte) ? String.fromCharCode(byte) : '%' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/**
 * RFC 2231 file name parameter. Pieces are cut between characters, never inside a UTF-8
 * sequence, so even a decoder that decodes each piece alone gets whole characters.
 */
export function filenameParameter(filename: string): ParameterSegments[] {
  const quoted = quoteParameterValue(filename);
  if (PRINTABLE_ASCII.test(filename) && quoted.length <= SHORT_QUOTED_LENGTH) {
    return [[`filename=${quoted}`]];
  }
  const encodedCharacters = [...filename].map(percentEncodeCharacter);
  const whole = encodedCharacters.join('');
  if (whole.length <= CONTINUATION_VALUE_LENGTH) {
    return [[`filename*=UTF-8''${whole}`]];
  }
  const pieces: string[] = [];
  let current = '';
  for (const encoded of encodedCharacters) {
    const room = pieces.length === 0 ? CONTINUATION_VALUE_LENGTH - "UTF-8''".length : CONTINUATION_VALUE_LENGTH;
    if (current.length + encoded.length > room && current !== '') {
      pieces.push(current);
      current = '';
    }
    current += encoded;
  }
  pieces.push(current);
  return pieces.map((piece, index) => [`filename*${index}*=${index === 0 ? "UTF-8''" : ''}${piece}`]);
}

/** Content-Type `name` for old clients: plain when short ASCII, else encoded-words in quotes. */
export function nameParameter(filename: string): ParameterSegments {
  const quoted = quoteParameterValue(filename);
  if (PRINTABLE_ASCII.test(filename) && !filename.includes('=?') && quoted.length <= SHORT_QUOTED_LENGTH) {
    return [`name=${quoted}`];
  }
  const words = encodeWords(filename, { maxLength: NAME_WORD_LENGTH });
  return words.map((word, index) => {
    const open = index === 0 ? 'name="' : ' ';
    const close = index === words.length - 1 ? '"' : '';
    return `${open}${word}${close}`;
  });
}

/** Joins a value and its parameters into header segments: `value;`, ` p1=…;`, ` p2=…`. */
export function withParameters(value: string, parameters: readonly ParameterSegments[]): string[] {
  const segments = [value];
  for (const parameter of parameters) {
    segments[segments.length - 1] += ';';
    parameter.forEach((segment, index) => segments.push(index === 0 ? ` ${segment}` : segment));
  }
  return segments;
}
