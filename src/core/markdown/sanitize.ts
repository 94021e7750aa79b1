/**
 * The HTML of a message is built from an allowlist. The rendered Markdown (raw HTML included:
 * markdown-it `html: true`, because authors paste tables, spans and styled blocks on purpose)
 * is parsed by parse5, an implementation of the WHATWG HTML parsing algorithm, so the tree
 * seen here is the tree a browser-based mail client sees; then only what Markdown itself
 * produces survives:
 *
 * - elements: the ones Markdown writes, plus a few inline and table elements authors paste.
 *   Active or embedding elements (script, style, iframe, object, embed, form controls, meta,
 *   base, link, svg, math, template, noscript…) are dropped with their content; any other
 *   element is unwrapped (its text stays, the tag goes).
 * - attributes: per element, plus `style`, `title`, `class`, `lang`, `dir`. No event handlers,
 *   no `srcset`, `action`, `formaction`, `background`, `id` or data attributes.
 * - URLs (`href`, `src`): http, https, mailto and cid (RFC 2392) only, or a relative reference.
 * - styles: declarations that could load or run something (`url()`, `expression()`,
 *   `@import`, `javascript:`, `behavior`, `-moz-binding`) are removed, as are declarations
 *   with CSS escapes or comments, which could spell those in disguise.
 *
 * The output is written by our own serializer from that tree: text and attribute values are
 * escaped (`&`, `<`, `>`, `"`), comments and doctypes are not written, and no raw-text element
 * is kept, so reading the output again cannot produce an element or attribute that was not
 * checked here (the mXSS family of bypasses relies on a second parse seeing something else).
 */
import type * as Parse5Module from 'parse5' with { 'resolution-mode': 'import' };
import type { DefaultTreeAdapterMap } from 'parse5' with { 'resolution-mode': 'import' };

type Parse5 = typeof Parse5Module;
type Node = DefaultTreeAdapterMap['childNode'];
type Element = DefaultTreeAdapterMap['element'];

/** parse5 is needed only when a Markdown draft is composed, so it loads then. */
let parse5: Promise<Parse5> | undefined;
function loadParse5(): Promise<Parse5> {
  parse5 ??= import('parse5');
  return parse5;
}

const GLOBAL_ATTRIBUTES = ['style', 'title', 'class', 'lang', 'dir'];
const CELL_ATTRIBUTES = ['colspan', 'rowspan', 'align', 'valign', 'width', 'height', 'bgcolor'];

/** Element → the attributes it may keep besides the global ones. */
const ALLOWED: ReadonlyMap<string, ReadonlySet<string>> = new Map(
  Object.entries({
    // What markdown-it writes.
    p: ['align'], h1: ['align'], h2: ['align'], h3: ['align'], h4: ['align'], h5: ['align'], h6: ['align'],
    em: [], strong: [], a: ['href'], img: ['src', 'alt', 'width', 'height'], code: [], pre: [], blockquote: [],
    ul: ['type'], ol: ['start', 'type', 'reversed'], li: ['value'], hr: [], br: [], s: [],
    // `role="presentation"`: a layout table, not data, for screen readers.
    table: ['width', 'border', 'cellpadding', 'cellspacing', 'align', 'bgcolor', 'role'], thead: [], tbody: [], tfoot: [],
    tr: ['align', 'valign', 'bgcolor'], th: CELL_ATTRIBUTES, td: CELL_ATTRIBUTES,
    // What authors paste into Markdown, harmless in mail.
    span: [], div: ['align'], del: [], ins: [], sup: [], sub: [], b: [], i: [], u: [], small: [], mark: [],
    kbd: [], samp: [], var: [], abbr: [], cite: [], q: [], dl: [], dt: [], dd: [], caption: [],
    colgroup: ['span', 'width', 'align'], col: ['span', 'width', 'align'], center: [], figure: [], figcaption: [],
  }).map(([name, attributes]) => [name, new Set([...GLOBAL_ATTRIBUTES, ...attributes])]),
);

/**
 * Dropped with everything inside: they run code, embed other documents, submit data, change
 * how the rest is read (meta, base, link, style), or are foreign content (svg, math) whose
 * parsing rules differ from HTML's.
 */
const DROPPED_WITH_CONTENT = new Set([
  'script', 'style', 'template', 'noscript', 'iframe', 'frame', 'frameset', 'noframes', 'object', 'embed', 'applet',
  'param', 'noembed', 'xmp', 'textarea', 'title', 'svg', 'math', 'select', 'option', 'optgroup', 'datalist', 'input',
  'button', 'head', 'meta', 'base', 'link', 'canvas', 'audio', 'video', 'source', 'track', 'picture', 'portal', 'plaintext',
]);

const VOID_ELEMENTS = new Set(['br', 'hr', 'img', 'col']);
const URL_ATTRIBUTES = new Set(['href', 'src']);
const ALLOWED_SCHEMES = new Set(['http', 'https', 'mailto', 'cid']);

/**
 * The URL as a browser reads it (WHATWG URL: leading and trailing C0 controls and spaces are
 * stripped, tabs and newlines removed anywhere), or undefined when its scheme is not allowed.
 * The parser has already decoded character references (`java&#x09;script:`).
 */
export function safeUrl(value: string): string | undefined {
  // eslint-disable-next-line no-control-regex -- control characters are what this removes
  const url = value.replace(/^[\x00-\x20]+|[\x00-\x20]+$/g, '').replace(/[\t\n\r]/g, '');
  // RFC 3986 4.2: in a relative reference, no `:` before the first `/`, `?` or `#`.
  const first = /^[^/?#]*/.exec(url)?.[0] ?? '';
  const colon = first.indexOf(':');
  if (colon < 0) return url;
  const scheme = first.slice(0, colon).toLowerCase();
  return /^[a-z][a-z0-9+.-]*$/.test(scheme) && ALLOWED_SCHEMES.has(scheme) ? url : undefined;
}

/** Anything in a declaration that can fetch a resource or run script in some engine. */
const DANGEROUS_CSS = /(?:url|expression|image|image-set|-webkit-image-set|cross-fade|element|paint|src)\s*\(|@import|javascript:|vbscript:|behavior|-moz-binding/i;

/**
 * Keeps the declarations of a `style` attribute that load and run nothing. A declaration with a
 * backslash (CSS escape: `\75 rl(`) or a comment (`ex/**\/pression(`) is dropped whole rather
 * than decoded: no legitimate email style needs either.
 */
export function safeStyle(value: string): string {
  const declarations = value.split(';');
  const kept = declarations.filter((declaration) => !/[\\<>]|\/\*|\*\//.test(declaration) && !DANGEROUS_CSS.test(declaration));
  // Untouched when nothing is removed, so the styles the renderer writes stay byte for byte.
  return kept.length === declarations.length ? value : kept.map((declaration) => declaration.trim()).filter((declaration) => declaration !== '').join('; ');
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function keptAttributes(element: Element): string {
  const allowed = ALLOWED.get(element.tagName);
  let out = '';
  for (const attribute of element.attrs) {
    if (attribute.namespace !== undefined || allowed?.has(attribute.name) !== true) continue;
    let value: string | undefined = attribute.value;
    if (URL_ATTRIBUTES.has(attribute.name)) value = safeUrl(value);
    else if (attribute.name === 'style') value = safeStyle(value);
    if (value === undefined || (attribute.name === 'style' && value === '')) continue;
    out += ` ${attribute.name}="${escapeText(value)}"`;
  }
  return out;
}

type Step = { readonly node: Node } | { readonly close: string };

/** Writes the allowed part of the tree, iteratively (deep nesting cannot exhaust the stack). */
function serialise(nodes: readonly Node[], htmlNamespace: Parse5['html']['NS']['HTML']): string {
  const out: string[] = [];
  const stack: Step[] = nodes.map((node) => ({ node })).reverse();
  for (let step = stack.pop(); step !== undefined; step = stack.pop()) {
    if ('close' in step) {
      out.push(step.close);
      continue;
    }
    const node = step.node;
    if (node.nodeName === '#text') {
      out.push(escapeText((node as DefaultTreeAdapterMap['textNode']).value));
      continue;
    }
    if (!('tagName' in node)) continue; // comments, doctypes
    const element = node;
    if (element.namespaceURI !== htmlNamespace || DROPPED_WITH_CONTENT.has(element.tagName)) continue;
    const children = element.childNodes;
    if (ALLOWED.has(element.tagName)) {
      out.push(`<${element.tagName}${keptAttributes(element)}>`);
      if (VOID_ELEMENTS.has(element.tagName)) continue;
      // The parser drops one newline right after <pre>; write it back so a leading blank line survives.
      const first = children[0];
      if (element.tagName === 'pre' && first?.nodeName === '#text' && (first as DefaultTreeAdapterMap['textNode']).value.startsWith('\n')) out.push('\n');
      stack.push({ close: `</${element.tagName}>` });
    }
    for (let index = children.length - 1; index >= 0; index--) {
      const child = children[index];
      if (child !== undefined) stack.push({ node: child });
    }
  }
  return out.join('');
}

/** The allowed part of `html`, parsed as the content of a `<body>`. */
export async function sanitizeHtml(html: string): Promise<string> {
  const { parseFragment, defaultTreeAdapter, html: spec } = await loadParse5();
  const body = defaultTreeAdapter.createElement('body', spec.NS.HTML, []);
  const fragment = parseFragment(body, html, {});
  return serialise(fragment.childNodes, spec.NS.HTML);
}

/**
 * A whole document's `<body>`: its style (filtered as any other) and its allowed content. For
 * HTML that was ours and sanitized once, then changed by the user stylesheet's inliner.
 */
export async function sanitizeDocumentBody(html: string): Promise<{ readonly style: string; readonly body: string }> {
  const { parse, html: spec } = await loadParse5();
  const document = parse(html);
  const root = document.childNodes.find((node): node is Element => 'tagName' in node && node.tagName === 'html');
  const body = root?.childNodes.find((node): node is Element => 'tagName' in node && node.tagName === 'body');
  const style = body?.attrs.find((attribute) => attribute.name === 'style')?.value ?? '';
  return { style: safeStyle(style), body: serialise(body?.childNodes ?? [], spec.NS.HTML) };
}
