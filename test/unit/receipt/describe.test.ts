import assert from 'node:assert/strict';
import { problemLine } from '../../../src/cli/problem-line';
import { receiptNote, receiptNoteAt, receiptProblem, resendQuestion, wasSent } from '../../../src/core/receipt/describe';
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

  it('is an info problem on the sent key, which the CLI prints as a note', () => {
    const text = '---\nto: a@x.test\nSent: x\n---\n';
    const problem = receiptProblem(text, { receipt });
    assert.ok(problem);
    assert.deepEqual({ ...problem, text: renderText(problem.text) }, {
      severity: 'info',
      code: 'sent',
      text: 'sent on 2026-12-02T10:15:00Z as <a@b.test>',
      message: 'sent on 2026-12-02T10:15:00Z as <a@b.test>',
      start: { line: 3, column: 1 },
      end: { line: 3, column: 5 },
    });
    assert.equal(problemLine('d.md', problem), 'd.md:3:1: note: sent on 2026-12-02T10:15:00Z as <a@b.test>');
    assert.equal(receiptProblem(text, {}), undefined);
  });

  it('asks naming the date and every kind of recipient, the first three only', () => {
    const to = [{ address: 'a@x.test' }, { address: 'b@x.test', name: 'B' }];
    assert.equal(renderText(resendQuestion({ receipt, to, cc: [], bcc: [{ address: 'c@x.test' }] })), 'Sent on 2026-12-02T10:15:00Z to a@x.test, b@x.test, c@x.test — send again?');
    assert.equal(renderText(resendQuestion({ receipt, to, cc: to, bcc: [] })), 'Sent on 2026-12-02T10:15:00Z to a@x.test, b@x.test, a@x.test, … — send again?');
  });
});
