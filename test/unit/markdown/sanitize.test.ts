/** The script/handler/javascript: filter on its own, including the tricks browsers honour. */
import assert from 'node:assert/strict';
import { sanitizeHtml } from '../../../src/core/markdown/sanitize';

describe('sanitizeHtml', () => {
  const removed: ReadonlyArray<[string, string]> = [
    ['script element', 'a<script>alert(1)</script>b'],
    ['uppercase script with attributes', 'a<SCRIPT type="text/javascript" src="x.js"></SCRIPT >b'],
    ['script without end', 'a<script>alert(1)'],
    ['script with slash', 'a<script/src="x.js"></script>b'],
    ['event handler', '<div onmouseover="alert(1)">a</div>'],
    ['handler after slash', '<img/src="x"/onerror=alert(1)>'],
    ['javascript: href', '<a href="javascript:alert(1)">a</a>'],
    ['obfuscated scheme', '<a href=" Java&#x53;cript&colon;alert(1)">a</a>'],
    ['entity tab in scheme', '<a href="java&#9;script:alert(1)">a</a>'],
    ['vbscript', "<a href='vbscript:msgbox(1)'>a</a>"],
    ['abrupt comment', 'a<!--><script>alert(1)</script>-->b'],
    ['style quote trick', '<style>p{}<a title="</style><script>alert(1)</script>"></style>'],
    ['noscript quote trick', '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>'],
    ['iframe', '<iframe srcdoc="<script>alert(1)</script>"></iframe>'],
  ];
  for (const [name, html] of removed) {
    it(`removes: ${name}`, () => {
      const clean = sanitizeHtml(html);
      assert.doesNotMatch(clean, /<script|onmouseover|onerror|javascript:|vbscript:|alert\(1\)/i, clean);
    });
  }

  it('keeps ordinary markup and attributes untouched', () => {
    const html = '<p class="x" style="color: red">Hi <a href="https://example.com/?a=1&amp;b=2" title=\'t > s\'>link</a> <img src="cid:image1@x" alt="a"></p>\n';
    assert.equal(sanitizeHtml(html), html);
  });

  it('keeps text that only looks like markup', () => {
    assert.equal(sanitizeHtml('1 < 2 and a<b'), '1 &lt; 2 and a&lt;b');
    assert.equal(sanitizeHtml('&lt;script&gt; stays text'), '&lt;script&gt; stays text');
  });

  it('keeps style content but defuses tags inside it', () => {
    assert.equal(sanitizeHtml('<style>a > b { color: red }</style>'), '<style>a > b { color: red }</style>');
    assert.equal(sanitizeHtml('<style><x></style>'), '<style>&lt;x></style>');
  });
});
