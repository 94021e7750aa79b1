/**
 * The HTML document around the rendered Markdown, and the inline styles on what markdown-it
 * writes (email-styles.ts says why everything is inline). The document has no `<style>`: what
 * it shows is what every client that honours inline styles shows.
 *
 * Layout: the message sits in a centred table of a fixed pixel width (the `width` attribute is
 * what Outlook's Word engine honours) that may shrink (`max-width: 100%`) on a narrow screen.
 * Tables, not `<div>`s with margins, because Outlook ignores `max-width` and `margin: auto`.
 */
import type MarkdownIt from 'markdown-it';
import type { ElementStyles, TextDirection } from './email-styles';
import { CODE_IN_PRE_STYLE, CONTENT_STYLE, elementStyles, PAGE_STYLE, PRE_STYLE, WRAPPER_WIDTH } from './email-styles';

type Token = MarkdownIt.Token;

function addStyle(token: Token, style: string | undefined): void {
  if (style === undefined) return;
  // Aligned table cells already carry `text-align:…`; keep it and add ours.
  const existing = token.attrGet('style');
  token.attrSet('style', existing === null ? style : `${existing.replace(/;?\s*$/, ';')} ${style}`);
}

/** `[ ]` or `[x]` at the start of a list item's text (GitHub task lists). */
const TASK_MARKER = /^\[([ xX])\][ \u00a0]/;

/**
 * A task list item's marker becomes a ballot box character in the HTML: mail clients drop form
 * controls (and the sanitizer removes `<input>`), but ☐ and ☑ survive everywhere. The text part
 * keeps the source's `[ ]` and `[x]`, which read well as they are.
 */
function markTask(inline: Token | undefined): boolean {
  const first = inline?.children?.[0];
  if (inline === undefined || first?.type !== 'text') return false;
  const match = TASK_MARKER.exec(first.content);
  if (match === null) return false;
  first.content = `${match[1] === ' ' ? '\u2610' : '\u2611'}\u00a0${first.content.slice(match[0].length)}`;
  return true;
}

/** The key into ElementStyles for an opening token, from where it stands (a task item is marked on the way). */
function styleKey(token: Token, lists: number, quotes: number, tokens: readonly Token[], index: number): string | undefined {
  switch (token.type) {
    case 'bullet_list_open':
    case 'ordered_list_open':
      return lists > 0 ? `li ${token.tag}` : token.tag;
    case 'list_item_open':
      // The item's first paragraph holds its text (hidden in a tight list, but its inline is there).
      return markTask(tokens[index + 2]) ? 'task li' : 'li';
    case 'paragraph_open':
      return quotes > 0 ? 'blockquote p' : 'p';
    case 'heading_open':
    case 'blockquote_open':
    case 'table_open':
    case 'hr':
    case 'th_open':
    case 'td_open':
      return token.tag;
    default:
      return undefined;
  }
}

const INLINE_STYLED: ReadonlySet<string> = new Set(['code_inline', 'link_open', 'image']);

/** Adds the inline styles of `dir` to block tokens and their inline children. */
export function applyEmailStyles(tokens: readonly Token[], dir: TextDirection): void {
  const styles: ElementStyles = elementStyles(dir);
  let lists = 0;
  let quotes = 0;
  tokens.forEach((token, index) => {
    const key = styleKey(token, lists, quotes, tokens, index);
    if (key !== undefined) {
      // Hidden paragraphs (tight lists) are not written: styling them would change nothing.
      if (!token.hidden) addStyle(token, styles[key]);
      if (token.type === 'th_open' && token.attrGet('style') === styles[key]) addStyle(token, styles['th align']);
    }
    if (token.type === 'bullet_list_open' || token.type === 'ordered_list_open') lists++;
    else if (token.type === 'bullet_list_close' || token.type === 'ordered_list_close') lists--;
    else if (token.type === 'blockquote_open') quotes++;
    else if (token.type === 'blockquote_close') quotes--;
    for (const child of token.children ?? []) {
      if (INLINE_STYLED.has(child.type)) addStyle(child, styles[child.tag]);
    }
  });
}

export type Highlight = (code: string, language: string) => string | undefined;

/** The first word of a fence's info string (```` ```ts title="x" ````), as markdown-it reads it. */
export function fenceLanguage(md: MarkdownIt, info: string): string {
  return md.utils.unescapeAll(info).trim().split(/\s+/)[0] ?? '';
}

/**
 * Fenced and indented code blocks: `<pre>` and its `<code>` styled inline, the text coloured by
 * `highlight` when the fence names a language it knows. Code reads left to right even in a
 * right-to-left message.
 */
export function styleCodeBlocks(md: MarkdownIt, highlight: () => Highlight | undefined): void {
  const block = (html: string): string => `<pre dir="ltr" style="${PRE_STYLE}"><code style="${CODE_IN_PRE_STYLE}">${html}</code></pre>\n`;
  md.renderer.rules.fence = (tokens, index) => {
    const token = tokens[index];
    if (token === undefined) return '';
    const language = fenceLanguage(md, token.info);
    const coloured = language === '' ? undefined : highlight()?.(token.content, language);
    return block(coloured ?? md.utils.escapeHtml(token.content));
  };
  md.renderer.rules.code_block = (tokens, index) => block(md.utils.escapeHtml(tokens[index]?.content ?? ''));
}

/** The sanitized body in the centred wrapper: what goes inside `<body>`. */
export function wrapContent(body: string, dir: TextDirection): string {
  const direction = dirAttribute(dir);
  const align = dir === 'rtl' ? 'right' : dir === 'auto' ? 'start' : 'left';
  const content = body.endsWith('\n') ? body.slice(0, -1) : body;
  return [
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="width: 100%; border-collapse: collapse; ${PAGE_STYLE}">`,
    '<tr>',
    '<td align="center" style="padding: 16px 8px;">',
    `<table role="presentation" width="${WRAPPER_WIDTH}" align="center" cellpadding="0" cellspacing="0" border="0"${direction} style="width: ${WRAPPER_WIDTH}px; max-width: 100%; margin: 0 auto; border-collapse: collapse;">`,
    '<tr>',
    `<td class="markdown-body"${direction} style="${CONTENT_STYLE} text-align: ${align};">`,
    content,
    '</td>',
    '</tr>',
    '</table>',
    '</td>',
    '</tr>',
    '</table>',
  ].join('\n');
}

function dirAttribute(dir: TextDirection): string {
  return dir === 'ltr' ? '' : ` dir="${dir}"`;
}

/** A complete document: `inner` is the body's content, already sanitized. */
export function documentShell(bodyStyle: string, inner: string, dir: TextDirection): string {
  return [
    '<!doctype html>',
    `<html${dirAttribute(dir)}>`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '</head>',
    `<body style="${bodyStyle}">`,
    inner.endsWith('\n') ? inner.slice(0, -1) : inner,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** The sanitized Markdown body in the wrapper, in a complete document. */
export function htmlDocument(body: string, dir: TextDirection): string {
  return documentShell(PAGE_STYLE, wrapContent(body, dir), dir);
}
