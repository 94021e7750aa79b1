/**
 * A composed message with large attachments, sent by the SMTP client to npm `smtp-server` in
 * this process: what the server stores must be the composed bytes, byte for byte. This is the
 * path the speed work changed (attachments read into one reused buffer, the composer's base64
 * lines passed through the DATA encoder unscanned, the socket's backpressure): a chunk
 * overwritten or reordered before the socket wrote it, or a dot left unstuffed, shows here.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeMessage } from '../../src/core/mime';
import { SmtpClient } from '../../src/core/smtp';
import { FIXED, attachmentFor, makeDraft } from '../support/mime-drafts';
import { startSmtpServer } from '../support/smtp-server-peer';
import type { PeerServer } from '../support/smtp-server-peer';

describe('a composed message with large attachments through smtp-server', function () {
  this.timeout(60_000);
  let folder = '';
  let peer: PeerServer | undefined;

  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'sae-composed-send-'));
  });
  after(async () => {
    await peer?.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('arrives as the composed bytes (dots stuffed on the wire and removed by the server)', async () => {
    // Sizes that end mid-line and mid-read, so the last chunk of each file carries a tail.
    const big = join(folder, 'big.bin');
    const second = join(folder, 'second.bin');
    await writeFile(big, randomBytes(12 * 1024 * 1024 + 4321));
    await writeFile(second, randomBytes(300_001));
    // Lines that start with a dot: stuffed by the DATA encoder between the base64 chunks.
    const body = '.hidden line\n..two dots\nplain\n.\n';
    const message = await composeMessage({ ...FIXED, draft: makeDraft({ body, attachments: [attachmentFor(big), attachmentFor(second)] }) });
    // Each chunk copied as it comes: the bytes the stream yields, even if a buffer were reused later.
    const copies: Buffer[] = [];
    for await (const chunk of message.stream()) copies.push(Buffer.from(chunk as Buffer));
    const expected = Buffer.concat(copies);
    assert.equal(expected.length, message.size);

    // A server that reads slowly: the socket's buffers fill, writes complete only partly and
    // the client's chunks wait in the socket's queue, where a reused buffer would be overwritten.
    const stored: Buffer[] = [];
    peer = await startSmtpServer({
      onData(stream, _session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          stream.pause();
          setTimeout(() => stream.resume(), 1);
        });
        stream.on('end', () => {
          stored.push(Buffer.concat(chunks));
          callback(null);
        });
      },
    });
    const client = new SmtpClient({ host: '127.0.0.1', port: peer.port, security: 'none' });
    try {
      await client.connect();
      const result = await client.send({ from: 'alice@example.com', to: ['bob@example.com'], size: message.size }, message.stream());
      assert.equal(result.reply.code, 250);
      // Every line starting with "." got one more on the wire, then the final ".\r\n".
      const stuffed = expected.toString('latin1').split('\r\n.').length - 1;
      assert.equal(result.bytesSent, message.size + stuffed + 3);
      await client.quit();
    } finally {
      client.close();
    }
    assert.equal(stored.length, 1);
    const received = stored[0] ?? Buffer.alloc(0);
    assert.equal(received.length, expected.length);
    assert.ok(received.equals(expected), 'the server stored other bytes than were composed');
  });
});
