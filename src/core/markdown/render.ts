/**
 * Markdown → a complete HTML email document, with local images turned into inline parts.
 * markdown-it with `html: true` (authors may write raw HTML) and `linkify: true` (bare URLs
 * become links, as readers expect in mail); the result goes through sanitize.ts.
 *
 * Two steps, because checking and composing happen at different times: `prepareMarkdown`
 * parses once and checks every image (the draft check), and `renderHtml` writes the HTML for
 * one message identity, whose Content-IDs the `cid:` URLs name. The renderer never makes an id.
 */
import type MarkdownIt from 'markdown-it';
import { loadMarkdownIt } from '../lazy';
import { applyEmailStyles, htmlDocument, styleCodeBlocks } from './document';
import { recordImagePositions, resolveImages } from './images';
import { sanitizeHtml } from './sanitize';
import type { PreparedMarkdown, PrepareMarkdownOptions } from './types';

async function createRenderer(): Promise<MarkdownIt> {
  const MarkdownItConstructor = await loadMarkdownIt();
  const md = new MarkdownItConstructor({ html: true, linkify: true });
  styleCodeBlocks(md);
  recordImagePositions(md);
  return md;
}

export async function prepareMarkdown(source: string, options: PrepareMarkdownOptions): Promise<PreparedMarkdown> {
  const md = await createRenderer();
  const env = {};
  const tokens = md.parse(source, env);
  const { inlineImages, links, problems } = await resolveImages(tokens, source, options.bodyStartLine, options);
  applyEmailStyles(tokens);
  return {
    inlineImages,
    problems,
    async renderHtml(contentId) {
      // Set on every call (not once): the same prepared body may be rendered for several identities.
      for (const link of links) link.token.attrSet('src', `cid:${contentId(link.index)}`);
      return htmlDocument(await sanitizeHtml(md.renderer.render(tokens, md.options, env)));
    },
  };
}
