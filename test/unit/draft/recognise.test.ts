import assert from 'node:assert/strict';
import { isDraftText, isMergeText } from '../../../src/core/draft/recognise';

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

describe('isMergeText: which drafts are mail merges', () => {
  it('recognises merge: as a top-level key of the front matter, closed or still being written', () => {
    assert.equal(isMergeText('---\nto: "{{ email }}"\nmerge: people.csv\n---\nHi'), true);
    assert.equal(isMergeText('\uFEFF---\r\nMerge : people.csv\r\n---\r\n'), true);
    assert.equal(isMergeText('---\nto: x@example.com\nmerge: people.csv'), true);
  });

  it('ignores merge in the body, nested keys, look-alike keys and files without front matter', () => {
    assert.equal(isMergeText('---\nto: a@example.com\n---\nmerge: people.csv\n'), false);
    assert.equal(isMergeText('---\nmeta:\n  merge: people.csv\n---\n'), false);
    assert.equal(isMergeText('---\nmerger: people.csv\n---\n'), false);
    assert.equal(isMergeText('merge: people.csv\n'), false);
  });
});
