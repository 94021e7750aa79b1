/**
 * A user stylesheet, inlined into the HTML part with juice (its DOM-only client: it never
 * loads files or URLs). Loaded only when a stylesheet is configured (lazy.ts); the production
 * build keeps this module and juice in their own file (esbuild.js).
 *
 * The built-in look is already inline, and an inline style wins over a stylesheet rule in CSS.
 * A user stylesheet exists to change that look, so its declarations are marked `!important`
 * before inlining (juice then writes them without the mark): they win over the built-in
 * styles, and among themselves the usual cascade (specificity, then order) decides.
 * Only plain rules are inlined: `@media`, `@font-face`, pseudo-classes and pseudo-elements
 * cannot be written inline and are left out.
 */
import juice from 'juice/client';

/** The text of a CSS string or comment starting at `start` (which holds its opening character). */
function skipQuoted(css: string, start: number): number {
  if (css.startsWith('/*', start)) {
    const end = css.indexOf('*/', start + 2);
    return end < 0 ? css.length : end + 2;
  }
  const quote = css[start];
  let index = start + 1;
  while (index < css.length && css[index] !== quote) index += css[index] === '\\' ? 2 : 1;
  return Math.min(index + 1, css.length);
}

function important(declaration: string): string {
  const trimmed = declaration.trimEnd();
  if (!trimmed.includes(':') || /!\s*important$/i.test(trimmed)) return declaration;
  return `${trimmed} !important${declaration.slice(trimmed.length)}`;
}

/**
 * `css` with every declaration of every plain rule marked `!important` (at-rule blocks such as
 * `@media` are walked for their rules; descriptors of `@font-face` or `@page` are left alone).
 * Comments are dropped; strings are copied as they are.
 */
export function markImportant(css: string): string {
  /** Per open block: does it hold declarations to mark? */
  const blocks: boolean[] = [];
  let out = '';
  let pending = '';
  for (let index = 0; index < css.length; ) {
    const char = css[index] ?? '';
    if (char === '"' || char === "'" || css.startsWith('/*', index)) {
      const end = skipQuoted(css, index);
      if (char === '"' || char === "'") pending += css.slice(index, end);
      index = end;
      continue;
    }
    const inDeclarations = blocks[blocks.length - 1] === true;
    if (char === '{') {
      const prelude = pending.trim();
      blocks.push(!prelude.startsWith('@'));
      out += `${pending}{`;
      pending = '';
    } else if (char === '}') {
      out += `${inDeclarations ? important(pending) : pending}}`;
      pending = '';
      blocks.pop();
    } else if (char === ';') {
      out += `${inDeclarations ? important(pending) : pending};`;
      pending = '';
    } else {
      pending += char;
    }
    index++;
  }
  return out + pending;
}

/** `html` (a whole document) with the rules of `css` inlined; the built-in styles lose to them. */
export function inlineStylesheet(html: string, css: string): string {
  return juice.inlineContent(html, markImportant(css), {
    applyStyleTags: false,
    removeStyleTags: true,
    preserveImportant: false,
    preserveMediaQueries: false,
    preserveFontFaces: false,
    preserveKeyFrames: false,
    preservePseudos: false,
    inlinePseudoElements: false,
    insertPreservedExtraCss: false,
    resolveCSSVariables: true,
    // Outlook sizes tables and images by their attributes: write CSS widths there too.
    applyWidthAttributes: true,
    applyHeightAttributes: true,
    applyAttributesTableElements: true,
  });
}
