/**
 * Local images in the Markdown become inline parts (RFC 2387 multipart/related) referenced as
 * `cid:` URLs (RFC 2392). Remote (`http:`, `https:`), `data:` and any other URL with a scheme
 * stays as written. A local image that is missing is a problem positioned at its `![` in the
 * draft, so the editor can underline it.
 */
import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type MarkdownIt from 'markdown-it';
import { lookup } from 'mime-types';
import type { DraftProblem, Position } from '../draft/types';
import type { InlineImage, RenderMarkdownOptions } from './types';

type Token = MarkdownIt.Token;

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

interface FoundImage {
  readonly token: Token;
  readonly src: string;
  readonly start: Position;
  readonly end: Position;
}

/**
 * Every image token with its position in the draft. markdown-it maps only block-level tokens
 * to lines; the k-th image of an inline token is matched to the k-th `![` in its lines.
 */
function findImages(tokens: readonly Token[], source: string, bodyStartLine: number): FoundImage[] {
  const lines = source.split(/\r\n|\r|\n/);
  const found: FoundImage[] = [];
  let lastMap: [number, number] = [0, 1];
  for (const token of tokens) {
    if (token.map !== null) {
      lastMap = token.map;
    }
    if (token.type !== 'inline' || token.children === null) {
      continue;
    }
    const [first, last] = token.map ?? lastMap;
    const openings: Array<{ line: number; column: number; close: number }> = [];
    for (let line = first; line < Math.max(last, first + 1) && line < lines.length; line++) {
      const text = lines[line] ?? '';
      for (let column = text.indexOf('!['); column >= 0; column = text.indexOf('![', column + 2)) {
        openings.push({ line, column, close: text.indexOf(')', column) });
      }
    }
    let index = 0;
    for (const child of token.children) {
      if (child.type !== 'image') {
        continue;
      }
      const opening = openings[index] ?? openings[openings.length - 1] ?? { line: first, column: 0, close: -1 };
      index++;
      const start = { line: bodyStartLine + opening.line, column: opening.column + 1 };
      const end = opening.close >= 0 ? { line: start.line, column: opening.close + 2 } : start;
      found.push({ token: child, src: child.attrGet('src') ?? '', start, end });
    }
  }
  return found;
}

export interface ResolvedImages {
  readonly inlineImages: InlineImage[];
  readonly problems: DraftProblem[];
}

function newCid(index: number, cidDomain: string | undefined): string {
  return cidDomain !== undefined ? `image${index}@${cidDomain}` : `image${index}.${randomBytes(8).toString('hex')}@send-as-email.invalid`;
}

/** Rewrites local image tokens to `cid:` URLs (in place) and lists the files to embed. */
export async function embedLocalImages(tokens: readonly Token[], source: string, options: RenderMarkdownOptions): Promise<ResolvedImages> {
  const images = findImages(tokens, source, options.bodyStartLine).filter((image) => isLocalImageSource(image.src));
  const byPath = new Map<string, InlineImage>();
  const problems: DraftProblem[] = [];
  for (const image of images) {
    const path = resolve(options.baseDir, decodeSource(image.src));
    let inline = byPath.get(path);
    if (inline === undefined) {
      const size = await fileSize(path);
      if (size === undefined) {
        problems.push({
          severity: 'error',
          code: 'missing-image',
          message: `Image not found: ${decodeSource(image.src)} (looked for ${path}).`,
          start: image.start,
          end: image.end,
        });
        continue;
      }
      const filename = basename(path);
      const type = lookup(filename);
      inline = { cid: newCid(byPath.size + 1, options.cidDomain), path, filename, contentType: type === false ? 'application/octet-stream' : type, size };
      byPath.set(path, inline);
    }
    image.token.attrSet('src', `cid:${inline.cid}`);
  }
  return { inlineImages: [...byPath.values()], problems };
}

async function fileSize(path: string): Promise<number | undefined> {
  try {
    const info = await stat(path);
    return info.isFile() ? info.size : undefined;
  } catch {
    return undefined;
  }
}
