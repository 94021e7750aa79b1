/**
 * Independent parsers agree: every message composed here is read back by CPython's `email`
 * package and by npm mailparser, and each must recover exactly what went in — recipients,
 * subject, both bodies, every attachment's name and bytes — with no Bcc header in sight.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { domainToASCII } from 'node:url';
import type { Address, Draft } from '../../../src/core/draft/types';
import type { ComposeOptions } from '../../../src/core/mime';
import { composeMessage } from '../../../src/core/mime';
import { FIXED, FIXTURE_FILES, attachmentFor, htmlFor, makeDraft } from '../../support/mime-drafts';
import type { ParsedMailbox, ParsedMessage } from '../../support/mime-parsers';
import { collect, headerBlock, linesLongerThan, parseWithMailparser, parseWithPython, sha256 } from '../../support/mime-parsers';

/** What a reader should see for a text body: LF line ends, a final newline when not empty. */
function expectedText(body: string): string {
  const lf = body.replace(/\r\n|\r/g, '\n');
  return lf === '' || lf.endsWith('\n') ? lf : `${lf}\n`;
}

function readerText(text: string | null): string {
  return (text ?? '').replace(/\r\n/g, '\n');
}

/** The A-label form a reader sees for a Unicode domain. */
function expectedMailboxes(addresses: readonly Address[], idn: Readonly<Record<string, string>> = {}): ParsedMailbox[] {
  return addresses.map((mailbox) => ({ name: mailbox.name ?? '', address: idn[mailbox.address] ?? mailbox.address }));
}

/** Header lines (message and every part) must fold within 78 columns. */
function overlongHeaderLines(message: Buffer): string[] {
  const text = message.toString('utf8');
  const blocks = [headerBlock(message)];
  for (const match of text.matchAll(/boundary="([^"]+)"/g)) {
    const delimiter = `\r\n--${match[1] ?? ''}\r\n`;
    for (let at = text.indexOf(delimiter); at >= 0; at = text.indexOf(delimiter, at + 1)) {
      const start = at + delimiter.length;
      blocks.push(text.slice(start, text.indexOf('\r\n\r\n', start)));
    }
    const first = text.indexOf(`--${match[1] ?? ''}\r\n`);
    blocks.push(text.slice(first, text.indexOf('\r\n\r\n', first)));
  }
  // A line that is one unbreakable token (after `Name: `) has nowhere to fold; any other may not pass 78.
  const foldable = (line: string): boolean => /\S[ \t]+\S/.test(line.replace(/^[^ \t:]+:[ \t]*/, '').trim());
  return blocks
    .flatMap((block) => block.split('\r\n'))
    .filter((line) => Buffer.byteLength(line, 'utf8') > 78 && foldable(line));
}

interface Case {
  readonly name: string;
  readonly draft: () => Draft | Promise<Draft>;
  readonly idn?: Readonly<Record<string, string>>;
  readonly eightBitMime?: boolean;
  /** Header lines allowed past 78 columns (unbreakable content); default none. */
  readonly allowLongHeaders?: boolean;
}

let scratch = '';

const CASES: readonly Case[] = [
  {
    name: 'Chinese and emoji in subject and display names',
    draft: () =>
      makeDraft({
        to: [{ name: '李小龙 🐉', address: 'bruce@example.com' }, { name: 'Zoë 😀👍🏽', address: 'zoe@example.com' }],
        cc: [{ name: '👨‍👩‍👧‍👦 一家人', address: 'family@example.com' }],
        bcc: [{ name: '秘密', address: 'secret@example.com' }],
        subject: '周报 — week 48 🎉 进展顺利 👍🏽 emoji 😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀',
        body: '你好，\n\n本周进展顺利。🎉\n',
      }),
  },
  {
    name: 'a 200-character subject with spaces',
    draft: () => makeDraft({ subject: Array.from({ length: 40 }, (_, i) => `w${String(i).padStart(3, '0')}`).join(' ').slice(0, 200) }),
  },
  {
    name: 'a 200-character ASCII subject without spaces',
    draft: () => makeDraft({ subject: 'x'.repeat(100) + 'Y'.repeat(100) }),
  },
  {
    name: 'a 200-character Chinese subject',
    draft: () => makeDraft({ subject: '测试主题'.repeat(50) }),
  },
  {
    name: 'subject text that looks like an encoded-word stays literal',
    draft: () => makeDraft({ subject: 'About =?UTF-8?B?Zm9v?= and =?x?= tokens' }),
  },
  {
    name: 'display names with commas, quotes and backslashes',
    draft: () =>
      makeDraft({
        to: [
          { name: 'Li, Bob "the boss"', address: 'bob@example.com' },
          { name: 'O\'Neil \\ Sons', address: 'oneil@example.com' },
          { name: 'Müller, Jörg', address: 'joerg@example.com' },
        ],
        replyTo: [{ name: 'Team; Support', address: 'support@example.com' }],
      }),
  },
  {
    name: 'an IDN domain becomes its A-label',
    draft: () => makeDraft({ to: [{ name: 'Hans', address: 'hans@münchen.example' }], cc: [{ address: 'info@bücher.example' }] }),
    idn: { 'hans@münchen.example': 'hans@xn--mnchen-3ya.example', 'info@bücher.example': 'info@xn--bcher-kva.example' },
  },
  {
    name: 'lines starting with "." and "From "',
    draft: () => makeDraft({ body: '.\n.hidden\n..two\nFrom here on\n. \n' }),
  },
  {
    name: 'an ASCII line over 998 octets',
    draft: () => makeDraft({ body: `short\n${'a'.repeat(2500)}\nend\n` }),
  },
  {
    name: 'a Chinese line over 998 octets, with 8BITMIME offered',
    draft: () => makeDraft({ body: `${'汉字'.repeat(400)}\n` }),
    eightBitMime: true,
  },
  {
    name: 'mostly Chinese body with 8BITMIME offered',
    draft: () => makeDraft({ body: '第一行\n第二行，很长的中文内容。\n' }),
    eightBitMime: true,
  },
  {
    name: 'CRLF and LF mixed, no final newline',
    draft: () => makeDraft({ body: 'one\r\ntwo\nthree\r\n\r\nfour\n\nfive' }),
  },
  {
    name: 'an empty plaintext body',
    draft: () => makeDraft({ body: '' }),
  },
  {
    name: 'an empty Markdown body',
    draft: () => makeDraft({ format: 'markdown', body: '' }),
  },
  {
    name: 'attachments: spaces, Chinese, 150+ characters, zero bytes',
    draft: async () => {
      const names = [
        'quarterly report final.pdf',
        '季度报告 最终版.docx',
        `${'very-long-file-name-'.repeat(8)}end.txt`,
        `${'长文件名'.repeat(40)}.bin`,
        'empty file.txt',
        'quote " and back\\slash.txt',
      ];
      const attachments = [];
      for (const [index, name] of names.entries()) {
        const path = join(scratch, `file${index}`);
        await writeFile(path, name.startsWith('empty') ? Buffer.alloc(0) : Buffer.from(`content of ${name}\n`.repeat(index * 30 + 1)));
        attachments.push({ path, realPath: path, filename: name, size: index === 4 ? 0 : 1, outside: false });
      }
      return makeDraft({ subject: 'Files', attachments });
    },
  },
  {
    name: 'Markdown with an image and an attachment, Chinese everywhere',
    draft: () =>
      makeDraft({
        format: 'markdown',
        to: [{ name: '王五', address: 'wang@example.com' }],
        subject: '图表 📈',
        body: '# 标题\n\n说明文字。\n\n![图](chart.png)\n\n再次引用 ![同一张](./chart.png)\n',
        attachments: [attachmentFor(join(FIXTURE_FILES, 'report.pdf'), '报告.pdf')],
      }),
  },
];

async function optionsFor(testCase: Case): Promise<ComposeOptions> {
  const draft = await testCase.draft();
  const base = { ...FIXED, draft, eightBitMime: testCase.eightBitMime ?? false };
  return draft.format === 'markdown' ? { ...base, html: await htmlFor(draft) } : base;
}

/** mailparser shows IDN domains as U-labels; compare both readers in A-label form. */
function asALabels(mailboxes: readonly ParsedMailbox[]): ParsedMailbox[] {
  return mailboxes.map(({ name, address }) => {
    const at = address.lastIndexOf('@');
    return { name, address: at < 0 ? address : `${address.slice(0, at)}@${domainToASCII(address.slice(at + 1))}` };
  });
}

function assertDecodesToInput(reader: string, parsed: ParsedMessage, options: ComposeOptions, idn: Readonly<Record<string, string>>): void {
  const { draft } = options;
  const context = `${reader}: `;
  const expectedTo = draft.to.length === 0 && draft.cc.length === 0 ? [] : expectedMailboxes(draft.to, idn);
  assert.deepEqual(asALabels(parsed.to), expectedTo, `${context}To`);
  assert.deepEqual(asALabels(parsed.cc), expectedMailboxes(draft.cc, idn), `${context}Cc`);
  assert.equal(parsed.hasBcc, false, `${context}a Bcc header was transmitted`);
  assert.equal(parsed.subject, draft.subject, `${context}Subject`);
  // mailparser reports an empty text/plain part inside a multipart as "\n" (Python: ""); the
  // bytes are right (RFC 2046 5.1.1: the CRLF before the delimiter belongs to the delimiter).
  const text = reader === 'mailparser' && draft.body === '' && parsed.text === '\n' ? '' : readerText(parsed.text);
  assert.equal(text, expectedText(draft.body), `${context}text body`);
  if (options.html === undefined) {
    assert.equal(parsed.html, null, `${context}unexpected HTML part`);
  } else {
    assert.equal(readerText(parsed.html), expectedText(options.html.html), `${context}HTML body`);
  }
  const expectedFiles = [
    ...(options.html?.inlineImages ?? []).map((image) => ({ filename: image.filename, sha256: sha256(readFileSync(image.realPath)) })),
    ...draft.attachments.map((attachment) => ({ filename: attachment.filename, sha256: sha256(readFileSync(attachment.path)) })),
  ];
  assert.deepEqual(
    parsed.attachments.map((attachment) => ({ filename: attachment.filename, sha256: attachment.sha256 })),
    expectedFiles,
    `${context}attachments`,
  );
}

describe('composed messages read back by independent parsers', () => {
  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'sae-mime-'));
  });
  after(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  for (const testCase of CASES) {
    it(testCase.name, async () => {
      const options = await optionsFor(testCase);
      const message = await composeMessage(options);
      const bytes = await collect(message.stream());
      assert.equal(message.size, bytes.length, 'size must equal the streamed length');
      assert.deepEqual(linesLongerThan(bytes, 998), [], 'no line may exceed 998 octets');
      if (testCase.allowLongHeaders !== true) {
        assert.deepEqual(overlongHeaderLines(bytes), [], 'header lines must fold within 78 columns');
      }
      assert.ok(!/^bcc:/im.test(headerBlock(bytes)), 'no Bcc header');
      const idn = testCase.idn ?? {};
      for (const ascii of Object.values(testCase.idn ?? {})) {
        assert.ok(headerBlock(bytes).includes(ascii), `the header carries ${ascii}`);
      }
      const python = await parseWithPython(bytes);
      assert.deepEqual(python.defects, [], 'Python reports no defects');
      assertDecodesToInput('python email', python, options, idn);
      assertDecodesToInput('mailparser', await parseWithMailparser(bytes), options, idn);
      const bccAddresses = options.draft.bcc.map((mailbox) => mailbox.address);
      for (const address of bccAddresses) {
        assert.ok(message.envelope.to.includes(address), `Bcc ${address} must be in the envelope`);
        assert.ok(!bytes.toString('utf8').includes(address), `Bcc ${address} must not appear in the message`);
      }
    });
  }
});
