import assert from 'node:assert/strict';
import { MalformedReplyError, ReplyParser } from '../../../src/core/smtp/reply-parser';
import type { ParsedReply } from '../../../src/core/smtp/reply-parser';

const EHLO = '250-mail.example.org Hello\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250 8BITMIME\r\n';

function feedInPieces(text: string, size: number): ParsedReply[] {
  const parser = new ReplyParser();
  const bytes = Buffer.from(text);
  const out: ParsedReply[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(...parser.push(bytes.subarray(i, i + size)));
  assert.equal(parser.pendingBytes, 0);
  return out;
}

describe('ReplyParser', () => {
  it('parses a single-line reply', () => {
    const [reply, ...rest] = new ReplyParser().push(Buffer.from('220 mail.example.org ESMTP ready\r\n'));
    assert.deepEqual(rest, []);
    assert.deepEqual(reply, { code: 220, lines: ['mail.example.org ESMTP ready'], raw: ['220 mail.example.org ESMTP ready'] });
  });

  it('joins a multi-line reply and keeps each line', () => {
    const replies = new ReplyParser().push(Buffer.from(EHLO));
    assert.equal(replies.length, 1);
    assert.deepEqual(replies[0]?.lines, ['mail.example.org Hello', 'PIPELINING', 'SIZE 10240000', '8BITMIME']);
    assert.equal(replies[0]?.raw.length, 4);
  });

  it('gives the same result whatever the split, down to one byte at a time', () => {
    const text = `220 hi\r\n${EHLO}550 5.1.1 No such user\r\n`;
    const whole = feedInPieces(text, text.length);
    for (const size of [1, 2, 3, 5, 7, 13]) assert.deepEqual(feedInPieces(text, size), whole, `chunk size ${size}`);
    assert.equal(whole.length, 3);
  });

  it('returns several replies that arrive in one packet, in order (pipelining)', () => {
    const replies = new ReplyParser().push(Buffer.from('250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n550 5.1.1 <x@y> unknown\r\n354 End data\r\n'));
    assert.deepEqual(replies.map((r) => r.code), [250, 250, 550, 354]);
  });

  it('holds a partial reply until its last line arrives', () => {
    const parser = new ReplyParser();
    assert.deepEqual(parser.push(Buffer.from('250-first\r\n250-sec')), []);
    assert.ok(parser.pendingBytes > 0);
    const [reply] = parser.push(Buffer.from('ond\r\n250 last\r\n'));
    assert.deepEqual(reply?.lines, ['first', 'second', 'last']);
    assert.equal(parser.pendingBytes, 0);
  });

  it('parses enhanced status codes (RFC 2034) and strips them from every line', () => {
    const [reply] = new ReplyParser().push(Buffer.from('550-5.1.1 The email account does not exist.\r\n550 5.1.1 Try again\r\n'));
    assert.equal(reply?.enhancedCode, '5.1.1');
    assert.deepEqual(reply?.lines, ['The email account does not exist.', 'Try again']);
  });

  it('does not take text for an enhanced code when the class disagrees with the reply code', () => {
    const [reply] = new ReplyParser().push(Buffer.from('250 5.1.1 odd\r\n'));
    assert.equal(reply?.enhancedCode, undefined);
    assert.deepEqual(reply?.lines, ['5.1.1 odd']);
  });

  it('accepts a bare code without text and a bare LF line end', () => {
    const replies = new ReplyParser().push(Buffer.from('250\r\n221 bye\n'));
    assert.deepEqual(replies.map((r) => [r.code, r.lines]), [[250, ['']], [221, ['bye']]]);
  });

  it('rejects malformed lines', () => {
    for (const bad of ['hello\r\n', '25 short\r\n', '250xtext\r\n', '650 no such class\r\n', '+OK pop3\r\n']) {
      assert.throws(() => new ReplyParser().push(Buffer.from(bad)), MalformedReplyError, bad);
    }
  });

  it('rejects a multi-line reply whose code changes', () => {
    assert.throws(() => new ReplyParser().push(Buffer.from('250-a\r\n251 b\r\n')), /code changed/);
  });

  it('rejects an over-long line even before its end arrives', () => {
    const parser = new ReplyParser({ maxLineLength: 100, maxLines: 100, maxReplyBytes: 65536 });
    assert.deepEqual(parser.push(Buffer.from(`250 ${'x'.repeat(90)}`)), []);
    assert.throws(() => parser.push(Buffer.from('x'.repeat(20))), /longer than 100/);
    assert.throws(() => new ReplyParser().push(Buffer.from(`250 ${'y'.repeat(5000)}\r\n`)), /longer than 4096/);
  });

  it('rejects a reply with too many lines or too many bytes', () => {
    assert.throws(() => new ReplyParser().push(Buffer.from('250-x\r\n'.repeat(101))), /longer than 100 lines/);
    const parser = new ReplyParser({ maxLineLength: 4096, maxLines: 1000, maxReplyBytes: 1000 });
    assert.throws(() => parser.push(Buffer.from(`250-${'z'.repeat(400)}\r\n`.repeat(3))), /larger than 1000 bytes/);
  });
});
