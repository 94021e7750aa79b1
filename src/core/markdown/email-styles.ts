/**
 * The look of the HTML part, written as inline `style` attributes on the elements themselves.
 * Mail clients disagree about `<style>`: Gmail keeps it only in `<head>` and drops it in its app
 * for non-Gmail accounts, Outlook on Windows renders with Word and honours little beyond inline
 * styles and table attributes. So nothing here depends on a stylesheet or a selector.
 *
 * The values follow GitHub's Markdown rendering (Markdown Here's defaults are the same idea):
 * readers recognise it. Every element that sets a colour also sets its background, so a client
 * that inverts colours for dark mode inverts both together and keeps the contrast.
 */

/** The HTML part's base direction, from the draft's `dir:` (HTML `dir` attribute values). */
export type TextDirection = 'ltr' | 'rtl' | 'auto';

export const FONT = "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'Noto Sans', Helvetica, Arial, sans-serif";
export const MONO = "ui-monospace, SFMono-Regular, Menlo, Consolas, 'Liberation Mono', monospace";

/** Foreground and background pairs (GitHub's light palette). */
export const COLOURS = {
  text: '#1f2328',
  page: '#ffffff',
  muted: '#59636e',
  border: '#d1d9e0',
  codeBackground: '#f6f8fa',
  inlineCodeBackground: '#eff1f3',
  link: '#0969da',
} as const;

/** The text column's width: readable lines on a wide screen; Outlook honours the attribute. */
export const WRAPPER_WIDTH = 640;

/** The text column's inner width: the wrapper less the content cell's side padding (24 px each). */
export const CONTENT_WIDTH = WRAPPER_WIDTH - 48;

export const PAGE_STYLE = `margin: 0; padding: 0; color: ${COLOURS.text}; background-color: ${COLOURS.page};`;
export const CONTENT_STYLE =
  `font-family: ${FONT}; font-size: 15px; line-height: 1.5; color: ${COLOURS.text}; background-color: ${COLOURS.page}; ` +
  'padding: 16px 24px; overflow-wrap: break-word; word-wrap: break-word;';

export const PRE_STYLE =
  `font-family: ${MONO}; font-size: 13px; line-height: 1.45; color: ${COLOURS.text}; background-color: ${COLOURS.codeBackground}; ` +
  'margin: 0 0 16px 0; padding: 12px 16px; border-radius: 6px; overflow: auto; white-space: pre; text-align: left; direction: ltr;';
/** `<code>` inside `<pre>`: browsers give `code` the generic monospace family and its smaller size. */
export const CODE_IN_PRE_STYLE = `font-family: ${MONO}; font-size: 13px; color: ${COLOURS.text}; background-color: ${COLOURS.codeBackground}; padding: 0;`;

/** Which side is the start of a line: lists indent there, blockquotes have their rule there. */
function sides(dir: TextDirection): { readonly start: string; readonly align: string } {
  if (dir === 'rtl') return { start: 'right', align: 'right' };
  // With `auto` the side is known only per paragraph: the logical properties say "start".
  if (dir === 'auto') return { start: 'inline-start', align: 'start' };
  return { start: 'left', align: 'left' };
}

const HEADING = `margin: 24px 0 16px 0; font-weight: 600; line-height: 1.25; color: ${COLOURS.text};`;
const RULED = `padding-bottom: 0.3em; border-bottom: 1px solid ${COLOURS.border};`;

/** Inline styles by element, for the elements markdown-it writes. */
export interface ElementStyles {
  readonly [tag: string]: string | undefined;
}

/** The styles of one direction; lists in lists and paragraphs in quotes have their own keys. */
export function elementStyles(dir: TextDirection): ElementStyles {
  const { start, align } = sides(dir);
  const cell = `border: 1px solid ${COLOURS.border}; padding: 6px 13px;`;
  return {
    h1: `${HEADING} font-size: 2em; ${RULED}`,
    h2: `${HEADING} font-size: 1.5em; ${RULED}`,
    h3: `${HEADING} font-size: 1.25em;`,
    h4: `${HEADING} font-size: 1em;`,
    h5: `${HEADING} font-size: 0.875em;`,
    h6: `margin: 24px 0 16px 0; font-weight: 600; line-height: 1.25; font-size: 0.85em; color: ${COLOURS.muted};`,
    p: 'margin: 0 0 16px 0;',
    'blockquote p': 'margin: 8px 0;',
    ul: `margin: 0 0 16px 0; padding-${start}: 2em;`,
    ol: `margin: 0 0 16px 0; padding-${start}: 2em;`,
    'li ul': `margin: 0; padding-${start}: 2em;`,
    'li ol': `margin: 0; padding-${start}: 2em;`,
    li: 'margin: 4px 0;',
    'task li': 'margin: 4px 0; list-style-type: none;',
    blockquote: `margin: 0 0 16px 0; padding: 4px 16px; color: ${COLOURS.muted}; background-color: ${COLOURS.codeBackground}; border-${start}: 4px solid ${COLOURS.border};`,
    table: `border-collapse: collapse; border-spacing: 0; margin: 0 0 16px 0; color: ${COLOURS.text}; background-color: ${COLOURS.page};`,
    // Cells take their colours from the table (both set there); a header cell has its own background.
    th: `${cell} color: ${COLOURS.text}; background-color: ${COLOURS.codeBackground}; font-weight: 600;`,
    td: cell,
    // Unaligned header cells: browsers centre `th`; GitHub and readers expect the line's start.
    'th align': `text-align: ${align};`,
    code: `font-family: ${MONO}; font-size: 85%; color: ${COLOURS.text}; background-color: ${COLOURS.inlineCodeBackground}; padding: 0.2em 0.4em; border-radius: 6px;`,
    a: `color: ${COLOURS.link}; text-decoration: underline;`,
    img: 'max-width: 100%; height: auto; border: 0;',
    hr: `height: 0; margin: 24px 0; padding: 0; border: 0; border-top: 1px solid ${COLOURS.border}; background-color: ${COLOURS.page};`,
  };
}
