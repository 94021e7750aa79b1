/**
 * The MIME tree (RFC 2045, RFC 2046 5.1) and its serialisation into segments: bytes already
 * in memory (headers, text bodies) and files still on disk (attachments, inline images, sent
 * as base64). Sizes add up without reading any file.
 */
import type { TransferEncoding } from './transfer-encoding';
import { base64EncodedLength } from './base64-lines';
import type { FileRef } from './errors';
import { CRLF } from './headers';

/** A file to be read and base64-encoded while streaming. */
export interface FileSegment extends FileRef {
  readonly kind: 'file';
  /** Size found when composing; the stream fails if the file no longer has it. */
  readonly size: number;
  /**
   * The file already read and encoded (attachment-cache.ts: one file sent with many messages):
   * the stream yields these bytes instead of reading the file again.
   */
  readonly encoded?: Buffer | undefined;
}

export type Segment = Buffer | FileSegment;

export type PartBody =
  | { readonly kind: 'memory'; readonly data: Buffer; readonly encoding: TransferEncoding }
  | FileSegment;

export interface LeafPart {
  readonly kind: 'leaf';
  /** Folded Content-* header fields, each ending in CRLF. */
  readonly headers: string;
  readonly body: PartBody;
}

export interface MultipartPart {
  readonly kind: 'multipart';
  /** Folded Content-Type (with the boundary), ending in CRLF. */
  readonly headers: string;
  readonly boundary: string;
  readonly children: readonly MimePart[];
}

export type MimePart = LeafPart | MultipartPart;

export function segmentLength(segment: Segment): number {
  return Buffer.isBuffer(segment) ? segment.length : base64EncodedLength(segment.size);
}

/**
 * Flattens the tree. `leadingHeaders` are written before the root part's own headers (the
 * message header fields). Each part is its header fields, an empty line, then its body;
 * a multipart body is `--boundary` before each child and `--boundary--` after the last,
 * where the CRLF before each delimiter belongs to the delimiter (RFC 2046 5.1.1).
 */
export function serialise(root: MimePart, leadingHeaders: string): Segment[] {
  const segments: Segment[] = [];
  const text = (value: string): void => {
    segments.push(Buffer.from(value, 'utf8'));
  };
  const walk = (part: MimePart, prefix: string): void => {
    text(prefix + part.headers + CRLF);
    if (part.kind === 'leaf') {
      segments.push(part.body.kind === 'memory' ? part.body.data : part.body);
      return;
    }
    part.children.forEach((child, index) => {
      text(`${index === 0 ? '' : CRLF}--${part.boundary}${CRLF}`);
      walk(child, '');
    });
    text(`${CRLF}--${part.boundary}--${CRLF}`);
  };
  walk(root, leadingHeaders);
  return segments;
}

/** Every leaf, depth first. */
export function leaves(part: MimePart): LeafPart[] {
  return part.kind === 'leaf' ? [part] : part.children.flatMap(leaves);
}
