/**
 * Syntax colours for fenced code, as inline styles: highlight.js marks tokens with classes
 * (`<span class="hljs-keyword">`) that only a stylesheet would colour, and mail clients drop
 * stylesheets. Its output is spans with one class list each and escaped text, so each class list
 * is replaced here by the style of its first class, from a small fixed theme (GitHub's light
 * colours, readable on the block's light background). A span whose class has no colour keeps no
 * attribute at all.
 */
import type { HLJSApi } from 'highlight.js';
import { loadHighlighter } from '../lazy';
import type { Highlight } from './document';

/** highlight.js scope (the first class, without `hljs-`) → inline style. */
const THEME: Readonly<Record<string, string>> = {
  keyword: 'color: #cf222e;',
  doctag: 'color: #cf222e;',
  'template-tag': 'color: #cf222e;',
  'template-variable': 'color: #cf222e;',
  type: 'color: #cf222e;',
  title: 'color: #8250df;',
  attr: 'color: #0550ae;',
  attribute: 'color: #0550ae;',
  literal: 'color: #0550ae;',
  meta: 'color: #0550ae;',
  number: 'color: #0550ae;',
  operator: 'color: #0550ae;',
  variable: 'color: #0550ae;',
  'selector-attr': 'color: #0550ae;',
  'selector-class': 'color: #0550ae;',
  'selector-id': 'color: #0550ae;',
  section: 'color: #0550ae; font-weight: bold;',
  regexp: 'color: #0a3069;',
  string: 'color: #0a3069;',
  built_in: 'color: #953800;',
  symbol: 'color: #953800;',
  comment: 'color: #59636e;',
  code: 'color: #59636e;',
  formula: 'color: #59636e;',
  name: 'color: #116329;',
  quote: 'color: #116329;',
  'selector-tag': 'color: #116329;',
  'selector-pseudo': 'color: #116329;',
  bullet: 'color: #953800;',
  emphasis: 'font-style: italic;',
  strong: 'font-weight: bold;',
  addition: 'color: #116329; background-color: #dafbe1;',
  deletion: 'color: #82071e; background-color: #ffebe9;',
};

/** Every opening span highlight.js writes: `<span class="hljs-a b_">`. */
const SPAN = /<span class="([^"]*)">/g;

export function inlineHighlightClasses(html: string): string {
  return html.replace(SPAN, (_, classes: string) => {
    const first = classes.split(' ')[0] ?? '';
    const style = THEME[first.replace(/^hljs-/, '')];
    return style === undefined ? '<span>' : `<span style="${style}">`;
  });
}

/** Colours `code` as `language`, or undefined when the language is not one we register. */
export function highlightWith(hljs: HLJSApi): Highlight {
  return (code, language) => {
    if (hljs.getLanguage(language) === undefined) return undefined;
    return inlineHighlightClasses(hljs.highlight(code, { language, ignoreIllegals: true }).value);
  };
}

let loaded: Highlight | undefined;

/** The highlighter, loading highlight.js on first use. */
export async function loadHighlight(): Promise<Highlight> {
  loaded ??= highlightWith((await loadHighlighter()).createHighlighter());
  return loaded;
}
