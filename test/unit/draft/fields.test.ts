import assert from 'node:assert/strict';
import { assertProblem, codes, draftOf, parseLines, pos } from './helpers';

/** A draft with valid recipients and subject plus `extra` front matter lines (from line 4). */
function withLines(...extra: string[]): ReturnType<typeof parseLines> {
  return parseLines(['---', 'to: a@x.org', 'subject: Hi', ...extra, '---', 'Body']);
}

/** Same, with the subject line supplied by the test (line 2). */
function withSubject(...subjectLines: string[]): ReturnType<typeof parseLines> {
  return parseLines(['---', ...subjectLines, 'to: a@x.org', '---', 'Body']);
}

describe('parseDraft: subject', () => {
  it('keeps a Chinese subject', async () => {
    assert.equal(draftOf(await withSubject('subject: 周报：第 48 周 ✅')).subject, '周报：第 48 周 ✅');
  });

  it('converts a number or boolean to text, keeping its spelling', async () => {
    assert.equal(draftOf(await withSubject('subject: 1.10')).subject, '1.10');
    assert.equal(draftOf(await withSubject('subject: 0x1F')).subject, '0x1F');
    assert.equal(draftOf(await withSubject('subject: true')).subject, 'true');
    assert.equal(draftOf(await withSubject('subject: "2024"')).subject, '2024');
  });

  it('a missing subject is a warning at the front matter start', async () => {
    const result = await parseLines(['---', 'to: a@x.org', '---', '']);
    const problem = assertProblem(result, 'empty-subject', 'warning', pos(1, 1), pos(1, 4));
    assert.match(problem.message, /no subject/);
    assert.equal(draftOf(result).subject, '');
  });

  it('an empty or blank subject is a warning at the key', async () => {
    for (const line of ['subject:', 'subject: ""', "Subject: '   '", 'subject: ~']) {
      const result = await withSubject(line);
      assertProblem(result, 'empty-subject', 'warning', pos(2, 1), pos(2, 8));
      assert.ok(result.draft, line);
    }
  });

  it('a list subject is invalid-type', async () => {
    const result = await withSubject('subject: [a, b]');
    assertProblem(result, 'invalid-type', 'error', pos(2, 10));
  });
});

describe('parseDraft: CR, LF and NUL in header-bound values (header injection)', () => {
  it('catches a newline smuggled in by a | block scalar in subject', async () => {
    const result = await withSubject('subject: |', '  Hello', '  Bcc: victim@x.org');
    const problem = assertProblem(result, 'control-character', 'error', pos(2, 10));
    assert.match(problem.message, /subject contains a line break.*block scalar/);
  });

  it('catches the trailing newline of a > folded subject', async () => {
    const result = await withSubject('subject: >', '  Hello', '  world');
    assertProblem(result, 'control-character', 'error', pos(2, 10));
  });

  it('accepts a >- folded subject, which has no line break', async () => {
    assert.equal(draftOf(await withSubject('subject: >-', '  Hello', '  world')).subject, 'Hello world');
  });

  it('points at an escaped \\r\\n in a double-quoted subject', async () => {
    const result = await withSubject('subject: "Hi\\r\\nBcc: victim@x.org"');
    // subject: " is columns 1-10, Hi is 11-12, the \r escape starts at 13.
    assertProblem(result, 'control-character', 'error', pos(2, 13), pos(2, 15));
  });

  it('catches NUL in a subject', async () => {
    const result = await withSubject('subject: "a\\0b"');
    const problem = assertProblem(result, 'control-character', 'error', pos(2, 12));
    assert.match(problem.message, /NUL/);
  });

  it('catches a line break in an address field, including in a display name', async () => {
    const inAddress = await parseLines(['---', 'to: "a@x.org\\nBcc: victim@x.org"', 'subject: Hi', '---', '']);
    // `to: "` is 1-5, a@x.org 6-12, the \n escape at 13.
    assertProblem(inAddress, 'control-character', 'error', pos(2, 13), pos(2, 15));
    const inName = await parseLines(['---', 'to: a@x.org', 'cc: "\\"Bob\\r\\" <b@x.org>"', 'subject: Hi', '---', '']);
    assertProblem(inName, 'control-character', 'error', pos(3, 11));
    assert.deepEqual(codes(inName), ['control-character']);
  });

  it('catches a line break in a header value', async () => {
    const result = await withLines('headers:', '  X-Note: "one\\ntwo"');
    assertProblem(result, 'control-character', 'error', pos(5, 15), pos(5, 17));
  });

  it('catches a line break in in-reply-to, references and profile', async () => {
    assertProblem(await withLines('in-reply-to: "<a@x.org>\\n"'), 'control-character', 'error', pos(4, 24));
    assertProblem(await withLines('references:', '  - "<a@x.org>\\r<b@x.org>"'), 'control-character', 'error', pos(5, 15));
    assertProblem(await withLines('profile: |', '  work'), 'control-character', 'error', pos(4, 10));
  });

  it('catches a line break in from and reply-to', async () => {
    assertProblem(await withLines('from: "me@x.org\\n"'), 'control-character', 'error', pos(4, 16));
    assertProblem(await withLines('reply-to: [ "r@x.org\\u000a" ]'), 'control-character', 'error', pos(4, 21), pos(4, 27));
  });
});

describe('parseDraft: headers', () => {
  it('reads extra headers, a list value giving the header once per item', async () => {
    const draft = draftOf(await withLines('headers:', '  X-Priority: 1', '  Keywords: [draft, 周报]', '  X-Empty:', '  List-Unsubscribe: <mailto:u@x.org>'));
    assert.deepEqual(draft.headers, [
      { name: 'X-Priority', value: '1' },
      { name: 'Keywords', value: 'draft' },
      { name: 'Keywords', value: '周报' },
      { name: 'X-Empty', value: '' },
      { name: 'List-Unsubscribe', value: '<mailto:u@x.org>' },
    ]);
  });

  const owned: ReadonlyArray<[name: string, hint: RegExp]> = [
    ['Bcc', /use the `bcc` key/],
    ['MIME-Version', /composer writes it/],
    ['Content-Type', /Content-\* headers/],
    ['content-disposition', /Content-\* headers/],
    ['Content-Transfer-Encoding', /Content-\* headers/],
    ['Message-ID', /composer writes it/],
    ['Date', /composer writes it/],
    ['From', /use the `from` key/],
    ['To', /use the `to` key/],
    ['cc', /use the `cc` key/],
    ['Reply-To', /use the `reply-to` key/],
    ['SUBJECT', /use the `subject` key/],
    ['In-Reply-To', /use the `in-reply-to` key/],
    ['References', /use the `references` key/],
  ];
  for (const [name, hint] of owned) {
    it(`refuses ${name}, which the composer owns`, async () => {
      const result = await withLines('headers:', '  X-Ok: fine', `  ${name}: value`);
      const problem = assertProblem(result, 'owned-header', 'error', pos(6, 3), pos(6, 3 + name.length));
      assert.match(problem.message, hint);
      assert.ok(problem.message.includes(`${name} cannot be set here`), problem.message);
    });
  }

  it('refuses a header name that is not printable ASCII without colon (RFC 5322 §2.2)', async () => {
    const result = await withLines('headers:', '  X Bad: 1', '  "X:Colon": 2', '  X-Ünicode: 3', '  "": 4');
    assert.deepEqual(
      result.problems.map((p) => [p.code, p.start.line, p.start.column]),
      [
        ['invalid-header-name', 5, 3],
        ['invalid-header-name', 6, 3],
        ['invalid-header-name', 7, 3],
        ['invalid-header-name', 8, 3],
      ],
    );
    assert.match(result.problems[0]?.message ?? '', /'X Bad' contains U\+0020/);
    assert.match(result.problems[1]?.message ?? '', /contains ':'/);
    assert.match(result.problems[2]?.message ?? '', /U\+00DC/);
    assert.match(result.problems[3]?.message ?? '', /cannot be empty/);
  });

  it('headers must be a map', async () => {
    assertProblem(await withLines('headers: X-A 1'), 'invalid-type', 'error', pos(4, 10));
    assertProblem(await withLines('headers:', '  - X-A: 1'), 'invalid-type', 'error', pos(5, 3));
  });
});

describe('parseDraft: threading', () => {
  it('reads in-reply-to and references as a string or a list', async () => {
    const asString = draftOf(await withLines('in-reply-to: <b@x.org>', 'references: <a@x.org>   <b@x.org>'));
    assert.equal(asString.inReplyTo, '<b@x.org>');
    assert.deepEqual(asString.references, ['<a@x.org>', '<b@x.org>']);
    const asList = draftOf(await withLines('references:', '  - <a@x.org>', '  - <b@[10.0.0.1]> <c@x.org>'));
    assert.deepEqual(asList.references, ['<a@x.org>', '<b@[10.0.0.1]>', '<c@x.org>']);
  });

  it('in-reply-to without angle brackets is invalid-message-id', async () => {
    const result = await withLines('in-reply-to: abc@x.org');
    const problem = assertProblem(result, 'invalid-message-id', 'error', pos(4, 14), pos(4, 23));
    assert.match(problem.message, /'abc@x.org' is not a message id: .*angle brackets/);
  });

  it('in-reply-to needs an @ and takes one id only', async () => {
    assertProblem(await withLines('in-reply-to: <abc>'), 'invalid-message-id', 'error', pos(4, 14));
    const list = await withLines('in-reply-to: [<a@x.org>, <b@x.org>]');
    const problem = assertProblem(list, 'invalid-type', 'error', pos(4, 14));
    assert.match(problem.message, /one message id/);
    assertProblem(await withLines('in-reply-to: "<a@x.org> <b@x.org>"'), 'invalid-message-id', 'error', pos(4, 15));
  });

  it('points at the bad id among references', async () => {
    const result = await withLines('references: <a@x.org> b@x.org <c@x.org>');
    assertProblem(result, 'invalid-message-id', 'error', pos(4, 23), pos(4, 30));
    const inList = await withLines('references:', '  - <a@x.org>', '  - <a b@x.org>');
    assert.deepEqual(
      inList.problems.map((p) => [p.code, p.start.line, p.start.column]),
      [['invalid-message-id', 6, 5], ['invalid-message-id', 6, 8]],
    );
  });
});

describe('parseDraft: profile', () => {
  it('reads a profile name; a number becomes text', async () => {
    assert.equal(draftOf(await withLines('profile: work')).profile, 'work');
    assert.equal(draftOf(await withLines('profile: 2')).profile, '2');
    assert.equal(draftOf(await withLines('profile:')).profile, undefined);
  });

  it('a list profile is invalid-type', async () => {
    assertProblem(await withLines('profile: [a]'), 'invalid-type', 'error', pos(4, 10));
  });
});
