/**
 * Forward attaches the original as message/rfc822 (core/mime/message-part.ts). RFC 2046 5.2.1
 * allows only 7bit, 8bit or binary for it: the bug guarded against is a base64 message/rfc822
 * part, which strict readers refuse and others show as an undecodable blob.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeMessage } from '../../../src/core/mime';
import { crlfLines, messageEncoding } from '../../../src/core/mime/message-part';
import { FIXED, attachmentFor, makeDraft } from '../../support/mime-drafts';
import { collect, parseWithMailparser } from '../../support/mime-parsers';

const ORIGINAL = 'From: Carol <carol@example.test>\nTo: alice@example.test\nSubject: Plans\nMessage-ID: <orig.1@example.test>\n\nSee you at 10.\n';

async function composedWith(path: string): Promise<string> {
  const message = await composeMessage({ ...FIXED, draft: makeDraft({ subject: 'Fwd: Plans', attachments: [attachmentFor(path)] }) });
  const bytes = await collect(message.stream());
  assert.equal(bytes.length, message.size, 'the declared size is the streamed size');
  return bytes.toString('utf8');
}

function partOf(text: string, filename: string): string {
  const at = text.indexOf(`filename="${filename}"`);
  assert.ok(at >= 0, `no part named ${filename}`);
  const start = text.lastIndexOf('\r\n--', at);
  return text.slice(start, text.indexOf('\r\n--', at));
}

describe('forward: an attached message', () => {
  let folder: string;

  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'sae-fwd-'));
  });

  after(async () => rm(folder, { recursive: true, force: true }));

  it('goes as message/rfc822, 7bit, its LF line ends made CRLF', async () => {
    const path = join(folder, 'plans.eml');
    await writeFile(path, ORIGINAL);
    const text = await composedWith(path);
    const part = partOf(text, 'plans.eml');
    assert.match(part, /Content-Type: message\/rfc822\r\nContent-Transfer-Encoding: 7bit\r\nContent-Disposition: attachment; filename="plans\.eml"\r\n\r\n/);
    assert.ok(part.includes(ORIGINAL.replace(/\n/g, '\r\n').trimEnd()), 'the original is carried unencoded, with CRLF');
    assert.doesNotMatch(text, /base64/);
    // An independent reader sees the nested message.
    const parsed = await parseWithMailparser(Buffer.from(text, 'utf8'));
    assert.equal(parsed.attachments[0]?.contentType, 'message/rfc822');
  });

  it('falls back to a base64 file when the message has 8-bit bytes and the server has no 8BITMIME', async () => {
    const path = join(folder, 'utf8.eml');
    await writeFile(path, ORIGINAL.replace('See you', 'Bis später'));
    const part = partOf(await composedWith(path), 'utf8.eml');
    assert.match(part, /Content-Type: application\/octet-stream; name="utf8\.eml"/);
    assert.match(part, /Content-Transfer-Encoding: base64/);
  });

  it('falls back to a base64 file when the .eml is not a message at all', async () => {
    const path = join(folder, 'not-a-message.eml');
    await writeFile(path, 'just some text\n');
    assert.match(partOf(await composedWith(path), 'not-a-message.eml'), /application\/octet-stream/);
  });

  it('chooses 7bit, 8bit or nothing by the bytes (RFC 2045 2.7, 2.8)', () => {
    assert.equal(messageEncoding(Buffer.from('a: b\r\n\r\nx\r\n'), false), '7bit');
    assert.equal(messageEncoding(Buffer.from('a: b\r\n\r\nä\r\n'), false), undefined);
    assert.equal(messageEncoding(Buffer.from('a: b\r\n\r\nä\r\n'), true), '8bit');
    assert.equal(messageEncoding(Buffer.from(`a: b\r\n\r\n${'x'.repeat(999)}\r\n`), true), undefined);
    assert.equal(messageEncoding(Buffer.from(`a: b\r\n\r\n${'x'.repeat(998)}`), false), '7bit');
    assert.equal(messageEncoding(Buffer.from('a: b\r\n\r\n\0\r\n'), true), undefined);
    assert.equal(crlfLines(Buffer.from('a\nb\r\nc\rd')).toString(), 'a\r\nb\r\nc\r\nd');
  });
});
