import type { DraftProblem } from '../draft/types';

/** A local image referenced by the Markdown, to travel as an inline part (multipart/related). */
export interface InlineImage {
  /** Content-ID without angle brackets; the HTML refers to it as `cid:<cid>`. */
  readonly cid: string;
  /** Absolute path on disk. */
  readonly path: string;
  readonly filename: string;
  readonly contentType: string;
  readonly size: number;
}

export interface RenderedMarkdown {
  /** A complete HTML document with email-safe inline styles. */
  readonly html: string;
  readonly inlineImages: readonly InlineImage[];
  /** Missing or unreadable local images, positioned in the draft (not in the body). */
  readonly problems: readonly DraftProblem[];
}

export interface RenderMarkdownOptions {
  /** Folder relative image paths resolve against (the draft's folder). */
  readonly baseDir: string;
  /** 1-based draft line where the body starts, so problem positions point into the draft. */
  readonly bodyStartLine: number;
  /** Makes Content-IDs deterministic in tests; default random. */
  readonly cidDomain?: string;
}
