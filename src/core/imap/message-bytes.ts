/**
 * The composed message as one buffer: IMAP APPEND sends a literal of known length (RFC 3501
 * 4.3), and a kept copy is written whole. `stream()` yields the same bytes on every call, so
 * these are the bytes the SMTP server received.
 */
import type { ComposedMessage } from '../mime/types';

export async function composedBytes(message: ComposedMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of message.stream()) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}
