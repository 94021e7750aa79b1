/**
 * Header order, envelope, Bcc handling, encodings chosen per body, boundaries, and the
 * refusal of headers the composer owns.
 */
import assert from 'node:assert/strict';
import { ComposeError, composeMessage } from '../../../src/core/mime';
import type { ComposeOptions } from '../../../src/core/mime';
import { FIXED, makeDraft } from '../../support/mime-drafts';
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

  it('formats the date per RFC 5322 3.3 in UTC', async () => {
    const { text } = await compose({ draft: makeDraft(), date: new Date(Date.UTC(2027, 0, 3, 4, 5, 6)) });
    assert.match(text, /^Date: Sun, 03 Jan 2027 04:05:06 \+0000\r\n/);
  });

  it('makes a Message-ID on the sender domain (A-label) when none is injected', async () => {
    const message = await composeMessage({ draft: makeDraft(), from: { address: 'me@bücher.example' }, date: FIXED.date });
    const text = (await collect(message.stream())).toString('utf8');
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
      await assert.rejects(composeMessage({ ...FIXED, draft: makeDraft({ headers: [{ name, value: 'x' }] }) }), (error: unknown) => error instanceof ComposeError && error.kind === 'invalid-header');
    }
    await assert.rejects(composeMessage({ ...FIXED, draft: makeDraft({ subject: 'hi\r\nBcc: evil@example.com' }) }), ComposeError);
    await assert.rejects(composeMessage({ ...FIXED, draft: makeDraft({ headers: [{ name: 'X-A', value: 'a\nb' }] }) }), ComposeError);
    await assert.rejects(composeMessage({ ...FIXED, draft: makeDraft({ headers: [{ name: 'Bad Name', value: 'a' }] }) }), ComposeError);
  });

  it('refuses addresses that cannot be written', async () => {
    for (const address of ['no-at-sign', 'a@', '@b.example', 'a@b.example>\r\nBcc: x', 'a@exa mple.com']) {
      await assert.rejects(composeMessage({ ...FIXED, draft: makeDraft({ to: [{ address }] }) }), (error: unknown) => error instanceof ComposeError && error.kind === 'invalid-address', address);
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
  const rendered = { html: '<p>hello</p>\n', inlineImages: [], problems: [] };

  it('calls the injected boundary once per multipart, with its depth', async () => {
    const depths: number[] = [];
    const { text } = await compose({ draft: markdown, rendered, boundary: (depth) => { depths.push(depth); return `=_sae_t${depth}`; } });
    assert.deepEqual(depths, [0]);
    assert.ok(text.includes('Content-Type: multipart/alternative; boundary="=_sae_t0"'));
  });

  it('draws random boundaries with the =_sae_ prefix', async () => {
    const message = await composeMessage({ draft: markdown, from: FIXED.from, rendered });
    const text = (await collect(message.stream())).toString('utf8');
    assert.match(text, /boundary="=_sae_[0-9a-f]{30}"/);
  });

  it('refuses an injected boundary that occurs in a 7bit part', async () => {
    const draft = makeDraft({ format: 'markdown', body: 'text with --=_sae_t0 inside\n' });
    await assert.rejects(composeMessage({ ...FIXED, draft, rendered, boundary: (depth) => `=_sae_t${depth}` }), (error: unknown) => error instanceof ComposeError && error.kind === 'boundary-collision');
  });
});
