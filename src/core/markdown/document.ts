/**
 * The HTML document around the rendered Markdown, styled for email: many clients (Gmail's
 * older views, Outlook) drop `<style>` blocks, so every styled element also carries its style
 * inline; the `<style>` block only sets what inline styles cannot (link colour on dark mode
 * aware clients keeps the default).
 */
import type MarkdownIt from 'markdown-it';

type Token = MarkdownIt.Token;

const FONT = "-apple-system, BlinkMacSystemFont, 'Segoe UI', Helvetica, Arial, sans-serif";
const MONO = "ui-monospace, SFMono-Regular, Menlo, Consolas, 'Liberation Mono', monospace";

export const BODY_STYLE = `font-family: ${FONT}; font-size: 15px; line-height: 1.5; color: #1f2328;`;
export const PRE_STYLE = `font-family: ${MONO}; font-size: 13px; line-height: 1.45; background-color: #f6f8fa; padding: 12px; border-radius: 6px; overflow: auto; white-space: pre;`;

/** Inline styles per markdown-it token type. */
const TOKEN_STYLES: Readonly<Record<string, string>> = {
  table_open: 'border-collapse: collapse; margin: 0 0 16px 0;',
  th_open: 'border: 1px solid #d0d7de; padding: 6px 12px; background-color: #f6f8fa; font-weight: 600;',
  td_open: 'border: 1px solid #d0d7de; padding: 6px 12px;',
  blockquote_open: 'margin: 0 0 16px 0; padding: 0 1em; color: #59636e; border-left: 4px solid #d0d7de;',
  code_inline: `font-family: ${MONO}; font-size: 85%; background-color: #f6f8fa; padding: 0.2em 0.4em; border-radius: 3px;`,
  image: 'max-width: 100%;',
  hr: 'border: 0; border-top: 1px solid #d0d7de; margin: 24px 0;',
};

function addStyle(token: Token): void {
  const style = TOKEN_STYLES[token.type];
  if (style === undefined) {
    return;
  }
  // Aligned table cells already carry `text-align:…`; keep it and add ours.
  const existing = token.attrGet('style');
  token.attrSet('style', existing === null ? style : `${existing}; ${style}`);
}

/** Adds inline styles to block tokens and their inline children. */
export function applyEmailStyles(tokens: readonly Token[]): void {
  for (const token of tokens) {
    addStyle(token);
    token.children?.forEach(addStyle);
  }
}

/** Gives `<pre>` of fenced and indented code blocks an inline style. */
export function styleCodeBlocks(md: MarkdownIt): void {
  for (const rule of ['fence', 'code_block'] as const) {
    const original = md.renderer.rules[rule];
    if (original === undefined) {
      continue;
    }
    md.renderer.rules[rule] = (tokens, index, options, env, self) =>
      original(tokens, index, options, env, self).replace(/^<pre>/, `<pre style="${PRE_STYLE}">`);
  }
}

export function htmlDocument(body: string): string {
  return [
    '<!doctype html>',
    '<html>',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<style>',
    `body { ${BODY_STYLE} }`,
    'img { max-width: 100%; }',
    `pre { ${PRE_STYLE} }`,
    'table { border-collapse: collapse; }',
    'th, td { border: 1px solid #d0d7de; padding: 6px 12px; }',
    '</style>',
    '</head>',
    `<body style="${BODY_STYLE}">`,
    body.endsWith('\n') || body === '' ? body.replace(/\n$/, '') : body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
