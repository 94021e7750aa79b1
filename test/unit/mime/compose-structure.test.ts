/**
 * Header order, envelope, Bcc handling, encodings chosen per body, boundaries, and the
 * refusal of headers the composer owns.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../../../src/core/errors';
import { randomIdentity } from '../../../src/core/identity';
import { ComposeError, composeMessage } from '../../../src/core/mime';
import type { ComposeOptions } from '../../../src/core/mime';
import { FIXED, attachmentFor, fixedIdentity, makeDraft } from '../../support/mime-drafts';
import { collect, headerBlock, linesLongerThan } from '../../support/mime-parsers';

async function compose(options: Partial<ComposeOptions> & Pick<ComposeOptions, 'draft'>): Promise<{ text: string; bytes: Buffer; message: Awaited<ReturnType<typeof composeMessage>> }> {
  const message = await composeMessage({ ...FIXED, ...options });
  const bytes = await collect(message.stream());
  return { text: bytes.toString('utf8'), bytes, message };
}

function headerNames(bytes: Buffer): string[] {
  return headerBlock(bytes)
    .split('\r\n')
    .filter((line) => /^[^\s:]+:/.test(line))
    .map((line) => line.slice(0, line.indexOf(':')));
}

describe('composeMessage headers and envelope', () => {
  it('writes headers in the agreed order and never a Bcc', async () => {
    const { bytes, message } = await compose({
      draft: makeDraft({
        to: [{ address: 'to@example.com' }],
        cc: [{ address: 'cc@example.com' }],
        bcc: [{ address: 'hidden@example.com' }],
        replyTo: [{ address: 'reply@example.com' }],
        inReplyTo: '<a@example.com>',
        references: ['<r@example.com>'],
        headers: [{ name: 'X-Custom', value: 'yes' }],
      }),
    });
    assert.deepEqual(headerNames(bytes), [
      'Date', 'From', 'To', 'Cc', 'Reply-To', 'Subject', 'Message-ID', 'In-Reply-To', 'References',
      'X-Custom', 'MIME-Version', 'Content-Type', 'Content-Transfer-Encoding',
    ]);
    assert.ok(!bytes.toString('utf8').includes('hidden@example.com'));
    assert.deepEqual(message.envelope.to, ['to@example.com', 'cc@example.com', 'hidden@example.com']);
    assert.equal(message.envelope.from, 'alice@example.com');
    assert.deepEqual(message.summary.bcc, ['hidden@example.com']);
  });

  it('writes the Date in the sender\'s zone (RFC 5322 3.3), not always +0000', async () => {
    const date = new Date(Date.UTC(2027, 0, 3, 4, 5, 6));
    const dateLine = async (zoneOffset: number): Promise<string> =>
      /^Date: ([^\r]*)\r\n/.exec((await compose({ draft: makeDraft(), identity: fixedIdentity({ date, zoneOffset }) })).text)?.[1] ?? '';
    assert.equal(await dateLine(0), 'Sun, 03 Jan 2027 04:05:06 +0000');
    assert.equal(await dateLine(480), 'Sun, 03 Jan 2027 12:05:06 +0800');
    assert.equal(await dateLine(-210), 'Sun, 03 Jan 2027 00:35:06 -0330');
    assert.equal(await dateLine(-300), 'Sat, 02 Jan 2027 23:05:06 -0500');
  });

  it('takes the Message-ID from the identity (on the sender domain, A-label, when random)', async () => {
    const identity = randomIdentity('me@bücher.example');
    const message = await composeMessage({ ...FIXED, draft: makeDraft(), from: { address: 'me@bücher.example' }, identity });
    const text = (await collect(message.stream())).toString('utf8');
    assert.equal(message.messageId, identity.messageId);
    assert.match(message.messageId, /^<[^@<>]+@xn--bcher-kva\.example>$/);
    assert.ok(text.includes(`Message-ID: ${message.messageId}\r\n`));
  });

  it('writes an empty group when only Bcc recipients exist', async () => {
    const { text, message } = await compose({ draft: makeDraft({ to: [], bcc: [{ address: 'b@example.com' }] }) });
    assert.match(text, /\r\nTo: undisclosed-recipients:;\r\n/);
    assert.deepEqual(message.envelope.to, ['b@example.com']);
  });

  it('deduplicates envelope recipients', async () => {
    const { message } = await compose({ draft: makeDraft({ to: [{ address: 'x@example.com' }], cc: [{ address: 'x@example.com' }], bcc: [{ address: 'x@example.com' }] }) });
    assert.deepEqual(message.envelope.to, ['x@example.com']);
  });

  it('sends one RCPT to a person in both To and Bcc spelled with another domain case (first spelling wins)', async () => {
    const { text, message } = await compose({
      draft: makeDraft({ to: [{ address: 'bob@example.com' }], cc: [{ address: 'Carol@EXAMPLE.org' }], bcc: [{ address: 'bob@Example.COM' }, { address: 'Carol@example.org' }] }),
    });
    assert.deepEqual(message.envelope.to, ['bob@example.com', 'Carol@EXAMPLE.org']);
    assert.match(text, /\r\nTo: bob@example\.com\r\n/, 'the person stays visible in To');
  });

  it('keeps local parts that differ only in case apart (RFC 5321 2.4: only the receiving host may fold them)', async () => {
    const { message } = await compose({ draft: makeDraft({ to: [{ address: 'bob@example.com' }], bcc: [{ address: 'Bob@example.com' }] }) });
    assert.deepEqual(message.envelope.to, ['bob@example.com', 'Bob@example.com']);
  });

  it('needs SMTPUTF8 for a non-ASCII local part and leaves it UTF-8 in the header (RFC 6532)', async () => {
    const { text, message } = await compose({ draft: makeDraft({ to: [{ name: 'Jörg', address: 'jörg@münchen.example' }] }) });
    assert.equal(message.envelope.smtpUtf8, true);
    assert.deepEqual(message.envelope.to, ['jörg@xn--mnchen-3ya.example']);
    assert.match(text, /\r\nTo: =\?UTF-8\?[BQ]\?[^?]+\?= <jörg@xn--mnchen-3ya\.example>\r\n/);
    const ascii = await compose({ draft: makeDraft() });
    assert.equal(ascii.message.envelope.smtpUtf8, false);
  });

  it('refuses extra headers the composer owns, and header injection', async () => {
    for (const name of ['Bcc', 'MIME-Version', 'Content-Type', 'content-transfer-encoding', 'Subject', 'Message-ID']) {
      await assert.rejects(composeMessage({ ...FIXED, draft: makeDraft({ headers: [{ name, value: 'x' }] }) }), (error: unknown) => error instanceof ComposeError && error.reason === 'invalid-header');
    }
    await assert.rejects(composeMessage({ ...FIXED, draft: makeDraft({ subject: 'hi\r\nBcc: evil@example.com' }) }), ComposeError);
    await assert.rejects(composeMessage({ ...FIXED, draft: makeDraft({ headers: [{ name: 'X-A', value: 'a\nb' }] }) }), ComposeError);
    await assert.rejects(composeMessage({ ...FIXED, draft: makeDraft({ headers: [{ name: 'Bad Name', value: 'a' }] }) }), ComposeError);
  });

  it('refuses addresses that cannot be written', async () => {
    for (const address of ['no-at-sign', 'a@', '@b.example', 'a@b.example>\r\nBcc: x', 'a@exa mple.com']) {
      await assert.rejects(composeMessage({ ...FIXED, draft: makeDraft({ to: [{ address }] }) }), (error: unknown) => error instanceof ComposeError && error.reason === 'invalid-address', address);
    }
  });

  it('folds and encodes extra header values', async () => {
    const long = Array.from({ length: 30 }, (_, i) => `word${i}`).join(' ');
    const { text } = await compose({ draft: makeDraft({ headers: [{ name: 'X-Long', value: long }, { name: 'X-Name', value: 'Grüße' }] }) });
    const block = headerBlock(Buffer.from(text));
    assert.ok(block.includes('X-Long: word0 word1'));
    assert.ok(block.split('\r\n').every((line) => line.length <= 78));
    assert.equal(block.match(/X-Long: [^]*?\r\n(?=\S)/)?.[0].replace(/\r\n /g, ' ').trim(), `X-Long: ${long}`);
    assert.match(block, /\r\nX-Name: =\?UTF-8\?[BQ]\?/);
  });

  it('keeps every line within 998 octets even for huge unbreakable input', async () => {
    const { bytes } = await compose({ draft: makeDraft({ subject: 'z'.repeat(3000), to: [{ name: 'n'.repeat(2000), address: 'a@example.com' }], body: 'q'.repeat(5000) }) });
    assert.deepEqual(linesLongerThan(bytes, 998), []);
    assert.deepEqual(linesLongerThan(Buffer.from(headerBlock(bytes)), 78), []);
  });

  it('throws ComposeError as a member of the application error family (kind compose, reason, LocalizedText)', async () => {
    await assert.rejects(composeMessage({ ...FIXED, draft: makeDraft({ headers: [{ name: 'Subject', value: 'x' }] }) }), (error: unknown) => {
      assert.ok(error instanceof AppError);
      assert.ok(error instanceof ComposeError);
      assert.equal(error.kind, 'compose');
      assert.equal(error.reason, 'invalid-header');
      assert.equal(typeof error.text.template, 'string');
      assert.ok(Array.isArray(error.text.args));
      assert.doesNotMatch(error.message, /\(stage/);
      return true;
    });
  });

  it('summarises recipients and attachments for the confirmation dialog', async () => {
    const { message } = await compose({ draft: makeDraft({ to: [{ name: 'Li, Bob', address: 'bob@example.com' }, { name: '王', address: 'w@example.com' }], cc: [{ address: 'c@example.com' }] }) });
    assert.deepEqual(message.summary, {
      to: ['"Li, Bob" <bob@example.com>', '王 <w@example.com>'],
      cc: ['c@example.com'],
      bcc: [],
      attachments: [],
      attachmentBytes: 0,
    });
  });
});

describe('composeMessage body encodings', () => {
  const encodingOf = async (body: string, eightBitMime = false): Promise<{ encoding: string; eightBit: boolean }> => {
    const { text, message } = await compose({ draft: makeDraft({ body }), eightBitMime });
    return { encoding: /Content-Transfer-Encoding: (\S+)/.exec(text)?.[1] ?? '', eightBit: message.envelope.eightBit };
  };

  it('7bit for short-lined ASCII', async () => {
    assert.deepEqual(await encodingOf('hello\n'), { encoding: '7bit', eightBit: false });
    assert.deepEqual(await encodingOf(''), { encoding: '7bit', eightBit: false });
  });
  it('quoted-printable for mostly ASCII, or an ASCII line over 998 octets', async () => {
    assert.equal((await encodingOf('The café is open.\n')).encoding, 'quoted-printable');
    assert.equal((await encodingOf('The café is open.\n', true)).encoding, 'quoted-printable');
    assert.equal((await encodingOf(`${'a'.repeat(999)}\n`)).encoding, 'quoted-printable');
  });
  it('base64 for mostly non-ASCII, 8bit instead when 8BITMIME is offered', async () => {
    assert.deepEqual(await encodingOf('你好，世界。这是中文。\n'), { encoding: 'base64', eightBit: false });
    assert.deepEqual(await encodingOf('你好，世界。这是中文。\n', true), { encoding: '8bit', eightBit: true });
  });
  it('base64, not 8bit, when a non-ASCII line exceeds 998 octets', async () => {
    assert.deepEqual(await encodingOf(`${'字'.repeat(400)}\n`, true), { encoding: 'base64', eightBit: false });
  });
  it('normalises mixed line endings to CRLF', async () => {
    const { text } = await compose({ draft: makeDraft({ body: 'a\nb\r\nc\rd' }) });
    assert.ok(text.endsWith('\r\n\r\na\r\nb\r\nc\r\nd\r\n'));
    assert.ok(!/[^\r]\n/.test(text) && !/\r[^\n]/.test(text), 'only CRLF line ends');
  });
});

describe('composeMessage boundaries', () => {
  const markdown = makeDraft({ format: 'markdown', body: 'hello\n' });
  const html = { html: '<p>hello</p>\n', inlineImages: [] };

  it('asks the identity once per multipart, with its depth', async () => {
    const depths: number[] = [];
    const identity = fixedIdentity({ boundary: (depth) => { depths.push(depth); return `=_sae_t${depth}`; } });
    const { text } = await compose({ draft: markdown, html, identity });
    assert.deepEqual(depths, [0]);
    assert.ok(text.includes('Content-Type: multipart/alternative; boundary="=_sae_t0"'));
  });

  it('draws random boundaries with the =_sae_ prefix from a random identity', async () => {
    const message = await composeMessage({ ...FIXED, draft: markdown, html, identity: randomIdentity(FIXED.from.address) });
    const text = (await collect(message.stream())).toString('utf8');
    assert.match(text, /boundary="=_sae_[0-9a-f]{30}"/);
  });

  it('refuses a boundary that occurs in a 7bit part', async () => {
    const draft = makeDraft({ format: 'markdown', body: 'text with --=_sae_t0 inside\n' });
    await assert.rejects(
      composeMessage({ ...FIXED, draft, html, identity: fixedIdentity({ boundary: (depth) => `=_sae_t${depth}` }) }),
      (error: unknown) => error instanceof ComposeError && error.reason === 'boundary-collision',
    );
  });
});

describe('composeMessage attachments', () => {
  let folder = '';
  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'sae-attach-'));
  });
  after(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  const partHeaders = (text: string, filename: string): string => {
    const at = text.indexOf(`filename="${filename}"`);
    const start = text.lastIndexOf('\r\n--', at);
    return text.slice(start, text.indexOf('\r\n\r\n', at));
  };

  it('gives a UTF-8 text attachment charset=utf-8 (Mutt showed ????? without it)', async () => {
    const path = join(folder, 'notes.txt');
    await writeFile(path, 'Grüße, 你好\n');
    const { text } = await compose({ draft: makeDraft({ attachments: [attachmentFor(path)] }) });
    assert.match(partHeaders(text, 'notes.txt'), /Content-Type: text\/plain; charset=utf-8; name="notes\.txt"/);
  });

  it('gives a CSV attachment of ASCII bytes charset=utf-8 as well (ASCII is UTF-8)', async () => {
    const path = join(folder, 'numbers.csv');
    await writeFile(path, 'team,done\nweb,12\n');
    const { text } = await compose({ draft: makeDraft({ attachments: [attachmentFor(path)] }) });
    assert.match(partHeaders(text, 'numbers.csv'), /Content-Type: text\/csv; charset=utf-8; name="numbers\.csv"/);
  });

  it('gives a text attachment that is not UTF-8 no charset, and base64 (a wrong label is worse than none)', async () => {
    const path = join(folder, 'latin1.txt');
    await writeFile(path, Buffer.from('Gr\xfc\xdfe\n', 'latin1'));
    const { text } = await compose({ draft: makeDraft({ attachments: [attachmentFor(path)] }) });
    const headers = partHeaders(text, 'latin1.txt');
    assert.match(headers, /Content-Type: text\/plain; name="latin1\.txt"/);
    assert.match(headers, /Content-Transfer-Encoding: base64/);
  });

  it('never gives a binary attachment a charset', async () => {
    const { text } = await compose({ draft: makeDraft({ attachments: [attachmentFor(await writeBinary(folder))] }) });
    assert.match(partHeaders(text, 'blob.bin'), /Content-Type: application\/octet-stream; name="blob\.bin"/);
  });

  it('reads the real file and names and types the part after it, never after the link (report.pdf -> id_rsa)', async () => {
    const target = join(folder, 'id_rsa');
    await writeFile(target, 'PRIVATE KEY');
    // The draft checker resolved `report.pdf` (a symlink) to its target; the composer must use the target.
    const attachment = { path: join(folder, 'report.pdf'), realPath: target, filename: 'id_rsa', size: 11, outside: false };
    const { text } = await compose({ draft: makeDraft({ attachments: [attachment] }) });
    const headers = partHeaders(text, 'id_rsa');
    assert.match(headers, /Content-Type: application\/octet-stream; name="id_rsa"/);
    assert.doesNotMatch(text, /report\.pdf|application\/pdf/);
    assert.ok(text.includes(Buffer.from('PRIVATE KEY').toString('base64')));
  });
});

async function writeBinary(folder: string): Promise<string> {
  const path = join(folder, 'blob.bin');
  await writeFile(path, Buffer.from([0, 1, 2, 0xff, 0xfe]));
  return path;
}
