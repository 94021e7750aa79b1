/**
 * Attachment parts made once and used by many messages. A mail merge whose `attach:` names the
 * same files for every row (merge/constant-attach.ts) would otherwise stat each file, work out
 * its media type (reading a text file whole for its charset), open, read, base64-encode and
 * close it again for every one of thousands of messages.
 *
 * A file up to IN_MEMORY_LIMIT is read and encoded on first use and held for the cache's life:
 * every message carries the same bytes, even if the file changes during the run. A larger one
 * keeps its part (headers, media type, size) but is streamed from disk per message, as usual:
 * holding it would cost its size for the whole run. A failure is not kept, so the next message
 * tries again and reports its own error.
 */
import type { LeafPart } from './tree';
import { readEncodedFile } from './writer';

const IN_MEMORY_LIMIT = 1024 * 1024;

export class AttachmentCache {
  private readonly parts = new Map<string, Promise<LeafPart>>();

  /** The part cached under `key` (the file's real path and how it is encoded), else `make()`'s, cached. */
  part(key: string, make: () => Promise<LeafPart>): Promise<LeafPart> {
    let part = this.parts.get(key);
    if (part === undefined) {
      part = make().then(inMemory);
      this.parts.set(key, part);
      part.catch(() => {
        if (this.parts.get(key) === part) this.parts.delete(key);
      });
    }
    return part;
  }
}

async function inMemory(part: LeafPart): Promise<LeafPart> {
  const body = part.body;
  if (body.kind !== 'file' || body.size > IN_MEMORY_LIMIT) return part;
  return { ...part, body: { ...body, encoded: await readEncodedFile(body) } };
}
