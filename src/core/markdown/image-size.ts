/**
 * An image's width in pixels, read from its first bytes: Outlook on Windows ignores
 * `max-width`, so an image wider than the text column must carry a `width` attribute or it
 * pushes the column wide. Only the header is read; an image whose width is not found in it
 * (a JPEG with a very large metadata block) simply gets no attribute.
 */
import type { ImageType } from './types';

/** JPEG start-of-frame markers (ITU T.81 B.1.1.3): SOF0–SOF15 without DHT (C4), JPG (C8) and DAC (CC). */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

function jpegWidth(head: Buffer): number | undefined {
  let offset = 2;
  while (offset + 9 <= head.length) {
    if (head[offset] !== 0xff) return undefined;
    const marker = head[offset + 1] ?? 0;
    // Fill bytes and markers without a length (RST, TEM).
    if (marker === 0xff || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      offset += marker === 0xff ? 1 : 2;
      continue;
    }
    if (isStartOfFrame(marker)) return head.readUInt16BE(offset + 7);
    offset += 2 + head.readUInt16BE(offset + 2);
  }
  return undefined;
}

function webpWidth(head: Buffer): number | undefined {
  const chunk = head.toString('latin1', 12, 16);
  if (chunk === 'VP8 ' && head.length >= 30) return head.readUInt16LE(26) & 0x3fff;
  if (chunk === 'VP8L' && head.length >= 25) return 1 + ((head.readUInt16LE(21) & 0x3fff));
  if (chunk === 'VP8X' && head.length >= 30) return 1 + head.readUIntLE(24, 3);
  return undefined;
}

export function imageWidth(head: Buffer, type: ImageType): number | undefined {
  switch (type) {
    case 'image/png':
      // The IHDR chunk follows the 8-byte signature and its 8-byte chunk header (PNG 11.2.2).
      return head.length >= 24 ? head.readUInt32BE(16) : undefined;
    case 'image/gif':
      return head.length >= 8 ? head.readUInt16LE(6) : undefined;
    case 'image/jpeg':
      return jpegWidth(head);
    case 'image/webp':
      return webpWidth(head);
  }
}
