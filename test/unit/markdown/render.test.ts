/** Markdown → HTML email document, with local images embedded as cid: parts. */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderMarkdown } from '../../../src/core/markdown';

describe('renderMarkdown', () => {
  let folder = '';
  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'sae-md-'));
    await mkdir(join(folder, 'assets'));
    await writeFile(join(folder, 'assets', 'chart.png'), Buffer.from('89504e470d0a1a0a', 'hex'));
    await writeFile(join(folder, 'photo one.jpg'), Buffer.alloc(1234, 1));
  });
  after(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  const render = (source: string, bodyStartLine = 1) => renderMarkdown(source, { baseDir: folder, bodyStartLine, cidDomain: 'test.example' });

  it('produces a complete HTML document with inline styles', async () => {
    const { html, problems } = await render('# Title\n\n> quote\n\n`code`\n\n```\nblock\n```\n\n| a |\n|---|\n| 1 |\n');
    assert.deepEqual(problems, []);
    assert.match(html, /^<!doctype html>\n<html>\n<head>\n<meta charset="utf-8">/);
    assert.match(html, /<\/body>\n<\/html>\n$/);
    assert.match(html, /<h1>Title<\/h1>/);
    assert.match(html, /<blockquote style="[^"]*border-left/);
    assert.match(html, /<code style="[^"]*monospace[^"]*">code<\/code>/);
    assert.match(html, /<pre style="[^"]*background-color[^"]*"><code>block\n<\/code><\/pre>/);
    assert.match(html, /<table style="[^"]*border-collapse/);
    assert.match(html, /<td style="[^"]*border:[^"]*">1<\/td>/);
  });

  it('linkifies bare URLs and passes raw HTML through', async () => {
    const { html } = await render('See https://example.com/x and <span style="color:red">red</span>\n');
    assert.match(html, /<a href="https:\/\/example.com\/x">https:\/\/example.com\/x<\/a>/);
    assert.match(html, /<span style="color:red">red<\/span>/);
  });

  it('embeds local images as cid: parts, the same file once', async () => {
    const { html, inlineImages, problems } = await render('![a](assets/chart.png) ![b](./assets/chart.png)\n\n![c](<photo one.jpg>)\n');
    assert.deepEqual(problems, []);
    assert.deepEqual(inlineImages, [
      { cid: 'image1@test.example', path: join(folder, 'assets', 'chart.png'), filename: 'chart.png', contentType: 'image/png', size: 8 },
      { cid: 'image2@test.example', path: join(folder, 'photo one.jpg'), filename: 'photo one.jpg', contentType: 'image/jpeg', size: 1234 },
    ]);
    assert.equal(html.match(/src="cid:image1@test\.example"/g)?.length, 2);
    assert.match(html, /src="cid:image2@test\.example"/);
  });

  it('leaves remote and data: images alone', async () => {
    const source = '![r](https://example.com/a.png) ![h](http://example.com/b.gif) ![d](data:image/png;base64,iVBORw0KGgo=)\n';
    const { html, inlineImages, problems } = await render(source);
    assert.deepEqual(inlineImages, []);
    assert.deepEqual(problems, []);
    assert.match(html, /src="https:\/\/example.com\/a.png"/);
    assert.match(html, /src="http:\/\/example.com\/b.gif"/);
    assert.match(html, /src="data:image\/png;base64,iVBORw0KGgo="/);
  });

  it('reports a missing local image at its ![ in the draft', async () => {
    const source = 'Intro line\n\nText and ![gone](missing/pic.png) here, ![ok](assets/chart.png)\n';
    const { problems, inlineImages } = await render(source, 8);
    assert.equal(inlineImages.length, 1);
    assert.equal(problems.length, 1);
    const [problem] = problems;
    assert.equal(problem?.code, 'missing-image');
    assert.equal(problem?.severity, 'error');
    assert.deepEqual(problem?.start, { line: 10, column: 10 });
    assert.deepEqual(problem?.end, { line: 10, column: 10 + '![gone](missing/pic.png)'.length });
    assert.match(problem?.message ?? '', /missing\/pic\.png/);
  });

  it('positions images inside lists and tables', async () => {
    const { problems } = await render('- item\n- two ![x](nope.png)\n\n| a |\n|---|\n| ![y](nope2.png) |\n', 3);
    assert.deepEqual(problems.map((problem) => problem.start), [{ line: 4, column: 7 }, { line: 8, column: 3 }]);
  });

  it('uses random Content-IDs when no cidDomain is given', async () => {
    const a = await renderMarkdown('![a](assets/chart.png)', { baseDir: folder, bodyStartLine: 1 });
    const b = await renderMarkdown('![a](assets/chart.png)', { baseDir: folder, bodyStartLine: 1 });
    assert.notEqual(a.inlineImages[0]?.cid, b.inlineImages[0]?.cid);
    assert.match(a.inlineImages[0]?.cid ?? '', /^[^@\s<>]+@[^@\s<>]+$/);
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
