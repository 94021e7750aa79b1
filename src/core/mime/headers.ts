/**
 * Header fields: folding (RFC 5322 2.2.3) and unstructured values (Subject, extra headers).
 *
 * A header value is built as a list of segments. Every segment after the first starts with
 * one whitespace character, placed only where the grammar allows folding white space. The
 * folder joins them and, where a line would pass 78 columns, puts CRLF before a segment's
 * leading whitespace. Unfolding (removing the CRLFs) restores the value exactly.
 */
import { localized } from '../text';
import { encodeWords } from './encoded-words';
import { ComposeError } from './errors';
import { isHeaderName, isSingleLine, MAX_LINE_OCTETS, RECOMMENDED_LINE_LENGTH, splitAtWhitespace } from './grammar';

export { RECOMMENDED_LINE_LENGTH, splitAtWhitespace } from './grammar';

export const CRLF = '\r\n';

/** RFC 5322 2.1.1: lines MUST be no more than 998 octets (the grammar's MAX_LINE_OCTETS). */
export const MAX_LINE_LENGTH = MAX_LINE_OCTETS;

/** Throws when a header value would smuggle a line break (header injection) or a NUL. */
export function assertSingleLine(name: string, value: string): void {
  if (!isSingleLine(value)) {
    throw new ComposeError('invalid-header', localized('The {0} header must not contain a line break.', name));
  }
}

export function assertFieldName(name: string): void {
  if (!isHeaderName(name)) {
    throw new ComposeError('invalid-header', localized('"{0}" is not a valid header field name (RFC 5322 3.6.8).', name));
  }
}

/**
 * Folds one header field. `segments[0]` follows `Name: `; each later segment must begin with
 * a space or tab, the only places a fold may go. Returns the field with its final CRLF.
 * Throws if a line would still exceed 998 octets (a single unbreakable segment that long).
 */
export function foldHeader(name: string, segments: readonly string[]): string {
  assertFieldName(name);
  const lines: string[] = [];
  let line = `${name}:`;
  segments.forEach((segment, index) => {
    assertSingleLine(name, segment);
    if (index === 0) {
      line += ` ${segment}`;
      return;
    }
    if (!/^[ \t]/.test(segment)) {
      throw new Error(`Internal: header segment for ${name} must start with whitespace.`);
    }
    if (Buffer.byteLength(line + segment, 'utf8') > RECOMMENDED_LINE_LENGTH) {
      lines.push(line);
      line = segment;
    } else {
      line += segment;
    }
  });
  lines.push(line);
  for (const folded of lines) {
    if (Buffer.byteLength(folded, 'utf8') > MAX_LINE_OCTETS) {
      throw new ComposeError('invalid-header', localized('The {0} header has an unbreakable part longer than {1} octets (RFC 5322 2.1.1).', name, MAX_LINE_OCTETS));
    }
  }
  return lines.join(CRLF) + CRLF;
}

const PRINTABLE_ASCII_WITH_WSP = /^[\x20-\x7e\t]*$/;

export interface UnstructuredOptions {
  /**
   * Also use encoded-words for ASCII text that cannot be folded within 78 columns (a long word
   * without spaces). Right for Subject; wrong for extra headers whose structure we do not
   * know (a URL in List-Unsubscribe must stay as written).
   */
  readonly encodeUnfoldableAscii: boolean;
}

/**
 * Segments for an unstructured value (RFC 5322 3.2.5). Printable ASCII stays readable and
 * folds at whitespace; anything else (non-ASCII, control characters, text that looks like an
 * encoded-word) becomes RFC 2047 encoded-words, which decode back to exactly the input.
 */
export function unstructuredSegments(name: string, text: string, options: UnstructuredOptions): string[] {
  assertSingleLine(name, text);
  const firstLineRoom = RECOMMENDED_LINE_LENGTH - name.length - 2;
  // "=?" in plain text would be taken for the start of an encoded-word by decoders (RFC 2047 6.1).
  if (PRINTABLE_ASCII_WITH_WSP.test(text) && !text.includes('=?')) {
    const segments = splitAtWhitespace(text);
    const fits = segments.every((segment, index) =>
      index === 0 ? segment.length <= firstLineRoom : segment.length <= RECOMMENDED_LINE_LENGTH,
    );
    if (fits || !options.encodeUnfoldableAscii) {
      return text === '' ? [] : segments;
    }
  }
  const words = encodeWords(text, { firstMaxLength: firstLineRoom });
  return words.map((word, index) => (index === 0 ? word : ` ${word}`));
}
