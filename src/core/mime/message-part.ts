/**
 * An attached message (`.eml`, as Forward makes) sent as `message/rfc822` (RFC 2046 5.2.1), so
 * the recipient's client shows it as a message, not as a file to save. That RFC allows only
 * 7bit, 8bit or binary for such a part — never base64 or quoted-printable — so, unlike other
 * attachments, the file is read when composing: its line ends become CRLF (RFC 5322 2.3; a
 * message saved by an MTA often has LF) and its bytes decide whether it can go as 7bit (ASCII,
 * no NUL, lines of at most 998 octets), as 8bit (the server offers 8BITMIME), or not at all —
 * then the caller attaches it as an ordinary base64 file, as before.
 */
import { readFile } from 'node:fs/promises';
import { loadMimeTypes } from '../lazy';
import type { FileRef } from './errors';
import { fileUnreadable } from './errors';
import { foldHeader, MAX_LINE_LENGTH } from './headers';
import { filenameParameter, withParameters } from './params';
import { currentFileSize } from './parts';
import type { LeafPart } from './tree';

/** Larger messages stay base64 files: this one is held in memory while the message is sent. */
const MAX_INLINE_MESSAGE = 32 * 1024 * 1024;

/** A message starts with a header field (RFC 5322 2.2: printable ASCII but colon, then a colon). */
const FIRST_FIELD = /^[!-9;-~]+:/;

type Encoding = '7bit' | '8bit';

/** CRLF for every line end: bytes read as latin1 map one to one, so nothing else changes. */
export function crlfLines(bytes: Buffer): Buffer {
  return Buffer.from(bytes.toString('latin1').replace(/\r\n|\r|\n/g, '\r\n'), 'latin1');
}

/** The transfer encoding the body allows (RFC 2045 2.7, 2.8), or undefined when neither fits. */
export function messageEncoding(body: Buffer, eightBitMime: boolean): Encoding | undefined {
  let eightBit = false;
  let lineStart = 0;
  for (let i = 0; i < body.length; i++) {
    const byte = body[i] ?? 0;
    if (byte === 0) return undefined;
    if (byte >= 0x80) eightBit = true;
    if (byte === 0x0a) {
      if (i - 1 - lineStart > MAX_LINE_LENGTH) return undefined;
      lineStart = i + 1;
    }
  }
  if (body.length - lineStart > MAX_LINE_LENGTH) return undefined;
  if (!eightBit) return '7bit';
  return eightBitMime ? '8bit' : undefined;
}

/** A file whose name says it is a message (`.eml`). */
export async function isMessageFile(filename: string): Promise<boolean> {
  return (await loadMimeTypes()).lookup(filename) === 'message/rfc822';
}

/** The `message/rfc822` part for `file`, or undefined when it must travel as a base64 file. */
export async function messagePart(file: FileRef, eightBitMime: boolean): Promise<LeafPart | undefined> {
  if ((await currentFileSize(file)) > MAX_INLINE_MESSAGE) return undefined;
  let bytes;
  try {
    bytes = await readFile(file.path);
  } catch (error) {
    throw fileUnreadable(file, error);
  }
  const body = crlfLines(bytes);
  if (!FIRST_FIELD.test(body.subarray(0, 1000).toString('latin1'))) return undefined;
  const encoding = messageEncoding(body, eightBitMime);
  if (encoding === undefined) return undefined;
  const headers =
    foldHeader('Content-Type', ['message/rfc822']) +
    foldHeader('Content-Transfer-Encoding', [encoding]) +
    foldHeader('Content-Disposition', withParameters('attachment', filenameParameter(file.filename)));
  return { kind: 'leaf', headers, body: { kind: 'memory', data: body, encoding } };
}
