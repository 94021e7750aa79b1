import assert from 'node:assert/strict';
import { isDraftText } from '../../../src/core/draft/recognise';

describe('isDraftText: which documents are email drafts', () => {
  it('recognises front matter with to, cc or bcc in any case', () => {
    assert.equal(isDraftText('---\nto: bob@example.com\n---\nHi'), true);
    assert.equal(isDraftText('---\nsubject: x\nCC: a@example.com\n---\n'), true);
    assert.equal(isDraftText('\uFEFF---\r\nBcc: a@example.com\r\n---\r\n'), true);
  });

  it('recognises a draft whose front matter is not closed yet', () => {
    assert.equal(isDraftText('---\nto: bob@example.com\nsubject: half written'), true);
  });

  it('does not take a README, a CHANGELOG or other front matter for a draft', () => {
    assert.equal(isDraftText('# README\n\nto: nobody\n'), false);
    assert.equal(isDraftText('---\ntitle: A blog post\nlayout: post\n---\nto: in the body\n'), false);
    assert.equal(isDraftText('---\nmeta:\n  to: nested@example.com\n---\n'), false);
    assert.equal(isDraftText('---\ntoday: 2026-12-02\n---\n'), false);
    assert.equal(isDraftText(''), false);
  });
});
