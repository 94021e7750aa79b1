/**
 * Local images in the Markdown become inline parts (RFC 2387 multipart/related) referenced as
 * `cid:` URLs (RFC 2392). Remote (`http:`, `https:`) and any other URL with a scheme stays as
 * written (the sanitizer then keeps only the schemes mail may carry).
 *
 * Only images are images: a draft can name any readable file in image syntax, and the HTML can
 * hide it, so a file is embedded only when its leading bytes say PNG, JPEG, GIF or WebP, and
 * its type comes from those bytes, never from its name. Files resolve by the one rule for
 * local files (files/local-file.ts): symlinks followed, judged by the target, and a file from
 * outside the workspace folder is a warning showing where it really is (an error when the
 * workspace is not trusted). Every problem is positioned at the image's `![` in the draft.
 */
import { open } from 'node:fs/promises';
import type MarkdownIt from 'markdown-it';
import { ProblemCode } from '../draft/problem-codes';
import type { DraftProblem, Position } from '../draft/types';
import type { FileScope, LocalFile } from '../files/local-file';
import { resolveLocalFile } from '../files/local-file';
import { describeCharacter } from '../mime/grammar';
import { imageWidth } from './image-size';
import type { LocalizedText } from '../text';
import { localized, renderText } from '../text';
import type { ImageType, InlineImage } from './types';

type Token = MarkdownIt.Token;
type InlineRule = (state: MarkdownIt.StateInline, silent: boolean) => boolean;

/** A scheme (`https:`, `data:`, `cid:`…) or a protocol-relative `//host` means not a local file. */
export function isLocalImageSource(src: string): boolean {
  return src !== '' && !/^[a-z][a-z0-9+.-]*:/i.test(src) && !src.startsWith('//') && !src.startsWith('#');
}

/** markdown-it percent-encodes URLs (`a b.png` → `a%20b.png`); the file name is the decoded one. */
function decodeSource(src: string): string {
  const withoutSuffix = src.replace(/[?#].*$/, '');
  try {
    return decodeURIComponent(withoutSuffix);
  } catch {
    return withoutSuffix;
  }
}

/** Where each image token starts and ends in the content of the inline token that holds it. */
const IMAGE_SPANS = new WeakMap<Token, { readonly start: number; readonly end: number }>();

/**
 * markdown-it maps only block tokens to lines. To know where an image stands, a rule placed
 * just before the built-in `image` rule runs that rule itself and notes the offsets it
 * consumed (link labels are parsed in the same state, so images inside links are seen too).
 */
export function recordImagePositions(md: MarkdownIt): void {
  let image: InlineRule | undefined;
  const rule: InlineRule = (state, silent) => {
    if (state.src.charCodeAt(state.pos) !== 0x21 /* ! */ || state.src.charCodeAt(state.pos + 1) !== 0x5b /* [ */) return false;
    if (image === undefined) {
      const rules = md.inline.ruler.getRules('') as InlineRule[];
      image = rules[rules.indexOf(rule) + 1];
    }
    const start = state.pos;
    const matched = image !== undefined && image(state, silent);
    const token = state.tokens[state.tokens.length - 1];
    if (matched && !silent && token?.type === 'image') IMAGE_SPANS.set(token, { start, end: state.pos });
    return matched;
  };
  md.inline.ruler.before('image', 'sae_image_position', rule);
}

interface FoundImage {
  readonly token: Token;
  readonly src: string;
  readonly start: Position;
  readonly end: Position;
}

/**
 * Converts offsets in an inline token's content to draft positions. Content lines are source
 * lines less their container prefix (`> `, `- `, indentation, table pipes), so each content
 * line is found inside its source line once. Linear in the content: the cursor only advances.
 */
class ContentPositions {
  private readonly contentLines: string[];
  private line = 0;
  private lineStart = 0;
  /** Where the current content line starts in its source line (found once per line: a line may be megabytes). */
  private shift: number | undefined;
  /** Shifts found so far, by content line, so going back never searches again. */
  private readonly shifts = new Map<number, number>();

  constructor(
    content: string,
    private readonly sourceLines: readonly string[],
    private readonly firstLine: number,
    private readonly bodyStartLine: number,
    /**
     * Per source line, where the next search starts: the cells of one table row are separate
     * inline tokens on the same line, and two equal cells must not both be found in the first.
     */
    private readonly searchFrom: Map<number, number>,
  ) {
    this.contentLines = content.split('\n');
  }

  at(offset: number): Position {
    if (offset < this.lineStart) {
      this.line = 0;
      this.lineStart = 0;
      this.shift = undefined;
    }
    for (;;) {
      const length = this.contentLines[this.line]?.length ?? 0;
      if (offset <= this.lineStart + length || this.line >= this.contentLines.length - 1) break;
      this.lineStart += length + 1;
      this.line++;
      this.shift = undefined;
    }
    if (this.shift === undefined) this.shift = this.shifts.get(this.line) ?? this.findShift();
    return { line: this.bodyStartLine + this.firstLine + this.line, column: this.shift + (offset - this.lineStart) + 1 };
  }

  private findShift(): number {
    const contentLine = this.contentLines[this.line] ?? '';
    const index = this.firstLine + this.line;
    const sourceLine = this.sourceLines[index] ?? '';
    const after = sourceLine.indexOf(contentLine, this.searchFrom.get(index) ?? 0);
    const shift = after >= 0 ? after : Math.max(0, sourceLine.indexOf(contentLine));
    this.searchFrom.set(index, shift + contentLine.length);
    this.shifts.set(this.line, shift);
    return shift;
  }
}

/** Every image token that is a direct child of an inline token, with its position in the draft. */
function findImages(tokens: readonly Token[], source: string, bodyStartLine: number): FoundImage[] {
  let sourceLines: string[] | undefined;
  const searchFrom = new Map<number, number>();
  const found: FoundImage[] = [];
  let lastMap: [number, number] = [0, 1];
  for (const token of tokens) {
    if (token.map !== null) {
      lastMap = token.map;
    }
    if (token.type !== 'inline' || token.children === null || !token.children.some((child) => child.type === 'image')) {
      continue;
    }
    // Table cells have no map of their own: the row's (the last map seen) is their line.
    sourceLines ??= source.split(/\r\n|\r|\n/);
    const positions = new ContentPositions(token.content, sourceLines, (token.map ?? lastMap)[0], bodyStartLine, searchFrom);
    for (const child of token.children) {
      if (child.type !== 'image') continue;
      const span = IMAGE_SPANS.get(child);
      const start = span === undefined ? positions.at(0) : positions.at(span.start);
      const end = span === undefined ? start : positions.at(span.end);
      found.push({ token: child, src: child.attrGet('src') ?? '', start, end });
    }
  }
  return found;
}

/** The magic numbers of the formats mail clients show inline. */
function sniffImageType(head: Buffer): ImageType | undefined {
  if (head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  const ascii = head.toString('latin1', 0, 12);
  if (ascii.startsWith('GIF87a') || ascii.startsWith('GIF89a')) return 'image/gif';
  if (ascii.startsWith('RIFF') && ascii.slice(8, 12) === 'WEBP') return 'image/webp';
  return undefined;
}

function looksLikeSvg(filename: string, head: Buffer): boolean {
  if (/\.svgz?$/i.test(filename)) return true;
  const text = head.toString('utf8').replace(/^\uFEFF/, '').trimStart();
  return text.startsWith('<svg') || (text.startsWith('<?xml') && text.includes('<svg'));
}

/** Enough for the type and, for nearly every JPEG, the frame header that gives its width. */
const SNIFF_LENGTH = 64 * 1024;

async function readHead(path: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(SNIFF_LENGTH);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_LENGTH, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

export interface ImageScope extends FileScope {
  /** Untrusted workspace: a file from outside `root` is an error, not a warning. */
  readonly untrusted: boolean;
}

/** What one written source resolved to: a file to embed (maybe with a warning), or an error. */
type Verdict =
  | { readonly ok: true; readonly file: LocalFile; readonly type: ImageType; readonly width: number | undefined; readonly warning: LocalizedText | undefined }
  | { readonly ok: false; readonly code: string; readonly error: LocalizedText };

async function judge(written: string, scope: ImageScope): Promise<Verdict> {
  const result = await resolveLocalFile(written, scope);
  if (!result.ok) {
    switch (result.reason) {
      case 'missing':
        return { ok: false, code: ProblemCode.missingImage, error: localized('Image not found: {0} (looked for {1}).', written, result.path) };
      case 'directory':
        return { ok: false, code: ProblemCode.missingImage, error: localized('The image {0} is a folder, not a file ({1}).', written, result.path) };
      case 'special':
        return { ok: false, code: ProblemCode.missingImage, error: localized('The image {0} is not a regular file and cannot be sent ({1}).', written, result.path) };
      case 'unreadable':
        return { ok: false, code: ProblemCode.missingImage, error: localized('The image {0} cannot be read ({1}: {2}).', written, result.errno, result.path) };
      case 'disguised':
        return {
          ok: false,
          code: ProblemCode.formatCharacter,
          error: localized('The image {0} contains the invisible formatting character {1}, which can disguise a file name.', result.name, describeCharacter(result.character)),
        };
    }
  }
  const file = result.file;
  if (file.outside && scope.untrusted) {
    return {
      ok: false,
      code: ProblemCode.imageOutside,
      error: localized('The image {0} is outside the workspace folder ({1}); this workspace is not trusted, so it cannot be sent.', written, file.realPath),
    };
  }
  let head: Buffer;
  try {
    head = await readHead(file.realPath);
  } catch (error) {
    return { ok: false, code: ProblemCode.missingImage, error: localized('The image {0} cannot be read ({1}).', written, error instanceof Error ? error.message : String(error)) };
  }
  const type = sniffImageType(head);
  if (type === undefined) {
    if (looksLikeSvg(file.filename, head)) {
      return {
        ok: false,
        code: ProblemCode.notAnImage,
        error: localized('{0} is an SVG image, which most mail clients do not show — convert it to PNG, or use attach: to send it as a file.', written),
      };
    }
    return { ok: false, code: ProblemCode.notAnImage, error: localized('{0} is not an image — use attach: to send other files.', written) };
  }
  const warning = file.outside ? localized('The image {0} is outside the workspace folder: {1} will be sent.', written, file.realPath) : undefined;
  return { ok: true, file, type, width: imageWidth(head, type), warning };
}

function problem(severity: DraftProblem['severity'], code: string, text: LocalizedText, image: FoundImage): DraftProblem {
  return { severity, code, text, message: renderText(text), start: image.start, end: image.end };
}

/** An image token and the inline image it shows (its 1-based index), with where it stands in the draft. */
export interface ImageLink {
  readonly token: Token;
  readonly index: number;
  readonly start: Position;
  readonly end: Position;
  /** The image's width in pixels, when its header says. */
  readonly width: number | undefined;
}

export interface ResolvedImages {
  readonly inlineImages: InlineImage[];
  readonly links: ImageLink[];
  readonly problems: DraftProblem[];
}

/** Finds the local images, checks each file once, and numbers the embedded ones in order. */
export async function resolveImages(tokens: readonly Token[], source: string, bodyStartLine: number, scope: ImageScope): Promise<ResolvedImages> {
  const images = findImages(tokens, source, bodyStartLine).filter((image) => isLocalImageSource(image.src));
  const verdicts = new Map<string, Verdict>();
  const byRealPath = new Map<string, InlineImage>();
  const links: ImageLink[] = [];
  const problems: DraftProblem[] = [];
  for (const image of images) {
    const written = decodeSource(image.src);
    let verdict = verdicts.get(written);
    if (verdict === undefined) {
      verdict = await judge(written, scope);
      verdicts.set(written, verdict);
    }
    if (!verdict.ok) {
      problems.push(problem('error', verdict.code, verdict.error, image));
      continue;
    }
    if (verdict.warning !== undefined) problems.push(problem('warning', ProblemCode.imageOutside, verdict.warning, image));
    const { file, type } = verdict;
    let inline = byRealPath.get(file.realPath);
    if (inline === undefined) {
      inline = {
        index: byRealPath.size + 1,
        written,
        path: file.path,
        realPath: file.realPath,
        filename: file.filename,
        contentType: type,
        size: file.size,
        outside: file.outside,
      };
      byRealPath.set(file.realPath, inline);
    }
    links.push({ token: image.token, index: inline.index, start: image.start, end: image.end, width: verdict.width });
  }
  return { inlineImages: [...byRealPath.values()], links, problems };
}
