/**
 * An HTML part as plain text, for quoting a message that has no text/plain part. Parsed by
 * parse5 (the WHATWG algorithm, loaded only when needed) rather than by patterns, so comments,
 * scripts and odd markup cannot leak into the quote: block elements end lines, `<br>` breaks
 * one, list items get "- ", links keep their target in brackets, and whitespace collapses as a
 * browser would collapse it (except inside `<pre>`).
 */
import type * as Parse5Module from 'parse5' with { 'resolution-mode': 'import' };
import type { DefaultTreeAdapterMap } from 'parse5' with { 'resolution-mode': 'import' };

type Node = DefaultTreeAdapterMap['childNode'] | DefaultTreeAdapterMap['parentNode'];

/** What is never text: code, styling, metadata, embedded documents. */
const SKIPPED = new Set(['script', 'style', 'head', 'title', 'template', 'noscript', 'iframe', 'object', 'svg', 'math']);
const BLOCKS = new Set([
  'p', 'div', 'section', 'article', 'header', 'footer', 'blockquote', 'pre', 'table', 'tr', 'ul', 'ol', 'li', 'dl', 'dt', 'dd',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'address', 'figure', 'figcaption', 'center',
]);

let parse5: Promise<typeof Parse5Module> | undefined;

export async function htmlToText(html: string): Promise<string> {
  parse5 ??= import('parse5');
  const document = (await parse5).parse(html);
  const out: string[] = [];
  const walk = (node: Node, pre: boolean): void => {
    if (node.nodeName === '#text' && 'value' in node) {
      // Preformatted spaces are kept as no-break spaces until the lines are trimmed below.
      out.push(pre ? node.value.replace(/ /g, '\u00a0') : node.value.replace(/\s+/g, ' '));
      return;
    }
    if (!('childNodes' in node)) return;
    const name = node.nodeName;
    if (SKIPPED.has(name)) return;
    if (name === 'br') {
      out.push('\n');
      return;
    }
    const block = BLOCKS.has(name);
    if (block) out.push('\n');
    if (name === 'li') out.push('- ');
    if (name === 'td' || name === 'th') out.push(' ');
    for (const child of node.childNodes) walk(child, pre || name === 'pre');
    if (name === 'a' && 'attrs' in node) {
      const href = node.attrs.find((attribute) => attribute.name === 'href')?.value;
      if (href !== undefined && /^(?:https?|mailto):/i.test(href)) out.push(` <${href}>`);
    }
    if (block) out.push('\n');
  };
  walk(document, false);
  return out
    .join('')
    .split('\n')
    .map((line) => line.replace(/^ +| +$/g, '').replace(/\u00a0/g, ' '))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
