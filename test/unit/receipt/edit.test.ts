/**
 * The receipt edit (core/receipt/edit.ts): after a send the draft gains `sent:` and
 * `message-id:`, and nothing else in it changes by a single byte. Bug guarded against: a
 * rewrite through a YAML serialiser would reorder keys, drop comments and turn CRLF into LF.
 */
import assert from 'node:assert/strict';
import { parseDraft } from '../../../src/core/draft';
import { formatSentTime, sentKeyLine, withReceipt } from '../../../src/core/receipt/edit';
import type { Receipt } from '../../../src/core/receipt/edit';

const RECEIPT: Receipt = { sent: new Date('2026-12-02T10:15:00.123Z'), messageId: '<abc.123@example.test>' };
const SECOND: Receipt = { sent: new Date('2026-12-03T08:00:59Z'), messageId: '<def.456@example.test>' };

function edited(text: string, receipt: Receipt = RECEIPT): string {
  const result = withReceipt(text, receipt);
  assert.ok(result !== undefined, 'no front matter found');
  return result;
}

describe('receipt edit', () => {
  it('writes whole seconds in UTC', () => {
    assert.equal(formatSentTime(RECEIPT.sent), '2026-12-02T10:15:00Z');
  });

  it('adds both keys at the end of the front matter and changes nothing else (LF)', () => {
    const draft = '---\nto: bob@example.test   # the boss\nsubject: Hi\n---\nBody\n';
    assert.equal(edited(draft), '---\nto: bob@example.test   # the boss\nsubject: Hi\nsent: 2026-12-02T10:15:00Z\nmessage-id: "<abc.123@example.test>"\n---\nBody\n');
  });

  it('keeps CRLF line endings, a byte order mark and a `...` closing fence', () => {
    const draft = '\uFEFF---\r\nSubject: Hi\r\nto: bob@example.test\r\n...\r\nBody\r\n';
    assert.equal(edited(draft), '\uFEFF---\r\nSubject: Hi\r\nto: bob@example.test\r\nsent: 2026-12-02T10:15:00Z\r\nmessage-id: "<abc.123@example.test>"\r\n...\r\nBody\r\n');
  });

  it('replaces an existing receipt where it stands, whatever its spelling (a resend)', () => {
    const first = edited('---\n# top\nto: bob@example.test\nsubject: Hi\n---\nBody\n');
    const moved = first.replace('subject: Hi\n', '').replace('# top\n', '# top\nsubject: Hi\n').replace('sent:', 'Sent:');
    const second = edited(moved, SECOND);
    assert.equal(second, '---\n# top\nsubject: Hi\nto: bob@example.test\nsent: 2026-12-03T08:00:59Z\nmessage-id: "<def.456@example.test>"\n---\nBody\n');
  });

  it('replaces a value continued on indented lines, and keeps what follows', () => {
    const draft = '---\nsent: >-\n  yesterday\n  evening\nto: bob@example.test\n---\nx';
    assert.equal(edited(draft), '---\nsent: 2026-12-02T10:15:00Z\nmessage-id: "<abc.123@example.test>"\nto: bob@example.test\n---\nx');
  });

  it('leaves keys that merely start like the receipt keys alone', () => {
    const draft = '---\nto: bob@example.test\nheaders:\n  sent: not ours\nsentinel: x\n---\n';
    assert.equal(edited(draft), '---\nto: bob@example.test\nheaders:\n  sent: not ours\nsentinel: x\nsent: 2026-12-02T10:15:00Z\nmessage-id: "<abc.123@example.test>"\n---\n');
  });

  it('gives undefined for a text without front matter', () => {
    assert.equal(withReceipt('just text\n', RECEIPT), undefined);
    assert.equal(withReceipt('---\nto: x@example.test\n', RECEIPT), undefined);
  });

  it('writes what the draft parser reads back as the receipt', async () => {
    const text = edited('---\nto: bob@example.test\nsubject: Hi\n---\nBody\n');
    const parsed = await parseDraft(text, { format: 'plaintext', baseDir: '/tmp' });
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(parsed.draft?.receipt, { sent: '2026-12-02T10:15:00Z', messageId: '<abc.123@example.test>' });
    assert.equal(sentKeyLine(text), 4);
    assert.equal(sentKeyLine('---\nto: x@example.test\n---\n'), undefined);
  });
});
