/**
 * How a draft's settings reach the HTML part and what the text part becomes: `dir:` in the
 * front matter, the render options of DraftSource (the extension's settings, the CLI's config
 * file), the text part's `[image: …]`, the trust rule for the stylesheet setting, and the same
 * bytes under SOURCE_DATE_EPOCH with syntax colours and a stylesheet.
 */
import assert from 'node:assert/strict';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readRenderConfig } from '../../../src/cli/render-config';
import type { DraftSource } from '../../../src/core/compose-draft';
import { checkDraft, composeDraft } from '../../../src/core/compose-draft';
import { reproducibleIdentity } from '../../../src/core/identity';
import { readRestrictedSettings, RESTRICTED_SETTINGS } from '../../../src/core/profile-settings';
import { applyTextEdits, imagePlaceholder } from '../../../src/core/markdown/text-part';
import { collect, parseWithPython } from '../../support/mime-parsers';
import { parseLines } from '../draft/helpers';

const ROOT = resolve(__dirname, '../../..');
const CHART = join(ROOT, 'examples/demo/chart.png');

const draft = (lines: readonly string[]): string => ['---', 'from: ann@example.test', 'to: bob@example.test', 'subject: S', ...lines].join('\n');

describe('dir: in the front matter', () => {
  for (const value of ['rtl', 'ltr', 'auto', 'RTL']) {
    it(`accepts ${value}`, async () => {
      const result = await parseLines(['---', 'to: bob@example.test', 'subject: S', `dir: ${value}`, '---', 'body']);
      assert.deepEqual(result.problems, []);
      assert.equal(result.draft?.dir, value.toLowerCase());
    });
  }

  it('is an error, at the value, for anything else', async () => {
    const result = await parseLines(['---', 'to: bob@example.test', 'subject: S', 'dir: sideways', '---', 'body']);
    assert.equal(result.draft, undefined);
    const problem = result.problems.find((p) => p.severity === 'error');
    assert.equal(problem?.code, 'invalid-type');
    assert.deepEqual(problem?.start, { line: 4, column: 6 });
    assert.deepEqual(problem?.end, { line: 4, column: 14 });
    assert.match(problem?.message ?? '', /rtl, ltr or auto/);
  });

  it('is an error for a list', async () => {
    const result = await parseLines(['---', 'to: bob@example.test', 'subject: S', 'dir: [rtl]', '---', 'body']);
    assert.equal(result.draft, undefined);
    assert.ok(result.problems.some((p) => p.severity === 'error' && p.start.line === 4));
  });

  it('is absent when not written', async () => {
    const result = await parseLines(['---', 'to: bob@example.test', 'subject: S', '---', 'body']);
    assert.equal(result.draft?.dir, undefined);
  });
});

describe('composing a Markdown draft with render options', () => {
  let folder = '';
  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'sae-draft-render-'));
    await copyFile(CHART, join(folder, 'chart.png'));
    await writeFile(join(folder, 'mail.css'), 'h1 { color: #8b0000 }\n');
  });
  after(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  const source = (text: string, render?: DraftSource['render']): DraftSource => ({ text, format: 'markdown', baseDir: folder, homeDir: folder, root: folder, ...(render ? { render } : {}) });

  async function parts(text: string, render?: DraftSource['render']): Promise<{ text: string; html: string; bytes: Buffer }> {
    const result = await checkDraft(source(text, render));
    assert.ok(result.checked, result.problems.map((p) => p.message).join('; '));
    const bytes = await collect((await composeDraft(result.checked, reproducibleIdentity(text, new Date(1764424320000), 'ann@example.test'))).stream());
    const parsed = await parseWithPython(bytes);
    assert.deepEqual(parsed.defects, []);
    return { text: parsed.text ?? '', html: parsed.html ?? '', bytes };
  }

  it('writes local image references in the text part as [image: alt], remote ones as they are', async () => {
    const text = draft([
      '---',
      'The chart: ![weekly chart](chart.png) and ![](./chart.png).',
      '',
      'By reference: ![the same][fig], and remote ![logo](https://example.com/logo.png).',
      '',
      '`![code](chart.png)` stays code.',
      '',
      '[fig]: chart.png',
      '[site]: ./chart.png "also a link"',
      '',
      'A [link to the file][site] keeps its definition.',
      '',
      '```',
      '[fig]: chart.png',
      '```',
      '',
    ]);
    const { text: plain, html } = await parts(text);
    assert.doesNotMatch(plain, /^\[fig\]: chart\.png\r?\n\[site\]/m, 'the definition only an embedded image uses is left out');
    assert.match(plain, /^\[site\]: \.\/chart\.png "also a link"$/m);
    assert.match(plain, /```\r?\n\[fig\]: chart\.png\r?\n```/, 'code is never changed');
    assert.match(plain, /The chart: \[image: weekly chart\] and \[image: chart\.png\]\./);
    assert.match(plain, /By reference: \[image: the same\], and remote !\[logo\]\(https:\/\/example\.com\/logo\.png\)\./);
    assert.match(plain, /`!\[code\]\(chart\.png\)` stays code\./);
    assert.match(html, /<img src="cid:image1\.[0-9a-f]+@example\.test" alt="weekly chart"/);
  });

  it('keeps CRLF line ends and positions when replacing', () => {
    const body = 'a\r\n![x](p.png) b\r\nc ![y](q.png)\r\n';
    const replaced = applyTextEdits(body, 7, [
      { start: { line: 7 + 1, column: 1 }, end: { line: 8, column: 12 }, text: imagePlaceholder('x') },
      { start: { line: 9, column: 3 }, end: { line: 9, column: 14 }, text: imagePlaceholder('y\n z') },
    ]);
    assert.equal(replaced, 'a\r\n[image: x] b\r\nc [image: y z]\r\n');
  });

  it('follows dir: rtl in the HTML part and breaks off when asked', async () => {
    const { html } = await parts(draft(['dir: rtl', '---', 'Thanks,', 'Ann', '']), { breaks: false });
    assert.match(html, /<html dir="rtl">/);
    assert.match(html, /<p[^>]*>Thanks,\r?\nAnn<\/p>/);
  });

  it('gives the same bytes for the same draft and SOURCE_DATE_EPOCH, with colours, a stylesheet and an image', async () => {
    const text = draft(['---', '# T', '', '![c](chart.png)', '', '```ts', 'const a = 1;', '```', '']);
    const first = await parts(text, { stylesheet: 'mail.css' });
    const second = await parts(text, { stylesheet: 'mail.css' });
    assert.ok(first.bytes.equals(second.bytes));
    assert.match(first.html, /<h1 style="[^"]*color: #8b0000/);
    assert.match(first.html, /<span style="color:/);
  });
});

describe('render settings', () => {
  it('ignore an untrusted workspace\u2019s stylesheet and say so', () => {
    assert.ok(RESTRICTED_SETTINGS.includes('stylesheet'));
    const layers = {
      profiles: {},
      defaultProfile: {},
      confirmBeforeSend: {},
      trace: {},
      stylesheet: { defaultValue: '', globalValue: '~/mine.css', workspaceValue: '~/.ssh/id_rsa' },
    };
    const untrusted = readRestrictedSettings(layers, false);
    assert.equal(untrusted.stylesheet, '~/mine.css');
    assert.ok(untrusted.ignored.includes('stylesheet'));
    const trusted = readRestrictedSettings(layers, true);
    assert.equal(trusted.stylesheet, '~/.ssh/id_rsa');
    assert.deepEqual(trusted.ignored, []);
  });

  it('are read from the CLI config file: stylesheet beside the file, markdown.breaks', () => {
    assert.deepEqual(readRenderConfig({}, '/cfg/config.json'), { breaks: true, stylesheet: undefined });
    assert.deepEqual(readRenderConfig({ stylesheet: 'mail.css', markdown: { breaks: false } }, '/cfg/config.json'), { breaks: false, stylesheet: '/cfg/mail.css' });
    assert.deepEqual(readRenderConfig({ stylesheet: '~/mail.css' }, '/cfg/config.json'), { breaks: true, stylesheet: '~/mail.css' });
    assert.throws(() => readRenderConfig({ stylesheet: 3 }, '/cfg/config.json'), /"stylesheet" in \/cfg\/config\.json/);
    assert.throws(() => readRenderConfig({ markdown: { breaks: 'yes' } }, '/cfg/config.json'), /"markdown\.breaks"/);
    assert.throws(() => readRenderConfig({ markdown: true }, '/cfg/config.json'), /"markdown" in/);
  });
});
