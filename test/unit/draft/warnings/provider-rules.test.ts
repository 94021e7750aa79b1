import assert from 'node:assert/strict';
import { fromRewritten } from '../../../../src/core/draft/warnings/from-rewrite';
import { htmlClipped } from '../../../../src/core/draft/warnings/html-size';
import { tooManyRecipients } from '../../../../src/core/draft/warnings/recipient-limit';
import { parsed, profile } from './support';

const gmail = profile({ name: 'g', preset: 'gmail', host: 'smtp.gmail.com', username: 'me@gmail.com' });

describe('warning: From that Gmail rewrites', () => {
  const draftFrom = (from: string) => parsed(['---', `from: ${from}`, 'to: bob@example.com', '---', 'Hi']);

  it('warns on the from: value when it differs from the Gmail login', async () => {
    const { draft, lines } = await draftFrom('Ann <ann@example.com>');
    const [problem] = fromRewritten(draft, lines, gmail);
    assert.equal(problem?.code, 'from-rewritten');
    assert.deepEqual(problem?.start, { line: 2, column: 7 });
    assert.match(problem?.message ?? '', /me@gmail\.com/);
  });

  it('is silent for the login itself (any case), another provider, or a custom host', async () => {
    const { draft, lines } = await draftFrom('Me <ME@gmail.com>');
    assert.deepEqual(fromRewritten(draft, lines, gmail), []);
    const other = await draftFrom('ann@example.com');
    assert.deepEqual(fromRewritten(other.draft, other.lines, profile({ name: 'o', preset: 'outlook', username: 'me@outlook.com' })), []);
    assert.deepEqual(fromRewritten(other.draft, other.lines, profile({ name: 'c', username: 'me@example.com' })), []);
    // Gmail without the preset, by host.
    assert.equal(fromRewritten(other.draft, other.lines, profile({ name: 'h', host: 'SMTP.gmail.com', username: 'me@gmail.com' })).length, 1);
  });
});

describe('warning: more recipients than the provider takes', () => {
  const draftWith = (count: number) =>
    parsed(['---', `to: [${Array.from({ length: count }, (_, i) => `u${i}@example.com`).join(', ')}]`, 'cc: extra@example.com', '---', 'Hi']);

  it('warns past the preset limit (Gmail 100, counting to, cc and bcc)', async () => {
    const { draft, lines } = await draftWith(100);
    const [problem] = tooManyRecipients(draft, lines, gmail);
    assert.equal(problem?.code, 'too-many-recipients');
    assert.match(problem?.message ?? '', /^101 recipients/);
    assert.deepEqual(problem?.start, { line: 2, column: 1 });
  });

  it('is silent at the limit, and for a custom host', async () => {
    const { draft, lines } = await draftWith(99);
    assert.deepEqual(tooManyRecipients(draft, lines, gmail), []);
    const many = await draftWith(600);
    assert.deepEqual(tooManyRecipients(many.draft, many.lines, profile({ name: 'c' })), []);
  });
});

describe('warning: HTML Gmail clips', () => {
  it('warns over 102 KB only', () => {
    assert.deepEqual(htmlClipped(102 * 1024), []);
    assert.deepEqual(htmlClipped(undefined), []);
    const [problem] = htmlClipped(102 * 1024 + 1);
    assert.equal(problem?.code, 'html-clipped');
    assert.deepEqual(problem?.start, { line: 1, column: 1 });
  });
});
