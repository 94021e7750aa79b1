/**
 * Streaming: attachments are read from disk chunk by chunk while the message is written,
 * never whole, and a file that changes or vanishes after composing fails the stream loudly.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, truncate, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ComposeError, composeMessage } from '../../../src/core/mime';
import { FIXED, attachmentFor, makeDraft } from '../../support/mime-drafts';
import { collect, parseFileWithPython, sha256 } from '../../support/mime-parsers';

describe('composeMessage streaming', () => {
  let folder = '';
  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'sae-stream-'));
  });
  after(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('streams a 20 MiB attachment in bounded chunks that decode to the same bytes', async function () {
    this.timeout(60_000);
    const path = join(folder, 'big.bin');
    const content = randomBytes(20 * 1024 * 1024);
    await writeFile(path, content);
    const message = await composeMessage({ ...FIXED, draft: makeDraft({ attachments: [attachmentFor(path, 'big.bin')] }) });

    const out = join(folder, 'big.eml');
    let streamed = 0;
    let largestChunk = 0;
    const stream = message.stream();
    stream.on('data', (chunk: Buffer) => {
      streamed += chunk.length;
      largestChunk = Math.max(largestChunk, chunk.length);
    });
    await pipeline(stream, createWriteStream(out));

    assert.equal(streamed, message.size);
    assert.ok(largestChunk <= 1024 * 1024, `largest chunk ${largestChunk} bytes`);
    const parsed = await parseFileWithPython(out);
    assert.equal(parsed.attachments.length, 1);
    assert.equal(parsed.attachments[0]?.sha256, sha256(content));
    assert.equal(parsed.attachments[0]?.size, content.length);
  });

  it('gives a fresh, identical stream on every call', async () => {
    const path = join(folder, 'small.bin');
    await writeFile(path, randomBytes(1000));
    const message = await composeMessage({ ...FIXED, draft: makeDraft({ attachments: [attachmentFor(path)] }) });
    const first = message.stream();
    const second = message.stream();
    assert.notEqual(first, second);
    const [a, b] = await Promise.all([collect(first), collect(second)]);
    assert.ok(a.equals(b));
    assert.ok(a.equals(await collect(message.stream())));
  });

  it('fails the stream, naming the file, when an attachment vanished after composing', async () => {
    const path = join(folder, 'vanishing report.pdf');
    await writeFile(path, 'soon gone');
    const message = await composeMessage({ ...FIXED, draft: makeDraft({ attachments: [attachmentFor(path)] }) });
    await unlink(path);
    await assert.rejects(collect(message.stream()), (error: unknown) => {
      assert.ok(error instanceof ComposeError);
      assert.equal(error.reason, 'file-unreadable');
      assert.equal(error.path, path);
      assert.match(error.message, /vanishing report\.pdf/);
      return true;
    });
  });

  it('fails the stream when an attachment changed size after composing (size would lie)', async () => {
    const path = join(folder, 'shrinking.txt');
    await writeFile(path, 'a'.repeat(100));
    const message = await composeMessage({ ...FIXED, draft: makeDraft({ attachments: [attachmentFor(path)] }) });
    await truncate(path, 10);
    await assert.rejects(collect(message.stream()), (error: unknown) => error instanceof ComposeError && error.reason === 'file-changed' && /shrinking\.txt/.test(error.message));
  });

  it('rejects composing when an attachment is already missing, naming it', async () => {
    const path = join(folder, 'never-there.pdf');
    await assert.rejects(
      composeMessage({ ...FIXED, draft: makeDraft({ attachments: [{ path, realPath: path, filename: 'never-there.pdf', size: 1, outside: false }] }) }),
      (error: unknown) => error instanceof ComposeError && error.reason === 'file-unreadable' && error.message.includes('never-there.pdf'),
    );
  });

  it('computes size from file sizes without reading (equal to the stream for many sizes)', async () => {
    for (const length of [0, 1, 2, 3, 56, 57, 58, 114, 65536, 65537, 200_001]) {
      const path = join(folder, `size-${length}.bin`);
      await writeFile(path, randomBytes(length));
      const message = await composeMessage({ ...FIXED, draft: makeDraft({ attachments: [attachmentFor(path)] }) });
      assert.equal((await collect(message.stream())).length, message.size, `file of ${length} bytes`);
    }
  });
});
