/**
 * Markdown → a complete HTML email document, with local images turned into inline parts.
 * markdown-it with `html: true` (authors may write raw HTML) and `linkify: true` (bare URLs
 * become links, as readers expect in mail); the result goes through sanitize.ts.
 */
import MarkdownIt from 'markdown-it';
import { applyEmailStyles, htmlDocument, styleCodeBlocks } from './document';
import { embedLocalImages } from './images';
import { sanitizeHtml } from './sanitize';
import type { RenderedMarkdown, RenderMarkdownOptions } from './types';

function createRenderer(): MarkdownIt {
  const md = new MarkdownIt({ html: true, linkify: true });
  styleCodeBlocks(md);
  return md;
}

export async function renderMarkdown(source: string, options: RenderMarkdownOptions): Promise<RenderedMarkdown> {
  const md = createRenderer();
  const env = {};
  const tokens = md.parse(source, env);
  const { inlineImages, problems } = await embedLocalImages(tokens, source, options);
  applyEmailStyles(tokens);
  const body = sanitizeHtml(md.renderer.render(tokens, md.options, env));
  return { html: htmlDocument(body), inlineImages, problems };
}
