/**
 * Attachment parts shared by many messages (src/core/mime/attachment-cache.ts), as a mail merge
 * with one `attach:` for every row uses them. Bugs guarded against: a shared file read again for
 * every message (and so a file changed during the run sent in two versions); a cached part that
 * gives other bytes than composing without the cache; a large file held in memory; a failure
 * remembered, so a file that appears later still fails.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeMessage } from '../../../src/core/mime';
import { AttachmentCache } from '../../../src/core/mime/attachment-cache';
import { FIXED, attachmentFor, makeDraft } from '../../support/mime-drafts';
import { collect } from '../../support/mime-parsers';

describe('AttachmentCache: attachment parts shared by many messages', () => {
  let folder = '';
  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'sae-attachment-cache-'));
  });
  after(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('reads a small file once: a later message carries the same bytes after the file changed, and the message is whole in memory', async () => {
    const path = join(folder, 'shared.pdf');
    const original = randomBytes(3000);
    await writeFile(path, original);
    const draft = makeDraft({ attachments: [attachmentFor(path)] });
    const cache = new AttachmentCache();
    const plain = await composeMessage({ ...FIXED, draft });
    const first = await composeMessage({ ...FIXED, draft, attachmentCache: cache });
    const firstBytes = await collect(first.stream());
    assert.deepEqual(firstBytes, await collect(plain.stream()), 'the same bytes as composing without the cache');
    assert.equal(plain.inMemory(), undefined, 'without the cache the attachment is still on disk');
    // Same size, other content: a second read would send other bytes.
    await writeFile(path, randomBytes(3000));
    const second = await composeMessage({ ...FIXED, draft, attachmentCache: cache });
    assert.deepEqual(await collect(second.stream()), firstBytes);
    assert.deepEqual(second.inMemory(), firstBytes);
    assert.equal(second.size, firstBytes.length);
    assert.deepEqual(second.summary.attachments, [{ filename: 'shared.pdf', size: 3000 }], 'the summary gives the file size, not the encoded size');
  });

  it('keeps a large file on disk: streamed per message, never held', async () => {
    const path = join(folder, 'large.bin');
    await writeFile(path, randomBytes(1024 * 1024 + 1));
    const draft = makeDraft({ attachments: [attachmentFor(path)] });
    const cache = new AttachmentCache();
    const message = await composeMessage({ ...FIXED, draft, attachmentCache: cache });
    assert.equal(message.inMemory(), undefined);
    assert.equal((await collect(message.stream())).length, message.size);
  });

  it('does not remember a failure: a missing file fails, and once it exists it is attached', async () => {
    const path = join(folder, 'later.txt');
    await writeFile(path, 'here now\n');
    const draft = makeDraft({ attachments: [attachmentFor(path)] });
    await unlink(path);
    const cache = new AttachmentCache();
    await assert.rejects(composeMessage({ ...FIXED, draft, attachmentCache: cache }), /later\.txt/);
    await writeFile(path, 'here now\n');
    const message = await composeMessage({ ...FIXED, draft, attachmentCache: cache });
    assert.match((await collect(message.stream())).toString('latin1'), /aGVyZSBub3cK/);
    await unlink(path);
  });
});
