export { renderMarkdown } from './render';
export type { InlineImage, RenderedMarkdown, RenderMarkdownOptions } from './types';
