export { prepareMarkdown } from './render';
export type { ImageType, InlineImage, PreparedMarkdown, PrepareMarkdownOptions } from './types';
