/** Markdown → HTML email document, with local images checked and embedded as cid: parts. */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareMarkdown } from '../../../src/core/markdown';
import type { PreparedMarkdown } from '../../../src/core/markdown';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
const JPEG = Buffer.concat([Buffer.from('ffd8ffe000104a464946', 'hex'), Buffer.alloc(1224, 1)]);
const GIF = Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1');
const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.from([36, 0, 0, 0]), Buffer.from('WEBPVP8 ')]);
const testIds = (index: number): string => `image${index}@test.example`;

describe('prepareMarkdown / renderHtml', () => {
  let folder = '';
  let workspace = '';
  let outside = '';
  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'sae-md-'));
    workspace = join(folder, 'workspace');
    outside = join(folder, 'elsewhere');
    await mkdir(join(workspace, 'assets'), { recursive: true });
    await mkdir(outside);
    await writeFile(join(workspace, 'assets', 'chart.png'), PNG);
    await writeFile(join(workspace, 'photo one.jpg'), JPEG);
    await writeFile(join(workspace, 'anim.gif'), GIF);
    await writeFile(join(workspace, 'pic.webp'), WEBP);
    await writeFile(join(workspace, 'really-a-jpeg.png'), JPEG);
    await writeFile(join(workspace, 'notes.txt'), 'secret notes\n');
    await writeFile(join(workspace, 'secret.bin'), Buffer.from([0, 1, 2, 3]));
    await writeFile(join(workspace, 'empty.png'), Buffer.alloc(0));
    await writeFile(join(workspace, 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"></svg>');
    await writeFile(join(workspace, 'drawing.xml'), '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"></svg>');
    await writeFile(join(outside, 'id_rsa'), '-----BEGIN OPENSSH PRIVATE KEY-----\n');
    await writeFile(join(outside, 'holiday.png'), PNG);
    await symlink(join(workspace, 'assets', 'chart.png'), join(workspace, 'same-chart.png'));
    await symlink(join(outside, 'id_rsa'), join(workspace, 'innocent.png'));
    await symlink(join(outside, 'holiday.png'), join(workspace, 'linked.png'));
    await writeFile(join(workspace, 'x\u202Egnp.exe'), PNG);
    await symlink(join(workspace, 'x\u202Egnp.exe'), join(workspace, 'plain.png'));
  });
  after(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  const prepare = (source: string, bodyStartLine = 1, untrusted = false): Promise<PreparedMarkdown> =>
    prepareMarkdown(source, { baseDir: workspace, homeDir: outside, root: workspace, untrusted, bodyStartLine });
  const render = async (source: string, bodyStartLine = 1): Promise<PreparedMarkdown & { html: string }> => {
    const prepared = await prepare(source, bodyStartLine);
    return { ...prepared, html: await prepared.renderHtml(testIds) };
  };

  it('produces a complete HTML document with inline styles', async () => {
    const { html, problems } = await render('# Title\n\n> quote\n\n`code`\n\n```\nblock\n```\n\n| a |\n|---|\n| 1 |\n');
    assert.deepEqual(problems, []);
    assert.match(html, /^<!doctype html>\n<html>\n<head>\n<meta charset="utf-8">/);
    assert.match(html, /<\/body>\n<\/html>\n$/);
    assert.match(html, /<h1 style="[^"]*font-size: 2em[^"]*">Title<\/h1>/);
    assert.match(html, /<blockquote style="[^"]*border-left/);
    assert.match(html, /<code style="[^"]*monospace[^"]*">code<\/code>/);
    assert.match(html, /<pre dir="ltr" style="[^"]*background-color[^"]*"><code style="[^"]*monospace[^"]*">block\n<\/code><\/pre>/);
    assert.match(html, /<table style="[^"]*border-collapse/);
    assert.match(html, /<td style="[^"]*border:[^"]*">1<\/td>/);
  });

  it('linkifies bare URLs and passes harmless raw HTML through', async () => {
    const { html } = await render('See https://example.com/x and <span style="color:red">red</span>\n');
    assert.match(html, /<a href="https:\/\/example.com\/x" style="color: #0969da;[^"]*">https:\/\/example.com\/x<\/a>/);
    assert.match(html, /<span style="color:red">red<\/span>/);
  });

  it('embeds local images as cid: parts named by the identity, the same real file once', async () => {
    const { html, inlineImages, problems } = await render('![a](assets/chart.png) ![b](./assets/chart.png) ![c](same-chart.png)\n\n![d](<photo one.jpg>)\n');
    assert.deepEqual(problems, []);
    assert.deepEqual(inlineImages, [
      {
        index: 1,
        written: 'assets/chart.png',
        path: join(workspace, 'assets', 'chart.png'),
        realPath: join(workspace, 'assets', 'chart.png'),
        filename: 'chart.png',
        contentType: 'image/png',
        size: PNG.length,
        outside: false,
      },
      {
        index: 2,
        written: 'photo one.jpg',
        path: join(workspace, 'photo one.jpg'),
        realPath: join(workspace, 'photo one.jpg'),
        filename: 'photo one.jpg',
        contentType: 'image/jpeg',
        size: JPEG.length,
        outside: false,
      },
    ]);
    assert.equal(html.match(/src="cid:image1@test\.example"/g)?.length, 3);
    assert.match(html, /src="cid:image2@test\.example"/);
  });

  it('renders one prepared body for any identity: the Content-IDs come from the caller, not the renderer', async () => {
    const prepared = await prepare('![a](assets/chart.png)\n');
    const first = await prepared.renderHtml((index) => `image${index}.aaaa@one.example`);
    const second = await prepared.renderHtml((index) => `image${index}.bbbb@two.example`);
    assert.match(first, /src="cid:image1\.aaaa@one\.example"/);
    assert.match(second, /src="cid:image1\.bbbb@two\.example"/);
    assert.equal(await prepared.renderHtml((index) => `image${index}.aaaa@one.example`), first);
  });

  it('types each image by its leading bytes, not its name (PNG, JPEG, GIF, WebP)', async () => {
    const { inlineImages, problems } = await render('![a](really-a-jpeg.png) ![b](anim.gif) ![c](pic.webp)\n');
    assert.deepEqual(problems, []);
    assert.deepEqual(inlineImages.map((image) => [image.filename, image.contentType]), [
      ['really-a-jpeg.png', 'image/jpeg'],
      ['anim.gif', 'image/gif'],
      ['pic.webp', 'image/webp'],
    ]);
  });

  it('refuses a file that is not an image, at the image, in every image syntax (exfiltration through ![x](secret))', async () => {
    const source = [
      'Inline ![x](notes.txt) here.', // line 5
      '',
      'Reference ![y][key] here.', // line 7
      '',
      '[![z](secret.bin)](https://example.com/)', // line 9
      '',
      '![w](empty.png)', // line 11
      '',
      '[key]: secret.bin',
      '',
    ].join('\n');
    const { problems, inlineImages } = await prepare(source, 5);
    assert.deepEqual(inlineImages, []);
    assert.deepEqual(
      problems.map((problem) => [problem.severity, problem.code, problem.start.line, problem.start.column]),
      [
        ['error', 'not-an-image', 5, 8],
        ['error', 'not-an-image', 7, 11],
        ['error', 'not-an-image', 9, 2],
        ['error', 'not-an-image', 11, 1],
      ],
    );
    assert.match(problems[0]?.message ?? '', /^notes\.txt is not an image — use attach: to send other files\.$/);
    assert.equal(problems[0]?.text.template, '{0} is not an image — use attach: to send other files.');
    assert.deepEqual(problems[0]?.end, { line: 5, column: 8 + '![x](notes.txt)'.length });
  });

  it('refuses a symlink named like an image whose target is not one (innocent.png -> ~/.ssh/id_rsa)', async () => {
    const { problems, inlineImages } = await prepare('![i](innocent.png)\n');
    assert.deepEqual(inlineImages, []);
    assert.deepEqual(problems.map((problem) => problem.code), ['not-an-image']);
  });

  it('refuses an image whose written path or real file name holds a bidi control (x\u202Egnp.exe reads "xexe.png")', async () => {
    // Regression: attachments refused such names, images did not, and parts.ts wrote the name
    // into filename= — the check now lives in the one local-file rule both go through.
    const { problems, inlineImages } = await prepare('![a](x%E2%80%AEgnp.exe) ![b](plain.png)\n');
    assert.deepEqual(inlineImages, []);
    assert.deepEqual(problems.map((problem) => [problem.severity, problem.code]), [['error', 'format-character'], ['error', 'format-character']]);
    assert.match(problems[0]?.message ?? '', /U\+202E/);
  });

  it('refuses SVG with advice (most mail clients do not show it), by name or by content', async () => {
    const { problems } = await prepare('![a](logo.svg) ![b](drawing.xml)\n');
    assert.deepEqual(problems.map((problem) => problem.code), ['not-an-image', 'not-an-image']);
    for (const problem of problems) assert.match(problem.message, /SVG image, which most mail clients do not show — convert it to PNG, or use attach:/);
  });

  it('does not embed local files named in raw HTML <img>', async () => {
    const { html, inlineImages, problems } = await render('<img src="secret.bin"> and <img src="/etc/passwd">\n');
    assert.deepEqual(inlineImages, []);
    assert.deepEqual(problems, []);
    assert.doesNotMatch(html, /cid:/);
  });

  it('warns, showing the real path, when an image lies outside the workspace folder (through a link too)', async () => {
    const { problems, inlineImages } = await prepare('Look: ![h](linked.png)\n\n![k](~/holiday.png)\n', 3);
    assert.deepEqual(inlineImages.map((image) => [image.filename, image.realPath, image.outside]), [['holiday.png', join(outside, 'holiday.png'), true]]);
    assert.deepEqual(problems.map((problem) => [problem.severity, problem.code, problem.start]), [
      ['warning', 'image-outside-workspace', { line: 3, column: 7 }],
      ['warning', 'image-outside-workspace', { line: 5, column: 1 }],
    ]);
    assert.ok(problems[0]?.message.includes(join(outside, 'holiday.png')), problems[0]?.message);
  });

  it('refuses an image from outside the workspace folder when the workspace is not trusted', async () => {
    const { problems, inlineImages } = await prepare('![h](linked.png) ![ok](assets/chart.png)\n', 1, true);
    assert.deepEqual(inlineImages.map((image) => image.filename), ['chart.png']);
    assert.deepEqual(problems.map((problem) => [problem.severity, problem.code]), [['error', 'image-outside-workspace']]);
    assert.ok(problems[0]?.message.includes(join(outside, 'holiday.png')));
  });

  it('leaves remote images alone and drops data: images (only http, https, mailto and cid survive)', async () => {
    const source = '![r](https://example.com/a.png) ![h](http://example.com/b.gif) ![d](data:image/png;base64,iVBORw0KGgo=)\n';
    const { html, inlineImages, problems } = await render(source);
    assert.deepEqual(inlineImages, []);
    assert.deepEqual(problems, []);
    assert.match(html, /src="https:\/\/example.com\/a.png"/);
    assert.match(html, /src="http:\/\/example.com\/b.gif"/);
    assert.doesNotMatch(html, /data:/);
  });

  it('reports a missing local image at its ![ in the draft', async () => {
    const source = 'Intro line\n\nText and ![gone](missing/pic.png) here, ![ok](assets/chart.png)\n';
    const { problems, inlineImages } = await prepare(source, 8);
    assert.equal(inlineImages.length, 1);
    assert.equal(problems.length, 1);
    const [problem] = problems;
    assert.equal(problem?.code, 'missing-image');
    assert.equal(problem?.severity, 'error');
    assert.deepEqual(problem?.start, { line: 10, column: 10 });
    assert.deepEqual(problem?.end, { line: 10, column: 10 + '![gone](missing/pic.png)'.length });
    assert.match(problem?.message ?? '', /missing\/pic\.png/);
  });

  it('positions images inside lists, tables, quotes and continuation lines', async () => {
    const source = ['- item', '- two ![x](nope.png)', '', '| a | b |', '|---|---|', '| ![y](nope2.png) | ![z](nope3.png) |', '', '> quoted ![q](nope4.png)', '', 'first line', '   second ![s](nope5.png)', ''].join('\n');
    const { problems } = await prepare(source, 3);
    assert.deepEqual(problems.map((problem) => problem.start), [
      { line: 4, column: 7 },
      { line: 8, column: 3 },
      { line: 8, column: 21 },
      { line: 10, column: 10 },
      { line: 13, column: 11 },
    ]);
  });

  it('positions two equal images in one table row at their own columns', async () => {
    // Regression: each cell searched its source line from column 0, so both were put at the first.
    const source = ['| a | b |', '|---|---|', '| ![a](missing.png) | ![a](missing.png) |', ''].join('\n');
    const { problems } = await prepare(source, 1);
    assert.deepEqual(problems.map((problem) => problem.start), [
      { line: 3, column: 3 },
      { line: 3, column: 23 },
    ]);
  });

  it('removes scripts, event handlers and javascript: URLs from raw HTML', async () => {
    const source = [
      '<script>alert(1)</script>',
      '',
      'Inline <script>alert(2)</script> and <b onclick="steal()">bold</b> <a href="javascript:alert(3)">x</a>',
      '',
      '<img src="x.png" onerror=alert(4)>',
      '',
    ].join('\n');
    const { html } = await render(source);
    assert.doesNotMatch(html, /<script/i);
    assert.doesNotMatch(html, /alert\(/);
    assert.doesNotMatch(html, /onclick|onerror/);
    assert.doesNotMatch(html, /javascript:/);
    assert.match(html, /<b>bold<\/b>/);
  });
});
