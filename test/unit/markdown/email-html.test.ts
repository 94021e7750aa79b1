/**
 * The rules of the email-safe HTML part (issue 10): line breaks, direction, task lists, nested
 * lists, tables, explicit colours, syntax colours as inline styles, and the user stylesheet.
 * The browser suite (test/browser/email-html.test.ts) measures how the result looks.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareMarkdown } from '../../../src/core/markdown';
import type { MarkdownRenderOptions, PreparedMarkdown, TextDirection } from '../../../src/core/markdown/types';
import { markImportant } from '../../../src/core/markdown/css-inliner';
import { inlineHighlightClasses } from '../../../src/core/markdown/highlight';

const ids = (index: number): string => `image${index}@test.example`;

describe('email-safe HTML rules', () => {
  let folder = '';
  let home = '';
  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'sae-email-html-'));
    home = join(folder, 'home');
    await mkdir(join(folder, 'workspace'), { recursive: true });
    await mkdir(home);
  });
  after(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  const workspace = (): string => join(folder, 'workspace');
  const prepare = (source: string, dir?: TextDirection, render?: MarkdownRenderOptions): Promise<PreparedMarkdown> =>
    prepareMarkdown(source, { baseDir: workspace(), homeDir: home, root: workspace(), untrusted: false, bodyStartLine: 1, dir, render });
  const html = async (source: string, dir?: TextDirection, render?: MarkdownRenderOptions): Promise<string> => (await prepare(source, dir, render)).renderHtml(ids);

  describe('line breaks', () => {
    it('keeps a single line break inside a paragraph by default (a signature, an address)', async () => {
      const out = await html('此致\n敬礼\n\n王小明\n华信科技有限公司 · 销售部\n电话：010-1234-5678\n');
      assert.match(out, /<p[^>]*>此致<br>\n敬礼<\/p>/);
      assert.match(out, /王小明<br>\n华信科技有限公司 · 销售部<br>\n电话：010-1234-5678<\/p>/);
    });

    it('joins the lines of a paragraph as standard Markdown does when breaks is off', async () => {
      const out = await html('Thanks,\nAnn\n', undefined, { breaks: false });
      assert.match(out, /<p[^>]*>Thanks,\nAnn<\/p>/);
      assert.doesNotMatch(out, /<br>/);
    });
  });

  describe('layout and colours', () => {
    it('puts the content in a centred 640 px wrapper table that may shrink', async () => {
      const out = await html('Hello\n');
      assert.match(out, /<table role="presentation" width="640" align="center"[^>]* style="width: 640px; max-width: 100%;/);
      assert.match(out, /<td class="markdown-body" style="[^"]*color: #1f2328; background-color: #ffffff;/);
    });

    it('has no <style> block: every style is inline', async () => {
      const out = await html('# T\n\n> q\n\n```js\nlet a = 1;\n```\n\n| a |\n|---|\n| 1 |\n\n---\n');
      assert.doesNotMatch(out, /<style/);
      assert.doesNotMatch(out, /class="hljs/);
    });

    it('sets a foreground and a background wherever it sets a colour', async () => {
      const out = await html('# T\n\n> q\n\n`c`\n\n```\nb\n```\n\n| a |\n|---|\n| 1 |\n');
      for (const tag of ['body', 'blockquote', 'code', 'pre', 'table', 'th', 'td']) {
        const styles = [...out.matchAll(new RegExp(`<${tag}\\b[^>]*style="([^"]*)"`, 'g'))].map((match) => match[1] ?? '');
        assert.ok(styles.length > 0, `no styled <${tag}>`);
        for (const style of styles) {
          if (!/(^|;)\s*color:/.test(style)) continue;
          assert.match(style, /background-color: #/, `<${tag}> sets a colour without a background: ${style}`);
        }
      }
    });

    it('styles nested lists without the outer margin, and task lists with ballot boxes', async () => {
      const out = await html('- a\n  - b\n\nTasks:\n\n- [ ] todo\n- [x] done\n');
      assert.match(out, /<ul style="margin: 0 0 16px 0; padding-left: 2em;">/);
      assert.match(out, /<ul style="margin: 0; padding-left: 2em;">\n<li style="margin: 4px 0;">b<\/li>/);
      assert.match(out, /<li style="[^"]*list-style-type: none;">\u2610\u00a0todo<\/li>/);
      assert.match(out, /<li style="[^"]*list-style-type: none;">\u2611\u00a0done<\/li>/);
      assert.doesNotMatch(out, /<input/);
    });

    it('aligns unaligned cells at the line start and keeps an alignment the table asks for', async () => {
      const out = await html('| a | b |\n|---|--:|\n| 1 | 2 |\n');
      assert.match(out, /<th style="border:[^"]*; text-align: left;">a<\/th>/);
      assert.match(out, /<th style="text-align:right; border:[^"]*">b<\/th>/);
      assert.doesNotMatch(out, /<th style="text-align:right;[^"]*text-align: left/);
    });
  });

  describe('images', () => {
    const png = (width: number): Buffer => {
      const head = Buffer.from('89504e470d0a1a0a0000000d4948445200000000000000010806000000', 'hex');
      head.writeUInt32BE(width, 16);
      return head;
    };
    /** A JPEG whose frame header comes after a 300-byte APP1 block, as with camera metadata. */
    const jpeg = (width: number): Buffer => {
      const app1 = Buffer.alloc(304);
      app1.writeUInt16BE(0xffe1, 0);
      app1.writeUInt16BE(302, 2);
      const sof = Buffer.from([0xff, 0xc0, 0x00, 0x11, 0x08, 0x00, 0x10, 0, 0, 0x03]);
      sof.writeUInt16BE(width, 7);
      return Buffer.concat([Buffer.from([0xff, 0xd8]), app1, sof, Buffer.alloc(16)]);
    };
    const gif = (width: number): Buffer => {
      const head = Buffer.from('GIF89a\0\0\x01\0', 'latin1');
      head.writeUInt16LE(width, 6);
      return head;
    };
    const webp = (width: number): Buffer => {
      const head = Buffer.concat([Buffer.from('RIFF\0\0\0\0WEBPVP8X', 'latin1'), Buffer.alloc(14)]);
      head.writeUIntLE(width - 1, 24, 3);
      return head;
    };

    it('gives an image wider than the column the column\u2019s width as an attribute (Outlook ignores max-width)', async () => {
      const files: Array<[string, Buffer]> = [['wide.png', png(1200)], ['wide.jpg', jpeg(4000)], ['wide.gif', gif(800)], ['wide.webp', webp(1000)], ['small.png', png(300)], ['small.jpg', jpeg(200)]];
      for (const [name, bytes] of files) await writeFile(join(workspace(), name), bytes);
      const out = await html(files.map(([name]) => `![${name}](${name})`).join('\n\n') + '\n');
      for (const [name] of files) {
        const img = new RegExp(`<img src="[^"]*" alt="${name.replace('.', '\\.')}"([^>]*)>`).exec(out);
        assert.ok(img, name);
        if (name.startsWith('wide')) assert.match(img[1] ?? '', / width="592"/, name);
        else assert.doesNotMatch(img[1] ?? '', /width=/, name);
        assert.match(img[1] ?? '', /style="max-width: 100%; height: auto; border: 0;"/, name);
      }
    });
  });

  describe('direction', () => {
    it('sets dir on the document, the wrapper and the content for dir: rtl, with start-side rules on the right', async () => {
      const out = await html('- a\n\n> q\n\n```\ncode\n```\n', 'rtl');
      assert.match(out, /<html dir="rtl">/);
      assert.match(out, /<td class="markdown-body" dir="rtl" style="[^"]*text-align: right;"/);
      assert.match(out, /<ul style="[^"]*padding-right: 2em;">/);
      assert.match(out, /<blockquote style="[^"]*border-right: 4px solid/);
      assert.match(out, /<pre dir="ltr" style="[^"]*direction: ltr;/);
    });

    it('leaves the direction to each paragraph with dir: auto, and writes none for ltr', async () => {
      assert.match(await html('- a\n', 'auto'), /<html dir="auto">[\s\S]*<ul style="[^"]*padding-inline-start: 2em;">/);
      assert.doesNotMatch(await html('a\n', 'ltr'), /dir="(rtl|auto)"/);
    });
  });

  describe('syntax colours', () => {
    it('colours a fenced block that names a known language with inline styles of several colours', async () => {
      const out = await html('```typescript\n// note\nconst x: string = "a";\n```\n');
      const colours = new Set([...out.matchAll(/<span style="color: (#[0-9a-f]{6});/g)].map((match) => match[1]));
      assert.ok(colours.size >= 3, [...colours].join(' '));
      assert.doesNotMatch(out, /<span class=/);
    });

    it('knows the usual aliases (js, py, sh, html)', async () => {
      for (const language of ['js', 'py', 'sh', 'html']) {
        assert.match(await html(`\`\`\`${language}\nif x: <b>1</b>\n\`\`\`\n`), /<span style="color:/, language);
      }
    });

    it('leaves code without a language, or with an unknown one, plain and escaped', async () => {
      const out = await html('```\n<b>x</b> if\n```\n\n```nosuchlanguage\nif <i>\n```\n');
      assert.doesNotMatch(out, /<span/);
      assert.match(out, /&lt;b&gt;x&lt;\/b&gt; if/);
    });

    it('cannot be made to write markup through the code it colours', async () => {
      const out = await html('```html\n<script>alert(1)</script><img src=x onerror=alert(2)>\n```\n');
      assert.doesNotMatch(out, /<script|<img/);
      assert.match(out, /&lt;/);
    });

    it('turns highlight.js classes into the theme\u2019s inline styles, and an unknown class into a bare span', () => {
      assert.equal(inlineHighlightClasses('<span class="hljs-keyword">if</span>'), '<span style="color: #cf222e;">if</span>');
      assert.equal(inlineHighlightClasses('<span class="hljs-title function_">f</span>'), '<span style="color: #8250df;">f</span>');
      assert.equal(inlineHighlightClasses('<span class="hljs-punctuation">;</span>'), '<span>;</span>');
    });
  });

  describe('user stylesheet', () => {
    const css = async (name: string, text: string): Promise<string> => {
      await writeFile(join(workspace(), name), text);
      return name;
    };

    it('is inlined, and wins over the built-in look', async () => {
      const stylesheet = await css('mine.css', 'h1 { color: #8b0000; } pre { background-color: #272822; color: #f8f8f2 } .markdown-body { font-family: Georgia, serif }');
      const out = await html('# T\n\n```\nx\n```\n', undefined, { stylesheet });
      assert.match(out, /<h1 style="[^"]*color: #8b0000;/);
      assert.doesNotMatch(out, /<h1 style="[^"]*color: #1f2328/);
      assert.match(out, /<pre [^>]*style="[^"]*background-color: #272822;/);
      assert.match(out, /<td class="markdown-body" style="[^"]*font-family: Georgia, serif;/);
      assert.doesNotMatch(out, /!important|<style/);
    });

    it('cannot smuggle in what the sanitizer removes: url(), expression(), bindings, escapes', async () => {
      const stylesheet = await css(
        'evil.css',
        [
          'p { background-image: url(https://tracker.example/p.gif); color: #010203 }',
          'h1 { width: expression(alert(1)); }',
          'td { behavior: url(x.htc); -moz-binding: url(x.xml#x); }',
          'body { background: \\75 rl(https://tracker.example/b.gif) }',
          'a { color: red } a:hover { background: url(https://tracker.example/h.gif) }',
          '@import url(https://tracker.example/i.css);',
          '@font-face { font-family: X; src: url(https://tracker.example/f.woff) }',
        ].join('\n'),
      );
      const out = await html('# T\n\npara [link](https://example.com/)\n\n| a |\n|---|\n| 1 |\n', undefined, { stylesheet });
      assert.doesNotMatch(out, /url\(|expression|behavior|binding|tracker\.example|\\75/i);
      assert.match(out, /<p style="[^"]*color: #010203/);
      assert.match(out, /<a href="https:\/\/example.com\/" style="[^"]*color: red/);
    });

    it('cannot add elements or attributes beyond the allowlist', async () => {
      const stylesheet = await css('odd.css', 'p { color: blue }\n</style><script>alert(1)</script>\n');
      const out = await html('para\n', undefined, { stylesheet });
      assert.doesNotMatch(out, /<script|alert/);
    });

    it('is found from the home folder with ~, through a link, and relative to the workspace folder', async () => {
      await writeFile(join(home, 'mail.css'), 'p { color: #123456 }');
      await symlink(join(home, 'mail.css'), join(workspace(), 'linked.css'));
      for (const stylesheet of ['~/mail.css', 'linked.css', join(home, 'mail.css')]) {
        assert.match(await html('para\n', undefined, { stylesheet }), /<p style="[^"]*color: #123456/, stylesheet);
      }
    });

    it('is an error of the draft check, on the first line, when the file is missing', async () => {
      const prepared = await prepare('para\n', undefined, { stylesheet: 'nowhere.css' });
      assert.equal(prepared.problems.length, 1);
      const [problem] = prepared.problems;
      assert.equal(problem?.code, 'stylesheet');
      assert.equal(problem?.severity, 'error');
      assert.deepEqual(problem?.start, { line: 1, column: 1 });
      assert.match(problem?.message ?? '', /nowhere\.css/);
    });

    it('has its declarations marked !important before inlining, strings and at-rules respected', () => {
      assert.equal(markImportant('p { color: red; margin: 0 }'), 'p { color: red !important; margin: 0 !important }');
      assert.equal(markImportant('a{color:red!important}'), 'a{color:red!important}');
      assert.equal(markImportant('p { font-family: "a;b}" }'), 'p { font-family: "a;b}" !important }');
      assert.equal(markImportant('/* c; } */ h1 { color: red }'), ' h1 { color: red !important }');
      assert.equal(markImportant('@media (max-width: 600px) { h1 { color: red } }'), '@media (max-width: 600px) { h1 { color: red !important } }');
      assert.equal(markImportant('@font-face { font-family: X }'), '@font-face { font-family: X }');
    });

    it('is not loaded when the setting is empty', async () => {
      const out = await html('para\n', undefined, { stylesheet: '' });
      assert.match(out, /<p style="margin: 0 0 16px 0;">para<\/p>/);
    });
  });
});

