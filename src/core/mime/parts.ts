/**
 * The leaf parts a draft needs: text bodies, inline images and attachments, each with its
 * Content-* header fields.
 */
import { stat } from 'node:fs/promises';
import { lookup } from 'mime-types';
import { ComposeError } from './errors';
import { foldHeader } from './headers';
import { filenameParameter, nameParameter, simpleParameter, withParameters } from './params';
import { encodeTextBody, normaliseTextBody } from './transfer-encoding';
import type { LeafPart } from './tree';

/** A UTF-8 text part, its transfer encoding chosen from its content (transfer-encoding.ts). */
export function textPart(subtype: 'plain' | 'html', text: string, eightBitMime: boolean): LeafPart {
  const body = encodeTextBody(normaliseTextBody(text), eightBitMime);
  const headers =
    foldHeader('Content-Type', withParameters(`text/${subtype}`, [simpleParameter('charset', 'utf-8')])) +
    foldHeader('Content-Transfer-Encoding', [body.encoding]);
  return { kind: 'leaf', headers, body: { kind: 'memory', ...body } };
}

/**
 * Media type by file extension. message/* is sent as application/octet-stream: RFC 2046
 * 5.2.1 forbids base64 for message/rfc822, and we stream files as base64 without reading them.
 */
export function mediaTypeFor(filename: string): string {
  const found = lookup(filename);
  return found === false || found.startsWith('message/') || found.startsWith('multipart/') ? 'application/octet-stream' : found;
}

export interface FilePartInput {
  readonly path: string;
  readonly filename: string;
  readonly contentType: string;
  readonly disposition: 'attachment' | 'inline';
  /** Content-ID without angle brackets, for inline images. */
  readonly cid?: string;
  /** `attachment "x.pdf"`, for error messages. */
  readonly label: string;
}

/** Current size of a file, without reading it; a clear error naming the file if it is gone. */
export async function currentFileSize(path: string, label: string): Promise<number> {
  try {
    const info = await stat(path);
    if (!info.isFile()) {
      throw new Error('not a regular file');
    }
    return info.size;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ComposeError('file-unreadable', `Cannot read the ${label} (${path}): ${reason}`, path);
  }
}

/** A file part, base64 (RFC 2045 6.8), streamed from disk when the message is written. */
export async function filePart(input: FilePartInput): Promise<LeafPart> {
  const size = await currentFileSize(input.path, input.label);
  let headers =
    foldHeader('Content-Type', withParameters(input.contentType, [nameParameter(input.filename)])) +
    foldHeader('Content-Transfer-Encoding', ['base64']) +
    foldHeader('Content-Disposition', withParameters(input.disposition, filenameParameter(input.filename)));
  if (input.cid !== undefined) {
    // RFC 2392: the HTML's `cid:x` refers to the part whose Content-ID is `<x>`.
    headers += foldHeader('Content-ID', [`<${input.cid}>`]);
  }
  return { kind: 'leaf', headers, body: { kind: 'file', path: input.path, size, label: input.label } };
}
