/**
 * Content-Transfer-Encoding for text bodies (RFC 2045 section 6), chosen from the content:
 *
 * - 7bit: all ASCII, no NUL, every line at most 998 octets (RFC 5322 2.1.1, RFC 2045 2.7).
 * - quoted-printable: when it is no longer than base64, i.e. the text is mostly ASCII; it also
 *   rescues over-long ASCII lines with soft breaks.
 * - 8bit: mostly non-ASCII text when the server offers 8BITMIME (RFC 6152) and lines fit.
 * - base64: everything else.
 */
import { base64EncodedLength, encodeBase64Lines } from './base64-lines';
import { MAX_LINE_LENGTH } from './headers';

export type TransferEncoding = '7bit' | '8bit' | 'quoted-printable' | 'base64';

/**
 * CRLF everywhere (RFC 5322 2.3: lines end in CRLF; a bare CR or LF is not allowed), and a
 * non-empty text ends with a line break so the body is made of whole lines.
 */
export function normaliseTextBody(text: string): Buffer {
  let normalised = text.replace(/\r\n|\r|\n/g, '\r\n');
  if (normalised !== '' && !normalised.endsWith('\r\n')) {
    normalised += '\r\n';
  }
  return Buffer.from(normalised, 'utf8');
}

interface BodyFacts {
  readonly nonAscii: number;
  readonly hasNul: boolean;
  readonly longestLine: number;
}

function inspect(body: Buffer): BodyFacts {
  let nonAscii = 0;
  let hasNul = false;
  let longestLine = 0;
  let lineStart = 0;
  for (let i = 0; i < body.length; i++) {
    const byte = body[i] ?? 0;
    if (byte >= 0x80) {
      nonAscii++;
    } else if (byte === 0) {
      hasNul = true;
    } else if (byte === 0x0a) {
      // Bodies are CRLF-normalised, so the line ends one octet earlier, at the CR.
      longestLine = Math.max(longestLine, i - 1 - lineStart);
      lineStart = i + 1;
    }
  }
  longestLine = Math.max(longestLine, body.length - lineStart);
  return { nonAscii, hasNul, longestLine };
}

export interface EncodedBody {
  readonly encoding: TransferEncoding;
  readonly data: Buffer;
}

/** Picks the transfer encoding for a CRLF-normalised UTF-8 text body and encodes it. */
export function encodeTextBody(body: Buffer, eightBitMime: boolean): EncodedBody {
  const facts = inspect(body);
  const linesFit = facts.longestLine <= MAX_LINE_LENGTH && !facts.hasNul;
  if (facts.nonAscii === 0 && linesFit) {
    return { encoding: '7bit', data: body };
  }
  const quoted = encodeQuotedPrintable(body);
  if (quoted.length <= base64EncodedLength(body.length)) {
    return { encoding: 'quoted-printable', data: quoted };
  }
  if (eightBitMime && linesFit) {
    return { encoding: '8bit', data: body };
  }
  return { encoding: 'base64', data: encodeBase64Lines(body) };
}

/** RFC 2045 6.7: encoded lines are at most 76 characters, a soft break `=` included. */
const QP_LINE_LENGTH = 76;

function hex(byte: number): string {
  return '=' + byte.toString(16).toUpperCase().padStart(2, '0');
}

/**
 * Quoted-printable (RFC 2045 6.7) of a CRLF-normalised body: CRLF stays a hard line break,
 * `=` and non-printables become `=XX` (rules 1, 2), whitespace at the end of a line is
 * encoded (rule 3), and long lines get soft breaks without splitting an `=XX` (rule 5).
 */
export function encodeQuotedPrintable(body: Buffer): Buffer {
  const text = body.toString('latin1'); // one char per octet
  const lines = text.split('\r\n');
  const out: string[] = [];
  lines.forEach((line, lineIndex) => {
    let current = '';
    for (let i = 0; i < line.length; i++) {
      const byte = line.charCodeAt(i);
      const isLast = i === line.length - 1;
      let token: string;
      if ((byte >= 33 && byte <= 126 && byte !== 61) || ((byte === 32 || byte === 9) && !isLast)) {
        token = line[i] ?? '';
      } else {
        token = hex(byte);
      }
      // A line that still continues needs one column for the soft break `=`.
      const limit = isLast ? QP_LINE_LENGTH : QP_LINE_LENGTH - 1;
      if (current.length + token.length > limit) {
        out.push(current + '=\r\n');
        current = '';
      }
      current += token;
    }
    out.push(lineIndex < lines.length - 1 ? current + '\r\n' : current);
  });
  return Buffer.from(out.join(''), 'latin1');
}
