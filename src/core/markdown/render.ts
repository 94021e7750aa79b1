/**
 * Markdown → a complete HTML email document, with local images turned into inline parts.
 * markdown-it with `html: true` (authors may write raw HTML), `linkify: true` (bare URLs
 * become links, as readers expect in mail) and, by default, `breaks: true` (a line break in a
 * paragraph stays one: "Thanks,↵Ann", an address, a signature); the result goes through
 * sanitize.ts, then into the styled wrapper (document.ts, email-styles.ts).
 *
 * Two steps, because checking and composing happen at different times: `prepareMarkdown`
 * parses once and checks every image and the user stylesheet (the draft check), and
 * `renderHtml` writes the HTML for one message identity, whose Content-IDs the `cid:` URLs
 * name. The renderer never makes an id.
 */
import type MarkdownIt from 'markdown-it';
import { loadCssInliner, loadMarkdownIt } from '../lazy';
import type { Highlight } from './document';
import { applyEmailStyles, documentShell, fenceLanguage, htmlDocument, styleCodeBlocks } from './document';
import type { TextDirection } from './email-styles';
import { CONTENT_WIDTH } from './email-styles';
import { loadHighlight } from './highlight';
import type { ResolvedImages } from './images';
import { recordImagePositions, resolveImages } from './images';
import { sanitizeDocumentBody, sanitizeHtml } from './sanitize';
import type { StylesheetResult } from './stylesheet';
import { readStylesheet } from './stylesheet';
import type { MarkdownEnv } from './text-part';
import { applyTextEdits, imagePlaceholder, unusedDefinitionEdits } from './text-part';
import type { PreparedMarkdown, PrepareMarkdownOptions } from './types';

type Token = MarkdownIt.Token;

async function createRenderer(breaks: boolean, highlight: () => Highlight | undefined): Promise<MarkdownIt> {
  const MarkdownItConstructor = await loadMarkdownIt();
  const md = new MarkdownItConstructor({ html: true, linkify: true, breaks });
  styleCodeBlocks(md, highlight);
  recordImagePositions(md);
  return md;
}

/**
 * The user stylesheet inlined into `document`, then the body sanitized again: the stylesheet is
 * outside input like the draft, and inlining is where a `url()` would get in.
 */
async function restyle(document: string, css: string, dir: TextDirection): Promise<string> {
  const { inlineStylesheet } = await loadCssInliner();
  const { style, body } = await sanitizeDocumentBody(inlineStylesheet(document, css));
  return documentShell(style, body, dir);
}

/** The user stylesheet's text, or the problem that stops the draft; nothing when none is set. */
async function userStylesheet(options: PrepareMarkdownOptions): Promise<StylesheetResult | undefined> {
  const written = options.render?.stylesheet;
  if (written === undefined || written === '') return undefined;
  return readStylesheet(written, { baseDir: options.root, homeDir: options.homeDir, root: options.root });
}

/** The text part: the source, each embedded image's reference as `[image: alt]`, its unused definitions left out. */
function textPart(md: MarkdownIt, source: string, bodyStartLine: number, tokens: readonly Token[], env: MarkdownEnv, images: ResolvedImages): string {
  const placeholders = images.links.map((link) => ({
    start: link.start,
    end: link.end,
    text: imagePlaceholder(link.token.content.trim() || (images.inlineImages[link.index - 1]?.filename ?? '')),
  }));
  const sources = new Set(images.links.map((link) => link.token.attrGet('src') ?? ''));
  return applyTextEdits(source, bodyStartLine, [...placeholders, ...unusedDefinitionEdits(md, source, bodyStartLine, tokens, env, sources)]);
}

export async function prepareMarkdown(source: string, options: PrepareMarkdownOptions): Promise<PreparedMarkdown> {
  let highlight: Highlight | undefined;
  const md = await createRenderer(options.render?.breaks ?? true, () => highlight);
  const env: MarkdownEnv = {};
  const tokens = md.parse(source, env);
  const stylesheet = await userStylesheet(options);
  const images = await resolveImages(tokens, source, options.bodyStartLine, options);
  const text = textPart(md, source, options.bodyStartLine, tokens, env, images);
  const dir = options.dir ?? 'ltr';
  applyEmailStyles(tokens, dir);
  // Outlook ignores max-width: an image wider than the column gets the column's width.
  for (const link of images.links) if (link.width !== undefined && link.width > CONTENT_WIDTH && link.token.attrGet('width') === null) link.token.attrSet('width', String(CONTENT_WIDTH));
  // highlight.js loads only for a fence that names a language.
  if (tokens.some((token) => token.type === 'fence' && fenceLanguage(md, token.info) !== '')) highlight = await loadHighlight();
  const css = stylesheet?.ok === true ? stylesheet.css : undefined;
  return {
    inlineImages: images.inlineImages,
    problems: stylesheet?.ok === false ? [stylesheet.problem, ...images.problems] : images.problems,
    text,
    async renderHtml(contentId) {
      // Set on every call (not once): the same prepared body may be rendered for several identities.
      for (const link of images.links) link.token.attrSet('src', `cid:${contentId(link.index)}`);
      const document = htmlDocument(await sanitizeHtml(md.renderer.render(tokens, md.options, env)), dir);
      return css === undefined ? document : restyle(document, css, dir);
    },
  };
}
