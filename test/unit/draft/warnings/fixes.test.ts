import assert from 'node:assert/strict';
import type { LineEdit } from '../../../../src/core/draft/warnings/fixes';
import { cleanAddress, insertSubject, setProfile } from '../../../../src/core/draft/warnings/fixes';
import { linesOf } from './support';

/** Applies one edit to the lines (LF), as an editor would. */
function applied(lines: readonly string[], edit: LineEdit | undefined): string {
  assert.ok(edit, 'no edit');
  const text = lines.join('\n');
  const offset = (line: number, column: number): number => lines.slice(0, line).reduce((sum, l) => sum + l.length + 1, 0) + column;
  return text.slice(0, offset(edit.line, edit.column)) + edit.newText + text.slice(offset(edit.endLine, edit.endColumn));
}

describe('quick-fix edits', () => {
  it('adds a subject line before the closing fence', () => {
    const draft = ['---', 'to: bob@example.com', '---', 'Hi'];
    assert.equal(applied(draft, insertSubject(linesOf(draft), '\n')), '---\nto: bob@example.com\nsubject: \n---\nHi');
    assert.equal(insertSubject(linesOf(['---', 'to: bob@example.com']), '\n'), undefined);
  });

  it('sets profile: in place or as a new key, quoting what YAML would misread', () => {
    const named = ['---', 'to: a@example.com', 'profile: wrok # typo', '---'];
    assert.equal(applied(named, setProfile(linesOf(named), 'work', '\n')), '---\nto: a@example.com\nprofile: work # typo\n---');
    const none = ['---', 'to: a@example.com', '---'];
    assert.equal(applied(none, setProfile(linesOf(none), 'a:b', '\n')), '---\nto: a@example.com\nprofile: "a:b"\n---');
    const empty = ['---', 'profile:', '---'];
    assert.equal(applied(empty, setProfile(linesOf(empty), 'home', '\n')), '---\nprofile: home\n---');
  });

  it('mends an address with a stray character, and leaves the rest alone', () => {
    assert.equal(cleanAddress('bob@example.com>'), 'bob@example.com');
    assert.equal(cleanAddress('<bob@example.com'), 'bob@example.com');
    assert.equal(cleanAddress("'bob@example.com'"), 'bob@example.com');
    assert.equal(cleanAddress('bob@example.com.'), 'bob@example.com');
    assert.equal(cleanAddress('bob @example.com'), 'bob@example.com');
    assert.equal(cleanAddress('Bob Lee bob@example.com'), 'Bob Lee <bob@example.com>');
    assert.equal(cleanAddress('bob@example.com'), undefined);
    assert.equal(cleanAddress('not an address'), undefined);
  });
});
