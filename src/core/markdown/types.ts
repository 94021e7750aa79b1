import type { DraftProblem } from '../draft/types';
import type { TextDirection } from './email-styles';

export type { TextDirection } from './email-styles';

/** The formats embedded inline, as their leading bytes say (never the file name). */
export type ImageType = 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp';

/** A local image referenced by the Markdown, to travel as an inline part (multipart/related). */
export interface InlineImage {
  /**
   * 1-based, in order of first appearance; the message identity names its part
   * (`identity.contentId(index)`), and the HTML refers to it as `cid:` plus that id.
   */
  readonly index: number;
  /** The path as the draft wrote it (decoded from the Markdown URL). */
  readonly written: string;
  /** Absolute path as written, before following links. */
  readonly path: string;
  /** The file the bytes come from, every symlink followed: what is read and sent. */
  readonly realPath: string;
  /** The real file's base name (a link's name never reaches the recipient). */
  readonly filename: string;
  readonly contentType: ImageType;
  readonly size: number;
  /** The real path lies outside the workspace folder (or the draft's folder). */
  readonly outside: boolean;
}

/** A Markdown body parsed and checked, ready to become HTML for any message identity. */
export interface PreparedMarkdown {
  readonly inlineImages: readonly InlineImage[];
  /** Image problems, positioned in the draft (not in the body). */
  readonly problems: readonly DraftProblem[];
  /** The text/plain part: the Markdown source with local image references as `[image: alt]`. */
  readonly text: string;
  /**
   * The complete, sanitized HTML document with email-safe inline styles; each embedded image
   * is `cid:` + `contentId(image.index)`.
   */
  renderHtml(contentId: (index: number) => string): Promise<string>;
}

export interface PrepareMarkdownOptions {
  /** Folder relative image paths resolve against (the draft's folder). */
  readonly baseDir: string;
  /** Home folder for `~/…` image paths. */
  readonly homeDir: string;
  /** The workspace folder (or the draft's folder): images from outside it are flagged. */
  readonly root: string;
  /** Untrusted workspace: images from outside `root` are errors. */
  readonly untrusted: boolean;
  /** 1-based draft line where the body starts, so problem positions point into the draft. */
  readonly bodyStartLine: number;
  /** The draft's `dir:`: the base direction of the HTML part (default ltr). */
  readonly dir?: TextDirection | undefined;
  readonly render?: MarkdownRenderOptions | undefined;
}

/** How Markdown becomes HTML: the user's settings (`sendAsEmail.markdown.breaks`, `sendAsEmail.stylesheet`). */
export interface MarkdownRenderOptions {
  /** A single line break inside a paragraph stays a line break (`<br>`); default true. */
  readonly breaks?: boolean | undefined;
  /**
   * A CSS file to inline into the HTML, as the setting wrote it: `~/…` from the home folder,
   * a relative path from the workspace folder (`root`).
   */
  readonly stylesheet?: string | undefined;
}
