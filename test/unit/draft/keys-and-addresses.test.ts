import assert from 'node:assert/strict';
import { assertProblem, codes, draftOf, parseLines, pos } from './helpers';

describe('parseDraft: keys', () => {
  it('reads the design example', async () => {
    const result = await parseLines([
      '---',
      'to: Bob Li <bob@example.com>, carol@example.com',
      'cc: [dave@example.com]',
      'bcc: audit@example.com',
      'subject: 周报 — week 48',
      'profile: work',
      '---',
      'Hi Bob,',
    ]);
    const draft = draftOf(result);
    assert.deepEqual(result.problems, []);
    assert.deepEqual(draft.to, [{ name: 'Bob Li', address: 'bob@example.com' }, { address: 'carol@example.com' }]);
    assert.deepEqual(draft.cc, [{ address: 'dave@example.com' }]);
    assert.deepEqual(draft.bcc, [{ address: 'audit@example.com' }]);
    assert.equal(draft.subject, '周报 — week 48');
    assert.equal(draft.profile, 'work');
    assert.equal(draft.from, undefined);
    assert.deepEqual(draft.replyTo, []);
    assert.deepEqual(draft.attachments, []);
    assert.deepEqual(draft.references, []);
    assert.deepEqual(draft.headers, []);
    assert.equal(draft.inReplyTo, undefined);
    assert.equal(draft.receipt, undefined);
  });

  it('accepts mail-style keys in any case', async () => {
    const draft = draftOf(
      await parseLines([
        '---',
        'To: a@x.org',
        'CC: b@x.org',
        'BCC: c@x.org',
        'From: Me <me@x.org>',
        'Reply-To: r@x.org',
        'Subject: Hello',
        'In-Reply-To: <1@x.org>',
        'REFERENCES: <0@x.org> <1@x.org>',
        'Profile: home',
        '---',
        '',
      ]),
    );
    assert.deepEqual(draft.to, [{ address: 'a@x.org' }]);
    assert.deepEqual(draft.cc, [{ address: 'b@x.org' }]);
    assert.deepEqual(draft.bcc, [{ address: 'c@x.org' }]);
    assert.deepEqual(draft.from, { name: 'Me', address: 'me@x.org' });
    assert.deepEqual(draft.replyTo, [{ address: 'r@x.org' }]);
    assert.equal(draft.subject, 'Hello');
    assert.equal(draft.inReplyTo, '<1@x.org>');
    assert.deepEqual(draft.references, ['<0@x.org>', '<1@x.org>']);
    assert.equal(draft.profile, 'home');
  });

  it('warns about an unknown key at the key, suggests a near one, and still gives a draft', async () => {
    const result = await parseLines(['---', 'to: a@x.org', 'subject: Hi', '  ', 'subjet: typo', 'colour: blue', '---', '']);
    const typo = result.problems[0];
    assert.deepEqual(codes(result), ['unknown-key', 'unknown-key']);
    assert.equal(typo?.severity, 'warning');
    assert.deepEqual(typo?.start, pos(5, 1));
    assert.deepEqual(typo?.end, pos(5, 7));
    assert.match(typo?.message ?? '', /unknown key subjet .*did you mean subject\?/);
    assert.match(result.problems[1]?.message ?? '', /unknown key colour .*known keys: to, cc/);
    assert.ok(result.draft);
  });

  it('suggests reply-to for reply_to', async () => {
    const result = await parseLines(['---', 'to: a@x.org', 'subject: Hi', 'reply_to: r@x.org', '---', '']);
    const problem = assertProblem(result, 'unknown-key', 'warning', pos(4, 1), pos(4, 9));
    assert.match(problem.message, /did you mean reply-to\?/);
  });

  it('a key given twice in different case is an error at the second one', async () => {
    const result = await parseLines(['---', 'to: a@x.org', 'subject: Hi', 'To: b@x.org', '---', '']);
    const problem = assertProblem(result, 'duplicate-key', 'error', pos(4, 1), pos(4, 3));
    assert.match(problem.message, /To is given twice: it already appears as to \(keys ignore case\) on line 2/);
  });

  it('an exact duplicate key is an error too (not a YAML library error)', async () => {
    const result = await parseLines(['---', 'subject: a', 'to: a@x.org', 'subject: b', '---', '']);
    assertProblem(result, 'duplicate-key', 'error', pos(4, 1));
    assert.deepEqual(codes(result), ['duplicate-key']);
  });

  it('reads the receipt keys back without warnings', async () => {
    const result = await parseLines([
      '---',
      'to: a@x.org',
      'subject: Hi',
      'sent: 2024-11-29T14:05:00+01:00',
      'message-id: <20241129.abc@x.org>',
      '---',
      '',
    ]);
    assert.deepEqual(result.problems, []);
    assert.deepEqual(draftOf(result).receipt, { sent: '2024-11-29T14:05:00+01:00', messageId: '<20241129.abc@x.org>' });
  });

  it('reads a receipt with only sent', async () => {
    const draft = draftOf(await parseLines(['---', 'to: a@x.org', 'subject: Hi', 'Sent: 2024-11-29', '---', '']));
    assert.deepEqual(draft.receipt, { sent: '2024-11-29' });
  });
});

describe('parseDraft: address fields', () => {
  it('takes YAML lists, block and flow, whose items may be address lists', async () => {
    const draft = draftOf(
      await parseLines([
        '---',
        'to:',
        '  - Bob <bob@x.org>',
        "  - '\"Li, Carol\" <carol@x.org>'",
        '  - "d@x.org; e@x.org"',
        'cc: [f@x.org, "G <g@x.org>"]',
        'reply-to:',
        '  - r@x.org',
        'subject: Hi',
        '---',
        '',
      ]),
    );
    assert.deepEqual(draft.to, [
      { name: 'Bob', address: 'bob@x.org' },
      { name: 'Li, Carol', address: 'carol@x.org' },
      { address: 'd@x.org' },
      { address: 'e@x.org' },
    ]);
    assert.deepEqual(draft.cc, [{ address: 'f@x.org' }, { name: 'G', address: 'g@x.org' }]);
    assert.deepEqual(draft.replyTo, [{ address: 'r@x.org' }]);
  });

  it('display names with commas and escaped quotes', async () => {
    const draft = draftOf(
      await parseLines([
        '---',
        'to: \'"Li, Bob" <bob@x.org>, "Carol \\"CJ\\" Jones" <cj@x.org>\'',
        'cc:',
        '  - \'"Doe, Jane" <jane@x.org>\'',
        'subject: Hi',
        '---',
        '',
      ]),
    );
    assert.deepEqual(draft.to, [
      { name: 'Li, Bob', address: 'bob@x.org' },
      { name: 'Carol "CJ" Jones', address: 'cj@x.org' },
    ]);
    assert.deepEqual(draft.cc, [{ name: 'Doe, Jane', address: 'jane@x.org' }]);
  });

  it('semicolon separators', async () => {
    const draft = draftOf(await parseLines(['---', 'to: a@x.org; B <b@x.org>; c@x.org;', 'subject: Hi', '---', '']));
    assert.deepEqual(draft.to, [{ address: 'a@x.org' }, { name: 'B', address: 'b@x.org' }, { address: 'c@x.org' }]);
  });

  it('group syntax is flattened', async () => {
    const draft = draftOf(await parseLines(['---', "to: 'Team: a@x.org, b@x.org;, c@x.org'", 'subject: Hi', '---', '']));
    assert.deepEqual(draft.to, [{ address: 'a@x.org' }, { address: 'b@x.org' }, { address: 'c@x.org' }]);
  });

  it('points at an invalid address inside a plain scalar', async () => {
    const result = await parseLines(['---', 'to: a@x.org, bob.x.org', 'subject: Hi', '---', '']);
    const problem = assertProblem(result, 'invalid-address', 'error', pos(2, 14), pos(2, 23));
    assert.equal(problem.message, "to: 'bob.x.org' is not a valid address: it has no @ (an address looks like name@example.com)");
  });

  it('points at an invalid address inside a single-quoted scalar with doubled quotes', async () => {
    const result = await parseLines(['---', "cc: 'O''Neil <o@x.org>, bad@'", 'to: a@x.org', 'subject: Hi', '---', '']);
    // Source columns: `cc: '` is 1-5, `O''Neil <o@x.org>, ` is 6-24, so bad@ spans 25-28.
    assertProblem(result, 'invalid-address', 'error', pos(2, 25), pos(2, 29));
  });

  it('points at an invalid address inside a double-quoted scalar with escapes', async () => {
    const result = await parseLines(['---', 'to: "\\"Li, Bob\\" <b@x.org>, \\u00e9@@x"', 'subject: Hi', '---', '']);
    // `to: "` is 1-5, `\"Li, Bob\" <b@x.org>, ` is 6-28, so `\u00e9@@x` spans 29-37.
    const problem = assertProblem(result, 'invalid-address', 'error', pos(2, 29), pos(2, 38));
    assert.match(problem.message, /'é@@x' is not a valid address: it has more than one @/);
  });

  it('points at an invalid address in a list item', async () => {
    const result = await parseLines(['---', 'to:', '  - a@x.org', '  - Bob <b@x..org>', 'subject: Hi', '---', '']);
    assertProblem(result, 'invalid-address', 'error', pos(4, 5), pos(4, 19));
  });

  it('reports every invalid address, each where it is', async () => {
    const result = await parseLines(['---', 'to: x@, a@x.org, @y', 'subject: Hi', '---', '']);
    assert.deepEqual(
      result.problems.map((p) => [p.code, p.start.column, p.end.column]),
      [['invalid-address', 5, 7], ['invalid-address', 18, 20]],
    );
  });

  it('falls back to the scalar start for a multi-line value', async () => {
    const result = await parseLines(['---', 'to: >-', '  a@x.org,', '  bad@@x.org', 'subject: Hi', '---', '']);
    assertProblem(result, 'invalid-address', 'error', pos(2, 5));
  });

  it('no recipients in to/cc/bcc is an error at the to key', async () => {
    const result = await parseLines(['---', 'subject: Hi', 'to:', 'cc: []', '---', '']);
    const problem = assertProblem(result, 'no-recipients', 'error', pos(3, 1), pos(3, 3));
    assert.match(problem.message, /at least one address in to, cc or bcc/);
  });

  it('no recipients and no to key is an error at the front matter start', async () => {
    const result = await parseLines(['---', 'subject: Hi', 'reply-to: r@x.org', '---', '']);
    assertProblem(result, 'no-recipients', 'error', pos(1, 1), pos(1, 4));
  });

  it('bcc alone is enough recipients', async () => {
    const draft = draftOf(await parseLines(['---', 'bcc: hidden@x.org', 'subject: Hi', '---', '']));
    assert.deepEqual(draft.to, []);
    assert.deepEqual(draft.bcc, [{ address: 'hidden@x.org' }]);
  });

  it('an invalid only address does not also claim there are no recipients', async () => {
    const result = await parseLines(['---', 'to: nobody', 'subject: Hi', '---', '']);
    assert.deepEqual(codes(result), ['invalid-address']);
  });

  it('from takes exactly one address', async () => {
    const two = await parseLines(['---', 'to: a@x.org', 'from: a@x.org, b@x.org', 'subject: Hi', '---', '']);
    const problem = assertProblem(two, 'invalid-from', 'error', pos(3, 7), pos(3, 23));
    assert.match(problem.message, /from must be exactly one address, not 2/);
    const list = await parseLines(['---', 'to: a@x.org', 'from: [Me <me@x.org>]', 'subject: Hi', '---', '']);
    assert.deepEqual(draftOf(list).from, { name: 'Me', address: 'me@x.org' });
    const empty = await parseLines(['---', 'to: a@x.org', 'from:', 'subject: Hi', '---', '']);
    assert.equal(draftOf(empty).from, undefined);
  });

  it('a map where addresses belong is invalid-type', async () => {
    const result = await parseLines(['---', 'to: a@x.org', 'cc:', '  name: Bob', 'subject: Hi', '---', '']);
    const problem = assertProblem(result, 'invalid-type', 'error', pos(4, 3));
    assert.match(problem.message, /cc must be an address list string or a YAML list/);
  });

  it('a nested list item is invalid-type', async () => {
    const result = await parseLines(['---', 'to:', '  - [a@x.org]', 'subject: Hi', '---', '']);
    assertProblem(result, 'invalid-type', 'error', pos(3, 5));
  });
});
