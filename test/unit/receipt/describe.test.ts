import assert from 'node:assert/strict';
import { receiptNote, receiptNoteAt, resendQuestion, wasSent } from '../../../src/core/receipt/describe';
import { renderText } from '../../../src/core/text';

const receipt = { sent: '2026-12-02T10:15:00Z', messageId: '<a@b.test>' };

describe('receipt description', () => {
  it('notes a sent draft, with or without its Message-ID', () => {
    assert.equal(renderText(receiptNote({ receipt }) ?? { template: '', args: [] }), 'sent on 2026-12-02T10:15:00Z as <a@b.test>');
    assert.equal(renderText(receiptNote({ receipt: { sent: 'x' } }) ?? { template: '', args: [] }), 'sent on x');
    assert.equal(receiptNote({}), undefined);
    // A message-id alone (typed by hand) is no record of a send.
    assert.equal(wasSent({ receipt: { messageId: '<a@b.test>' } }), false);
    assert.equal(wasSent({ receipt }), true);
    // The note points at the `sent:` line (line 1 is the opening fence).
    assert.equal(receiptNoteAt('---\nto: a@x.test\nsent: x\n---\n', { receipt })?.line, 3);
    assert.equal(receiptNoteAt('---\nto: a@x.test\n---\n', {}), undefined);
  });

  it('asks naming the date and every kind of recipient, the first three only', () => {
    const to = [{ address: 'a@x.test' }, { address: 'b@x.test', name: 'B' }];
    assert.equal(renderText(resendQuestion({ receipt, to, cc: [], bcc: [{ address: 'c@x.test' }] })), 'Sent on 2026-12-02T10:15:00Z to a@x.test, b@x.test, c@x.test — send again?');
    assert.equal(renderText(resendQuestion({ receipt, to, cc: to, bcc: [] })), 'Sent on 2026-12-02T10:15:00Z to a@x.test, b@x.test, a@x.test, … — send again?');
  });
});
