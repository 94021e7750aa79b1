import assert from 'node:assert/strict';
import { LineCounter, parseDocument } from 'yaml';
import { parseDraft } from '../../../src/core/draft';
import { OPTIONS, assertProblem, codes, draftOf, parseLines, pos } from './helpers';

describe('parseDraft: front matter and body', () => {
  it('no front matter at all is an error at 1:1 (a draft needs recipients)', async () => {
    const result = await parseDraft('Hello Bob,\n\nsee you.\n', OPTIONS);
    assertProblem(result, 'no-front-matter', 'error', pos(1, 1), pos(1, 11));
    assert.deepEqual(codes(result), ['no-front-matter']);
  });

  it('front matter must start on the first line', async () => {
    const result = await parseLines(['', '---', 'to: a@x.org', '---', 'body']);
    assertProblem(result, 'no-front-matter', 'error', pos(1, 1));
  });

  it('an empty draft has no front matter', async () => {
    assertProblem(await parseDraft('', OPTIONS), 'no-front-matter', 'error', pos(1, 1), pos(1, 1));
  });

  it('an opening --- without a closing line is unterminated', async () => {
    const result = await parseLines(['---', 'to: a@x.org', 'subject: Hi', 'Body text']);
    assertProblem(result, 'unterminated-front-matter', 'error', pos(1, 1), pos(1, 4));
  });

  it('keeps the body exactly as written and says where it starts', async () => {
    const draft = draftOf(await parseLines(['---', 'to: a@x.org', 'subject: Hi', '---', 'Line 1', '', '  Line 3  ', '---', '']));
    assert.equal(draft.body, 'Line 1\n\n  Line 3  \n---\n');
    assert.equal(draft.bodyStartLine, 5);
  });

  it('accepts ... as the closing line and trailing blanks on fences', async () => {
    const draft = draftOf(await parseLines(['---  ', 'to: a@x.org', 'subject: Hi', '...', 'Body']));
    assert.equal(draft.body, 'Body');
    assert.equal(draft.bodyStartLine, 5);
  });

  it('a closing fence on the last line gives an empty body', async () => {
    const draft = draftOf(await parseDraft('---\nto: a@x.org\nsubject: Hi\n---', OPTIONS));
    assert.equal(draft.body, '');
    assert.equal(draft.bodyStartLine, 5);
  });

  it('passes format and baseDir through', async () => {
    const draft = draftOf(await parseDraft('---\nto: a@x.org\nsubject: Hi\n---\n', { format: 'plaintext', baseDir: '/drafts' }));
    assert.equal(draft.format, 'plaintext');
    assert.equal(draft.baseDir, '/drafts');
  });

  it('invalid YAML is reported at the YAML library position, translated to the whole draft', async () => {
    const yamlText = 'to: a@x.org\ncc: "Li, Bob" <b@x.org>\n';
    const result = await parseDraft(`---\n${yamlText}---\nbody\n`, OPTIONS);
    // The library's own view of the same error, relative to the front matter text.
    const lineCounter = new LineCounter();
    const doc = parseDocument(yamlText, { lineCounter });
    const libraryError = doc.errors[0];
    assert.ok(libraryError);
    const libraryPos = lineCounter.linePos(libraryError.pos[0]);
    const problem = assertProblem(result, 'invalid-yaml', 'error', pos(libraryPos.line + 1, libraryPos.col));
    assert.deepEqual(problem.start, pos(3, 15));
    assert.match(problem.message, /^invalid YAML: /);
    assert.match(problem.message, /put the whole value in single quotes/);
  });

  it('a YAML syntax error elsewhere is reported without the quoting hint', async () => {
    const result = await parseLines(['---', 'to: a@x.org', 'subject: [unclosed', '---', '']);
    const problem = problemStart(result.problems, 'invalid-yaml');
    assert.ok(problem.line >= 3, JSON.stringify(result.problems));
    assert.doesNotMatch(result.problems[0]?.message ?? '', /single quotes/);
    assert.equal(result.draft, undefined);
  });

  it('front matter that is not a map of keys is an error at its start', async () => {
    const result = await parseLines(['---', '- a@x.org', '---', '']);
    assertProblem(result, 'front-matter-not-a-map', 'error', pos(2, 1));
  });

  it('empty front matter has no recipients and no subject', async () => {
    const result = await parseLines(['---', '---', 'Body']);
    assertProblem(result, 'no-recipients', 'error', pos(1, 1), pos(1, 4));
    assertProblem(result, 'empty-subject', 'warning', pos(1, 1));
  });

  it('positions in a CRLF draft are the same as in an LF draft; the body keeps its CRLFs', async () => {
    const lines = ['---', 'to: a@x.org, bad@@x.org', 'subject: Hi', '---', 'Hello', 'Bye', ''];
    const lf = await parseLines(lines);
    const crlf = await parseLines(lines, {}, '\r\n');
    assertProblem(crlf, 'invalid-address', 'error', pos(2, 14), pos(2, 24));
    assert.deepEqual(crlf.problems, lf.problems);

    const ok = draftOf(await parseLines(['---', 'to: a@x.org', 'subject: Hi', '---', 'Hello', 'Bye', ''], {}, '\r\n'));
    assert.equal(ok.body, 'Hello\r\nBye\r\n');
    assert.equal(ok.bodyStartLine, 5);
  });

  it('a UTF-8 BOM is not counted in columns and not part of anything', async () => {
    const text = '\uFEFF---\nto: bad@@x.org\nsubject: Hi\n---\nBody\n';
    assertProblem(await parseDraft(text, OPTIONS), 'invalid-address', 'error', pos(2, 5), pos(2, 15));
    const draft = draftOf(await parseDraft('\uFEFF---\r\nto: a@x.org\r\nsubject: Hi\r\n---\r\nBody\r\n', OPTIONS));
    assert.deepEqual(draft.to, [{ address: 'a@x.org' }]);
    assert.equal(draft.body, 'Body\r\n');
  });

  it('a BOM before text without front matter still reports no-front-matter at 1:1', async () => {
    assertProblem(await parseDraft('\uFEFFHello', OPTIONS), 'no-front-matter', 'error', pos(1, 1), pos(1, 6));
  });

  it('sorts problems by position, warnings and errors together', async () => {
    const result = await parseLines([
      '---',
      'subject:',
      'colour: blue',
      'to: bad@@x.org',
      'attach_x: y',
      'from: a@x.org, b@x.org',
      '---',
      '',
    ]);
    assert.deepEqual(
      result.problems.map((p) => [p.code, p.start.line, p.start.column]),
      [
        ['empty-subject', 2, 1],
        ['unknown-key', 3, 1],
        ['invalid-address', 4, 5],
        ['unknown-key', 5, 1],
        ['invalid-from', 6, 7],
      ],
    );
    assert.equal(result.draft, undefined);
  });
});

function problemStart(problems: readonly { code: string; start: { line: number } }[], code: string): { line: number } {
  const found = problems.find((p) => p.code === code);
  assert.ok(found, JSON.stringify(problems));
  return found.start;
}

describe('parseDraft: YAML details', () => {
  it('passes a YAML library warning on as yaml-warning', async () => {
    const result = await parseLines(['---', 'to: a@x.org', 'subject: !custom Hi', '---', '']);
    assertProblem(result, 'yaml-warning', 'warning', pos(3, 10), pos(3, 17));
    assert.equal(draftOf(result).subject, 'Hi');
  });

  it('follows anchors and aliases, and points at the alias for a bad value', async () => {
    const draft = draftOf(await parseLines(['---', 'cc: &team a@x.org, b@x.org', 'reply-to: *team', 'subject: Hi', '---', '']));
    assert.deepEqual(draft.replyTo, draft.cc);
    assert.equal(draft.cc.length, 2);
    const result = await parseLines(['---', 'to: a@x.org', 'subject: &s Hi', 'cc: *s', '---', '']);
    assertProblem(result, 'invalid-address', 'error', pos(4, 5), pos(4, 7));
  });

  it('a key that is not a plain name is an unknown-key warning', async () => {
    const result = await parseLines(['---', 'to: a@x.org', 'subject: Hi', '? [a, b]', ': c', '---', '']);
    assertProblem(result, 'unknown-key', 'warning', pos(4, 3), pos(4, 9));
    assert.ok(result.draft);
  });
});
