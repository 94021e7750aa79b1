/** The small encoders on their own: encoded-words, quoted-printable, base64 lines, params, folding. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Base64LineEncoder, base64EncodedLength, encodeBase64Lines } from '../../../src/core/mime/base64-lines';
import { encodeWords } from '../../../src/core/mime/encoded-words';
import { foldHeader, unstructuredSegments } from '../../../src/core/mime/headers';
import { filenameParameter, nameParameter, withParameters } from '../../../src/core/mime/params';
import { encodeQuotedPrintable } from '../../../src/core/mime/transfer-encoding';
import { formatAddrSpec, phraseSegments } from '../../../src/core/mime/addresses';

/** A test-side RFC 2047 decoder for UTF-8 B/Q words joined by whitespace. */
function decodeWords(value: string): string {
  const bytes: Buffer[] = [];
  for (const match of value.matchAll(/=\?UTF-8\?([BQ])\?([^?]*)\?=/g)) {
    const [, encoding, payload = ''] = match;
    bytes.push(
      encoding === 'B'
        ? Buffer.from(payload, 'base64')
        : Buffer.from(payload.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))), 'latin1'),
    );
  }
  return Buffer.concat(bytes).toString('utf8');
}

/** A test-side quoted-printable decoder (RFC 2045 6.7). */
function decodeQuotedPrintable(text: string): Buffer {
  const joined = text.replace(/=\r\n/g, '');
  const out: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    if (joined[i] === '=') {
      out.push(Number.parseInt(joined.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      out.push(joined.charCodeAt(i));
    }
  }
  return Buffer.from(out);
}

describe('RFC 2047 encoded-words', () => {
  const samples = ['周报 — week 48', '😀'.repeat(40), '👨‍👩‍👧‍👦 family', 'Zoë', 'a'.repeat(300), '测试主题'.repeat(50), '\u0001 control'];
  for (const sample of samples) {
    it(`round-trips ${JSON.stringify(sample.slice(0, 12))}… within 75 characters per word`, () => {
      const words = encodeWords(sample);
      assert.ok(words.every((word) => word.length <= 75), words.join('\n'));
      assert.equal(decodeWords(words.join(' ')), sample);
      // Each word alone is valid UTF-8: nothing was split inside a character.
      for (const word of words) {
        assert.ok(!decodeWords(word).includes('\uFFFD'), `split inside a character: ${word}`);
      }
    });
  }
  it('picks the shorter of B and Q', () => {
    assert.match(encodeWords('Café menu')[0] ?? '', /^=\?UTF-8\?Q\?/);
    assert.match(encodeWords('中文中文')[0] ?? '', /^=\?UTF-8\?B\?/);
  });
  it('respects a smaller budget for the first word', () => {
    const words = encodeWords('x'.repeat(200), { firstMaxLength: 40 });
    assert.ok((words[0] ?? '').length <= 40);
  });
});

describe('header folding', () => {
  it('folds at whitespace within 78 columns and unfolds to the same value', () => {
    const value = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ');
    const folded = foldHeader('Subject', unstructuredSegments('Subject', value, { encodeUnfoldableAscii: true }));
    assert.ok(folded.endsWith('\r\n'));
    assert.ok(folded.split('\r\n').every((line) => line.length <= 78));
    assert.equal(folded.replace(/\r\n$/, '').replace(/\r\n/g, ''), `Subject: ${value}`);
  });
  it('keeps runs of spaces exactly', () => {
    const value = `${'a'.repeat(60)}   b  c ${'d'.repeat(60)}`;
    const folded = foldHeader('Subject', unstructuredSegments('Subject', value, { encodeUnfoldableAscii: true }));
    assert.equal(folded.replace(/\r\n$/, '').replace(/\r\n/g, ''), `Subject: ${value}`);
    assert.ok(!folded.split('\r\n').some((line) => /^\s+$/.test(line)), 'no whitespace-only line');
  });
  it('encodes an unfoldable ASCII subject as encoded-words', () => {
    const value = 'k'.repeat(200);
    const folded = foldHeader('Subject', unstructuredSegments('Subject', value, { encodeUnfoldableAscii: true }));
    assert.ok(folded.split('\r\n').every((line) => line.length <= 78));
    assert.equal(decodeWords(folded), value);
  });
  it('refuses a line over 998 octets it cannot fold', () => {
    assert.throws(() => foldHeader('X-Token', ['t'.repeat(1000)]), /998/);
  });
});

describe('display names and addresses', () => {
  it('leaves atoms, quotes specials, encodes non-ASCII', () => {
    assert.deepEqual(phraseSegments('Bob Li'), ['Bob', ' Li']);
    assert.equal(phraseSegments('Li, Bob "the boss"').join(''), '"Li, Bob \\"the boss\\""');
    assert.equal(phraseSegments('back\\slash').join(''), '"back\\\\slash"');
    assert.equal(decodeWords(phraseSegments('张三').join('')), '张三');
    assert.equal(decodeWords(phraseSegments('=?UTF-8?B?Zm9v?=').join('')), '=?UTF-8?B?Zm9v?=');
  });
  it('converts IDN domains to A-labels and flags non-ASCII local parts', () => {
    assert.deepEqual(formatAddrSpec('a@münchen.example'), { addrSpec: 'a@xn--mnchen-3ya.example', smtpUtf8: false });
    assert.deepEqual(formatAddrSpec('用户@例子.example'), { addrSpec: '用户@xn--fsqu00a.example', smtpUtf8: true });
    assert.deepEqual(formatAddrSpec('Bob@Example.COM'), { addrSpec: 'Bob@Example.COM', smtpUtf8: false });
    assert.deepEqual(formatAddrSpec('x@[192.0.2.1]'), { addrSpec: 'x@[192.0.2.1]', smtpUtf8: false });
  });
  // One grammar (mime/grammar.ts): a local part with specials is sent quoted when written quoted
  // (RFC 5321 4.1.2) and refused unquoted, exactly as the draft checker decides.
  it('writes quoted local parts quoted, with quoted-pairs, and refuses unquoted specials', () => {
    assert.deepEqual(formatAddrSpec('"john doe"@example.com'), { addrSpec: '"john doe"@example.com', smtpUtf8: false });
    assert.deepEqual(formatAddrSpec('"a>b"@example.com'), { addrSpec: '"a>b"@example.com', smtpUtf8: false });
    assert.deepEqual(formatAddrSpec('"a\\"b"@example.com'), { addrSpec: '"a\\"b"@example.com', smtpUtf8: false });
    // A needless quote is dropped (RFC 5321 4.1.2: quote only when needed).
    assert.deepEqual(formatAddrSpec('"bob"@example.com'), { addrSpec: 'bob@example.com', smtpUtf8: false });
    assert.throws(() => formatAddrSpec('john doe@example.com'), /quoted local part/);
    assert.throws(() => formatAddrSpec('a>b@example.com'), /not a valid address/);
    assert.deepEqual(formatAddrSpec('x@[192.0.2.1]'), { addrSpec: 'x@[192.0.2.1]', smtpUtf8: false });
  });
});

describe('quoted-printable (RFC 2045 6.7)', () => {
  const roundTrip = (text: string): string => {
    const body = Buffer.from(text, 'utf8');
    const encoded = encodeQuotedPrintable(body).toString('latin1');
    assert.ok(encoded.split('\r\n').every((line) => line.length <= 76), 'lines within 76');
    assert.ok(/^[\x20-\x7e\r\n\t]*$/.test(encoded), 'printable ASCII only');
    assert.ok(decodeQuotedPrintable(encoded).equals(body), 'decodes back');
    return encoded;
  };
  it('encodes = and non-ASCII, keeps CRLF as hard breaks', () => {
    assert.equal(roundTrip('a=b café\r\nnext\r\n'), 'a=3Db caf=C3=A9\r\nnext\r\n');
  });
  it('encodes trailing whitespace (rule 3)', () => {
    assert.equal(roundTrip('end \r\ntab\t\r\n'), 'end=20\r\ntab=09\r\n');
  });
  it('soft-breaks long lines without splitting =XX', () => {
    roundTrip('é'.repeat(100));
    roundTrip(`${'a'.repeat(74)}é${'b'.repeat(200)}\r\n`);
    for (let n = 70; n < 80; n++) {
      roundTrip(`${'a'.repeat(n)}=\r\n`);
      roundTrip(`${'a'.repeat(n)} \r\n`);
    }
  });
});

describe('base64 in 76-column lines', () => {
  it('matches the arithmetic length for every small size', () => {
    for (let n = 0; n < 300; n++) {
      assert.equal(encodeBase64Lines(randomBytes(n)).length, base64EncodedLength(n), `n=${n}`);
    }
  });
  it('gives the same bytes however the input is chunked', () => {
    const data = randomBytes(10_000);
    const whole = encodeBase64Lines(data);
    for (const chunkSize of [1, 2, 3, 7, 57, 100, 4096]) {
      const encoder = new Base64LineEncoder();
      const parts: Buffer[] = [];
      for (let offset = 0; offset < data.length; offset += chunkSize) {
        parts.push(encoder.push(data.subarray(offset, offset + chunkSize)));
      }
      parts.push(encoder.end());
      assert.ok(Buffer.concat(parts).equals(whole), `chunk size ${chunkSize}`);
    }
    const lines = whole.toString('ascii').split('\r\n');
    assert.equal(lines.pop(), '');
    assert.ok(lines.every((line, index) => line.length === 76 || index === lines.length - 1));
    assert.ok(Buffer.from(lines.join(''), 'base64').equals(data));
  });
});

describe('file name parameters (RFC 2231, RFC 2047 name=)', () => {
  it('uses a plain quoted filename when short ASCII', () => {
    assert.deepEqual(filenameParameter('my report.pdf'), [['filename="my report.pdf"']]);
    assert.deepEqual(nameParameter('my report.pdf'), ['name="my report.pdf"']);
  });
  it('uses filename* for non-ASCII and continuations for long names, split between characters', () => {
    assert.deepEqual(filenameParameter('周报.pdf'), [["filename*=UTF-8''%E5%91%A8%E6%8A%A5.pdf"]]);
    const long = filenameParameter(`${'长'.repeat(60)}.bin`).map((segments) => segments.join(''));
    assert.ok(long.length > 1);
    assert.match(long[0] ?? '', /^filename\*0\*=UTF-8''/);
    long.forEach((piece, index) => {
      assert.ok(piece.startsWith(`filename*${index}*=`));
      const value = piece.replace(/^filename\*\d+\*=(UTF-8'')?/, '');
      assert.ok(!decodeURIComponent(value).includes('\uFFFD'));
    });
    const joined = long.map((piece) => piece.replace(/^filename\*\d+\*=(UTF-8'')?/, '')).join('');
    assert.equal(decodeURIComponent(joined), `${'长'.repeat(60)}.bin`);
  });
  it('keeps every parameter line within 78 columns', () => {
    const name = `${'quarterly-report-'.repeat(10)}.pdf`;
    const folded = foldHeader('Content-Disposition', withParameters('attachment', filenameParameter(name)));
    assert.ok(folded.split('\r\n').every((line) => line.length <= 78), folded);
    const typeHeader = foldHeader('Content-Type', withParameters('application/pdf', [nameParameter(name)]));
    assert.ok(typeHeader.split('\r\n').every((line) => line.length <= 78), typeHeader);
  });
});
