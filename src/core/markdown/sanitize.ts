/**
 * Removes what an email must not carry from the rendered HTML: `<script>` elements, `on*`
 * event-handler attributes and `javascript:`/`vbscript:` URLs. Raw HTML in the draft passes
 * through otherwise (markdown-it `html: true`), because authors paste tables, spans and
 * styled blocks on purpose.
 *
 * Why a string pass over the whole output rather than a markdown-it token filter: an inline
 * `<script>alert(1)</script>` becomes three tokens (html_inline, text, html_inline) and only
 * the finished HTML shows the element whole. The lexer below follows the HTML tokenizer
 * where it matters for these three things (WHATWG HTML 13.2.5): tag names, quoted and
 * unquoted attribute values, comments (including the abrupt `<!-->`), raw-text elements.
 * It is not a general-purpose sanitizer: mail clients apply their own on top, and this one
 * only has to make sure the author's message does not ship active content.
 */

/** Elements removed with their content. Their content is raw text in browsers (or hidden). */
const REMOVED_ELEMENTS = new Set(['script', 'noscript', 'iframe', 'noembed', 'noframes', 'xmp']);
/** Raw-text elements kept; `<` inside is escaped so no reading of it can see a tag. */
const RAW_TEXT_ELEMENTS = new Set(['style', 'textarea', 'title']);

const TAG_START = /<(\/?)([A-Za-z][^\s/>]*)/y;
const ATTRIBUTE = /([^\s/>][^\s/>=]*)(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?/y;

/** Attribute values, entity-decoded just enough to see through `java&#x73;cript:` tricks. */
function looksLikeScriptUrl(rawAttribute: string): boolean {
  const equals = rawAttribute.indexOf('=');
  if (equals < 0) {
    return false;
  }
  const value = rawAttribute
    .slice(equals + 1)
    .trim()
    .replace(/^["']|["']$/g, '')
    .replace(/&#x([0-9a-f]+);?/gi, (_match, code: string) => String.fromCodePoint(Number.parseInt(code, 16) % 0x110000))
    .replace(/&#(\d+);?/g, (_match, code: string) => String.fromCodePoint(Number.parseInt(code, 10) % 0x110000))
    .replace(/&colon;/gi, ':')
    .replace(/&(tab|newline);/gi, '')
    // Browsers ignore control characters and whitespace inside and before a URL scheme.
    // eslint-disable-next-line no-control-regex -- control characters are what this looks for
    .replace(/[\x00-\x20\x7f]/g, '')
    .toLowerCase();
  return value.startsWith('javascript:') || value.startsWith('vbscript:');
}

function isDroppedAttribute(rawAttribute: string): boolean {
  const name = (/^[^\s=]+/.exec(rawAttribute)?.[0] ?? '').toLowerCase();
  return name.startsWith('on') || looksLikeScriptUrl(rawAttribute);
}

interface ParsedTag {
  readonly closing: boolean;
  readonly name: string;
  /** Index just after the `>`. */
  readonly end: number;
  /** The tag rebuilt without dropped attributes. */
  readonly text: string;
}

function parseTag(html: string, start: number): ParsedTag | undefined {
  TAG_START.lastIndex = start;
  const head = TAG_START.exec(html);
  if (head === null) {
    return undefined;
  }
  const closing = head[1] === '/';
  const tagName = head[2] ?? '';
  let position = TAG_START.lastIndex;
  let text = head[0];
  while (position < html.length) {
    const character = html[position] ?? '';
    if (character === '>') {
      return { closing, name: tagName.toLowerCase(), end: position + 1, text: text + '>' };
    }
    if (/[\s/]/.test(character)) {
      text += character;
      position++;
      continue;
    }
    ATTRIBUTE.lastIndex = position;
    const attribute = ATTRIBUTE.exec(html);
    if (attribute === null) {
      return undefined;
    }
    if (isDroppedAttribute(attribute[0])) {
      text = text.trimEnd(); // drop the whitespace that separated it, too
    } else {
      text += attribute[0];
    }
    position = ATTRIBUTE.lastIndex;
  }
  return undefined; // no `>` before the end: not a tag
}

/** Index just after the end tag `</name ...>` at or after `from`, and where that tag starts. */
function findEndTag(html: string, name: string, from: number): { readonly start: number; readonly end: number } {
  const pattern = new RegExp(`</${name}[\\s/>]`, 'gi');
  pattern.lastIndex = from;
  const match = pattern.exec(html);
  if (match === null) {
    return { start: html.length, end: html.length };
  }
  const close = html.indexOf('>', match.index);
  return { start: match.index, end: close < 0 ? html.length : close + 1 };
}

export function sanitizeHtml(html: string): string {
  const out: string[] = [];
  let position = 0;
  while (position < html.length) {
    const open = html.indexOf('<', position);
    if (open < 0) {
      out.push(html.slice(position));
      break;
    }
    out.push(html.slice(position, open));
    if (html.startsWith('<!--', open)) {
      // Comments are dropped. Search from `<!` + 2 so `<!-->` and `<!--->` end at once, as in browsers.
      const ends = [html.indexOf('-->', open + 2), html.indexOf('--!>', open + 2)].filter((index) => index >= 0);
      const end = ends.length === 0 ? html.length : Math.min(...ends);
      position = end === html.length ? end : html.indexOf('>', end) + 1;
      continue;
    }
    const tag = parseTag(html, open);
    if (tag === undefined) {
      out.push('&lt;');
      position = open + 1;
      continue;
    }
    if (REMOVED_ELEMENTS.has(tag.name)) {
      position = tag.closing ? tag.end : findEndTag(html, tag.name, tag.end).end;
      continue;
    }
    if (tag.name === 'plaintext') {
      break; // everything after <plaintext> is text in a browser; nothing of it is needed
    }
    out.push(tag.text);
    position = tag.end;
    if (!tag.closing && RAW_TEXT_ELEMENTS.has(tag.name)) {
      const endTag = findEndTag(html, tag.name, position);
      out.push(html.slice(position, endTag.start).replace(/</g, '&lt;'));
      position = endTag.start;
    }
  }
  return out.join('');
}
