/**
 * The HTML part measured in a real browser (Debian's headless Chromium through playwright-core),
 * over the drafts in test/fixtures/email-html/ and the demo draft:
 * - it needs no stylesheet: with every `<style>` and the `<head>` removed (what Gmail's app and
 *   Outlook do) the page is the same, pixel for pixel;
 * - the text column is a centred wrapper no wider than 700 px on a 1200 px wide window;
 * - code blocks are monospace with explicit colours, and highlighted code has several colours;
 * - `dir: rtl` turns the content right to left; a user stylesheet changes what it says;
 * - the HTML stays under Gmail's 102 KB clipping limit.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { checkDraft } from '../../src/core/compose-draft';
import { launchBrowser } from '../host/browser';
import type { BrowserSession } from '../host/browser';

const FIXTURES = join(__dirname, '..', 'fixtures', 'email-html');
const SAMPLE = join(__dirname, '..', '..', 'examples', 'demo', 'welcome.md');
/** Gmail clips a message whose HTML is larger than this and hides the rest behind a link. */
const GMAIL_CLIP = 102 * 1024;

interface Rendered {
  readonly name: string;
  /** The HTML part as sent, with `cid:` images made `data:` URLs so the browser shows them. */
  readonly html: string;
  readonly size: number;
}

async function render(file: string): Promise<Rendered> {
  const baseDir = join(file, '..');
  const css = file.replace(/\.md$/, '.css');
  const result = await checkDraft({
    text: readFileSync(file, 'utf8'),
    format: 'markdown',
    baseDir,
    homeDir: baseDir,
    root: baseDir,
    render: { breaks: true, stylesheet: existsSync(css) ? css : undefined },
  });
  const markdown = result.checked?.markdown;
  assert.ok(markdown, `${file}: ${result.problems.map((problem) => problem.message).join('; ')}`);
  const html = await markdown.renderHtml((index) => `image${index}@fixture.test`);
  const shown = html.replace(/cid:image(\d+)@fixture\.test/g, (_, index: string) => {
    const image = markdown.inlineImages[Number(index) - 1];
    assert.ok(image);
    return `data:${image.contentType};base64,${readFileSync(image.realPath).toString('base64')}`;
  });
  return { name: file.slice(file.lastIndexOf('/') + 1), html: shown, size: Buffer.byteLength(html, 'utf8') };
}

/** What a client that drops stylesheets keeps: no `<head>`, no `<style>` anywhere. */
function withoutStylesheets(html: string): string {
  return html.replace(/<head[\s>][\s\S]*?<\/head>/gi, '').replace(/<style[\s>][\s\S]*?<\/style>/gi, '');
}

async function screenshotOf(page: Page, html: string): Promise<Buffer> {
  await page.setContent(html, { waitUntil: 'load' });
  return page.screenshot({ fullPage: true, animations: 'disabled' });
}

describe('email HTML in Chromium', function () {
  this.timeout(120_000);
  let session: BrowserSession | undefined;
  let profile = '';
  let page: Page;
  const drafts = readdirSync(FIXTURES)
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => join(FIXTURES, name));

  before(async () => {
    profile = mkdtempSync(join(tmpdir(), 'sae-email-html-'));
    session = await launchBrowser(profile);
    page = session.page;
    await page.setViewportSize({ width: 1200, height: 800 });
  });
  after(async () => {
    await session?.close();
    rmSync(profile, { recursive: true, force: true });
  });

  it('covers the drafts the issue names', () => {
    const names = drafts.map((file) => file.slice(file.lastIndexOf('/') + 1));
    for (const name of ['headings.md', 'lists.md', 'tables.md', 'code.md', 'quotes.md', 'images.md', 'cjk.md', 'rtl.md', 'styled.md']) {
      assert.ok(names.includes(name), `missing fixture ${name}`);
    }
  });

  for (const file of [...readdirSync(FIXTURES).filter((name) => name.endsWith('.md')).sort().map((name) => join(FIXTURES, name)), SAMPLE]) {
    const label = file.slice(file.lastIndexOf('/') + 1);
    describe(label, () => {
      let rendered: Rendered;
      before(async () => {
        rendered = await render(file);
      });

      it('looks the same with <style> and <head> removed, pixel for pixel', async () => {
        const sent = await screenshotOf(page, rendered.html);
        const stripped = await screenshotOf(page, withoutStylesheets(rendered.html));
        assert.ok(sent.equals(stripped), `${label}: the page changes when its stylesheets are removed`);
      });

      it('sits in a centred wrapper at most 700 px wide on a 1200 px window', async () => {
        await page.setContent(rendered.html, { waitUntil: 'load' });
        const box = await page.locator('td.markdown-body').boundingBox({ timeout: 5_000 });
        assert.ok(box, 'no content cell');
        assert.ok(box.width <= 700, `content is ${box.width} px wide`);
        assert.ok(box.width >= 500, `content is squeezed to ${box.width} px`);
        const left = box.x;
        const right = 1200 - (box.x + box.width);
        assert.ok(Math.abs(left - right) <= 2, `not centred: ${left} px left, ${right} px right`);
      });

      it('stays under Gmail\u2019s 102 KB clipping limit', () => {
        assert.ok(rendered.size < GMAIL_CLIP, `${rendered.size} bytes`);
      });
    });
  }

  it('gives code blocks a monospace font and explicit colours, inline', async () => {
    const { html } = await render(join(FIXTURES, 'code.md'));
    await page.setContent(withoutStylesheets(html), { waitUntil: 'load' });
    const blocks = await page.locator('pre').evaluateAll((elements) =>
      elements.map((element) => {
        const style = getComputedStyle(element);
        const code = element.querySelector('code');
        return {
          inline: element.getAttribute('style') ?? '',
          font: style.fontFamily,
          codeFont: code === null ? '' : getComputedStyle(code).fontFamily,
          color: style.color,
          background: style.backgroundColor,
        };
      }),
    );
    assert.equal(blocks.length, 5);
    for (const block of blocks) {
      assert.match(block.inline, /(^|;)\s*color:\s*#/);
      assert.match(block.inline, /background-color:\s*#/);
      assert.match(block.font, /monospace/);
      assert.match(block.codeFont, /monospace/);
      assert.notEqual(block.background, 'rgba(0, 0, 0, 0)');
      assert.notEqual(block.color, block.background);
    }
  });

  it('colours a block with a language in at least two inline colours, and leaves the others plain', async () => {
    const { html } = await render(join(FIXTURES, 'code.md'));
    await page.setContent(withoutStylesheets(html), { waitUntil: 'load' });
    const colours = await page.locator('pre').evaluateAll((elements) =>
      elements.map((element) => [...new Set(Array.from(element.querySelectorAll('span[style]')).map((span) => getComputedStyle(span).color))]),
    );
    assert.ok((colours[0] ?? []).length >= 2, `typescript: ${JSON.stringify(colours[0])}`);
    assert.ok((colours[1] ?? []).length >= 2, `python: ${JSON.stringify(colours[1])}`);
    assert.deepEqual(colours.slice(2), [[], [], []]);
  });

  it('sets explicit text and background colours on body, tables and blockquotes', async () => {
    for (const [fixture, selector] of [['headings.md', 'body'], ['tables.md', 'table:not([role])'], ['tables.md', 'th'], ['quotes.md', 'blockquote'], ['headings.md', 'code']] as const) {
      const { html } = await render(join(FIXTURES, fixture));
      await page.setContent(withoutStylesheets(html), { waitUntil: 'load' });
      const inline = await page.locator(selector).first().getAttribute('style');
      assert.match(inline ?? '', /(^|;)\s*color:\s*#/, `${fixture} ${selector}`);
      assert.match(inline ?? '', /background-color:\s*#/, `${fixture} ${selector}`);
    }
  });

  it('keeps a wide image inside the column even where max-width is ignored (Outlook)', async () => {
    const { html } = await render(join(FIXTURES, 'images.md'));
    // What Outlook's Word engine does: no max-width, sizes from attributes.
    await page.setContent(withoutStylesheets(html).replace(/max-width: 100%;/g, ''), { waitUntil: 'load' });
    const column = await page.locator('td.markdown-body').boundingBox({ timeout: 5_000 });
    const wide = await page.locator('img[alt="wide banner"]').boundingBox({ timeout: 5_000 });
    const chart = await page.locator('img[alt="weekly chart"]').boundingBox({ timeout: 5_000 });
    assert.ok(column && wide && chart);
    assert.ok(column.width <= 700, `the image pushed the column to ${column.width} px`);
    assert.ok(wide.width <= column.width - 48, `the image is ${wide.width} px in a ${column.width} px column`);
    assert.ok(wide.height < 90, 'the height follows the width');
    assert.equal(chart.width, 160, 'a narrow image keeps its own size');
  });

  it('turns a dir: rtl draft right to left, code excepted', async () => {
    const { html } = await render(join(FIXTURES, 'rtl.md'));
    await page.setContent(withoutStylesheets(html), { waitUntil: 'load' });
    const direction = (selector: string): Promise<string> => page.locator(selector).first().evaluate((element) => getComputedStyle(element).direction);
    assert.equal(await direction('td.markdown-body'), 'rtl');
    assert.equal(await direction('li'), 'rtl');
    assert.equal(await direction('pre'), 'ltr');
    const list = await page.locator('ul').first().boundingBox();
    const item = await page.locator('li').first().boundingBox();
    assert.ok(list && item && item.x + item.width < list.x + list.width - 10, 'the list is not indented from the right');
  });

  it('applies the user stylesheet inline, without what mail cannot carry', async () => {
    const { html } = await render(join(FIXTURES, 'styled.md'));
    assert.doesNotMatch(html, /url\(|tracker\.example|<style/i);
    await page.setContent(withoutStylesheets(html), { waitUntil: 'load' });
    const style = (selector: string, property: string): Promise<string> =>
      page.locator(selector).first().evaluate((element, name) => getComputedStyle(element).getPropertyValue(name), property);
    assert.equal(await style('h1', 'color'), 'rgb(139, 0, 0)');
    assert.match(await style('p', 'font-family'), /Georgia/);
    assert.equal(await style('pre', 'background-color'), 'rgb(39, 40, 34)');
    assert.equal(await style('blockquote', 'background-color'), 'rgb(255, 251, 230)');
    assert.equal(await style('a', 'color'), 'rgb(0, 100, 0)');
  });
});
