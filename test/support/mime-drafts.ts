/**
 * Draft objects built directly (the draft parser is tested on its own), plus the five golden
 * message cases whose expected bytes live in test/fixtures/mime/*.eml.
 */
import { statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { Draft, DraftAttachment } from '../../src/core/draft/types';
import type { MessageIdentity } from '../../src/core/identity';
import { prepareMarkdown } from '../../src/core/markdown';
import type { ComposeOptions } from '../../src/core/mime';
import type { HtmlBody } from '../../src/core/mime/types';

export const FIXTURES = resolve(__dirname, '../fixtures/mime');
export const FIXTURE_FILES = join(FIXTURES, 'files');

export function makeDraft(fields: Partial<Draft> = {}): Draft {
  return {
    format: 'plaintext',
    baseDir: FIXTURE_FILES,
    to: [{ address: 'bob@example.com' }],
    cc: [],
    bcc: [],
    replyTo: [],
    subject: 'Hello',
    attachments: [],
    references: [],
    headers: [],
    body: 'Hi Bob,\n',
    bodyStartLine: 1,
    ...fields,
  };
}

export function attachmentFor(path: string, filename = basename(path)): DraftAttachment {
  return { path, realPath: path, filename, size: statSync(path).size, outside: false };
}

/** An identity with every value pinned (UTC, so the Date reads the same on any machine). */
export function fixedIdentity(fields: Partial<MessageIdentity> = {}): MessageIdentity {
  return {
    date: new Date(Date.UTC(2026, 10, 29, 13, 52, 0)),
    zoneOffset: 0,
    messageId: '<golden.1@example.com>',
    boundary: (depth: number): string => `=_sae_golden_${depth}`,
    contentId: (index: number): string => `image${index}@golden.example`,
    ...fields,
  };
}

/** Everything that varies run to run, pinned: the options composeMessage needs besides the draft. */
export const FIXED = {
  from: { name: 'Alice Example', address: 'alice@example.com' },
  identity: fixedIdentity(),
  html: undefined,
  eightBitMime: false,
} as const;

/** The HTML alternative of a Markdown draft, rendered with `identity`'s Content-IDs (as composeDraft does). */
export async function htmlFor(draft: Draft, identity: MessageIdentity = FIXED.identity): Promise<HtmlBody> {
  const prepared = await prepareMarkdown(draft.body, {
    baseDir: draft.baseDir,
    homeDir: draft.baseDir,
    root: draft.baseDir,
    untrusted: false,
    bodyStartLine: draft.bodyStartLine,
  });
  if (prepared.problems.length > 0) throw new Error(prepared.problems.map((problem) => problem.message).join('\n'));
  return { html: await prepared.renderHtml((index) => identity.contentId(index)), inlineImages: prepared.inlineImages };
}

export interface GoldenCase {
  readonly name: string;
  readonly options: () => Promise<ComposeOptions>;
}

const MARKDOWN_WITH_IMAGE = [
  '# Weekly report',
  '',
  'The numbers are in:',
  '',
  '![chart](chart.png)',
  '',
  '| team | done |',
  '|------|-----:|',
  '| web  | 12   |',
  '',
  '> Quoted `code` and a link: https://example.com/',
  '',
].join('\n');

async function markdownOptions(draft: Draft): Promise<ComposeOptions> {
  return { ...FIXED, draft, html: await htmlFor(draft) };
}

export const GOLDEN_CASES: readonly GoldenCase[] = [
  {
    name: 'plain',
    options: () => Promise.resolve({
      ...FIXED,
      draft: makeDraft({
        to: [{ name: 'Bob Li', address: 'bob@example.com' }, { address: 'carol@example.com' }],
        cc: [{ name: '王小明', address: 'wang@example.com' }],
        bcc: [{ address: 'audit@example.com' }],
        replyTo: [{ address: 'replies@example.com' }],
        subject: 'Café menu for Friday',
        inReplyTo: '<earlier.1@example.com>',
        references: ['<root.1@example.com>', '<earlier.1@example.com>'],
        headers: [{ name: 'X-Priority', value: '3' }],
        body: 'Hi Bob,\n\nThe café opens at 9.\n.\nA line that starts with a dot is above.\n',
      }),
    }),
  },
  {
    name: 'alternative',
    options: () =>
      markdownOptions(
        makeDraft({
          format: 'markdown',
          subject: 'Plain ASCII markdown',
          body: '# Hello\n\nSome *emphasis* and a list:\n\n- one\n- two\n',
          bodyStartLine: 4,
        }),
      ),
  },
  {
    name: 'alternative-related',
    options: () => markdownOptions(makeDraft({ format: 'markdown', subject: 'Chart inside', body: MARKDOWN_WITH_IMAGE, bodyStartLine: 4 })),
  },
  {
    name: 'mixed',
    options: () => Promise.resolve({
      ...FIXED,
      draft: makeDraft({
        subject: 'Report attached',
        attachments: [attachmentFor(join(FIXTURE_FILES, 'report.pdf'), 'Quarterly report 2026.pdf')],
        body: 'See attached.\n',
      }),
    }),
  },
  {
    name: 'mixed-alternative-related',
    options: () =>
      markdownOptions(
        makeDraft({
          format: 'markdown',
          to: [{ name: '李 Bob 😀', address: 'bob@example.com' }],
          subject: '周报 — week 48',
          attachments: [attachmentFor(join(FIXTURE_FILES, 'report.pdf'), '周报 第48周.pdf')],
          body: '# 周报\n\n本周完成了全部任务。图表如下：\n\n![图表](./chart.png)\n\n谢谢！\n',
          bodyStartLine: 6,
        }),
      ),
  },
];
