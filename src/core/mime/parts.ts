/**
 * The leaf parts a draft needs: text bodies, inline images and attachments, each with its
 * Content-* header fields.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { loadMimeTypes } from '../lazy';
import type { FileRef } from './errors';
import { fileNotRegular, fileUnreadable } from './errors';
import { foldHeader } from './headers';
import { filenameParameter, nameParameter, simpleParameter, withParameters } from './params';
import type { ParameterSegments } from './params';
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

export interface MediaType {
  readonly type: string;
  /** Parameters written before `name` (e.g. `charset=utf-8`). */
  readonly parameters: readonly ParameterSegments[];
}

/**
 * Media type by file extension (of the real file's name). message/* is sent as
 * application/octet-stream: RFC 2046 5.2.1 forbids base64 for message/rfc822, and we stream
 * files as base64 without reading them. (An .eml that can go unencoded is attached as
 * message/rfc822 by message-part.ts before this is asked.)
 */
export async function mediaTypeFor(filename: string): Promise<string> {
  const found = (await loadMimeTypes()).lookup(filename);
  return found === false || found.startsWith('message/') || found.startsWith('multipart/') ? 'application/octet-stream' : found;
}

/**
 * Whether a file's bytes are valid UTF-8, read in chunks (the file may be large). A text
 * attachment without a charset is shown as `?????` by Mutt; with a wrong one, as mojibake.
 */
export async function isUtf8File(file: FileRef): Promise<boolean> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    for await (const chunk of createReadStream(file.path)) {
      decoder.decode(chunk as Buffer, { stream: true });
    }
    decoder.decode();
    return true;
  } catch (error) {
    if (error instanceof TypeError) return false; // the decoder's "not valid UTF-8"
    throw fileUnreadable(file, error);
  }
}

/**
 * RFC 2046 4.1.2: a text part's charset says how to read its bytes. Attachments travel as
 * base64 whatever their content; a text/* one gets `charset=utf-8` when its bytes are UTF-8,
 * and no charset when they are not (a wrong label is worse than none).
 */
export async function attachmentMediaType(file: FileRef): Promise<MediaType> {
  const type = await mediaTypeFor(file.filename);
  if (!type.startsWith('text/') || !(await isUtf8File(file))) return { type, parameters: [] };
  return { type, parameters: [simpleParameter('charset', 'utf-8')] };
}

/** Current size of a file, without reading it; a clear error naming the file if it is gone. */
export async function currentFileSize(file: FileRef): Promise<number> {
  let info;
  try {
    info = await stat(file.path);
  } catch (error) {
    throw fileUnreadable(file, error);
  }
  if (!info.isFile()) throw fileNotRegular(file);
  return info.size;
}

export interface FilePartInput {
  readonly file: FileRef;
  readonly mediaType: MediaType;
  readonly disposition: 'attachment' | 'inline';
  /** Content-ID without angle brackets, for inline images. */
  readonly cid: string | undefined;
}

/** A file part, base64 (RFC 2045 6.8), streamed from disk when the message is written. */
export async function filePart(input: FilePartInput): Promise<LeafPart> {
  const { file, mediaType } = input;
  const size = await currentFileSize(file);
  let headers =
    foldHeader('Content-Type', withParameters(mediaType.type, [...mediaType.parameters, nameParameter(file.filename)])) +
    foldHeader('Content-Transfer-Encoding', ['base64']) +
    foldHeader('Content-Disposition', withParameters(input.disposition, filenameParameter(file.filename)));
  if (input.cid !== undefined) {
    // RFC 2392: the HTML's `cid:x` refers to the part whose Content-ID is `<x>`.
    headers += foldHeader('Content-ID', [`<${input.cid}>`]);
  }
  return { kind: 'leaf', headers, body: { kind: 'file', ...file, size } };
}
