/**
 * How the streaming writer treats the attachment files it reads (src/core/mime/writer.ts): one
 * FileHandle per file, closed however the stream ends, and a file that grew since composing is
 * a ComposeError (the declared size would lie).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync, readlinkSync } from 'node:fs';
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ComposeError, composeMessage } from '../../../src/core/mime';
import { FIXED, attachmentFor, makeDraft } from '../../support/mime-drafts';
import { collect } from '../../support/mime-parsers';

/** Descriptors of this process open on `path` (Linux: /proc/self/fd). */
function openDescriptors(path: string): number {
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(join('/proc/self/fd', fd)) === path;
    } catch {
      return false; // closed while listing
    }
  }).length;
}

describe('composeMessage stream: attachment files', () => {
  let folder = '';
  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'sae-writer-'));
  });
  after(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('closes the attachment when the stream is destroyed halfway', async () => {
    const path = join(folder, 'halfway.bin');
    await writeFile(path, randomBytes(4 * 1024 * 1024));
    const message = await composeMessage({ ...FIXED, draft: makeDraft({ attachments: [attachmentFor(path)] }) });
    const stream = message.stream();
    let seen = 0;
    for await (const chunk of stream) {
      seen += (chunk as Buffer).length;
      // Past the headers, inside the attachment: its file is open now.
      if (seen > 1024 * 1024) break;
    }
    // Breaking out destroys the stream (with an AbortError of Node's own); wait until it closed.
    if (!stream.closed) await new Promise<void>((resolve) => stream.once('close', () => resolve()));
    assert.equal(openDescriptors(path), 0);
  });

  it('closes the attachment after a complete stream', async () => {
    const path = join(folder, 'whole.bin');
    await writeFile(path, randomBytes(300_000));
    const message = await composeMessage({ ...FIXED, draft: makeDraft({ attachments: [attachmentFor(path)] }) });
    assert.equal((await collect(message.stream())).length, message.size);
    assert.equal(openDescriptors(path), 0);
  });

  it('fails the stream when an attachment grew after composing (size would lie)', async () => {
    const path = join(folder, 'growing.bin');
    await writeFile(path, randomBytes(200_000));
    const message = await composeMessage({ ...FIXED, draft: makeDraft({ attachments: [attachmentFor(path)] }) });
    await appendFile(path, 'more');
    await assert.rejects(collect(message.stream()), (error: unknown) => {
      assert.ok(error instanceof ComposeError);
      assert.equal(error.reason, 'file-changed');
      assert.equal(error.path, path);
      return true;
    });
    assert.equal(openDescriptors(path), 0);
  });

  // Small files get a read buffer their own size (a merge sends thousands of them): it must
  // still be big enough to see a file that grew, also one that was empty when composed.
  for (const [label, size] of [['empty', 0], ['one line', 57], ['2 KiB', 2048]] as const) {
    it(`fails the stream when a small attachment (${label}) grew by one byte after composing`, async () => {
      const path = join(folder, `small-${size}.bin`);
      await writeFile(path, randomBytes(size));
      const message = await composeMessage({ ...FIXED, draft: makeDraft({ attachments: [attachmentFor(path)] }) });
      await appendFile(path, 'x');
      await assert.rejects(collect(message.stream()), (error: unknown) => error instanceof ComposeError && error.reason === 'file-changed');
      assert.equal(openDescriptors(path), 0);
    });
  }
});
