/**
 * A hostile or careless draft: every problem the composer or the SMTP client would meet is a
 * positioned problem at `check` time (issue: "check finds every input problem").
 */
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseDraft, sortProblems } from '../../../src/core/draft';
import type { DraftProblem } from '../../../src/core/draft';
import { formatAddrSpec, mailboxSegments } from '../../../src/core/mime/addresses';
import { foldHeader, unstructuredSegments } from '../../../src/core/mime/headers';
import { renderText } from '../../../src/core/text';
import { assertProblem, codes, draftOf, parseLines, pos, problemWith } from './helpers';

describe('parseDraft: one address grammar with the composer and the envelope', () => {
  // Regression: "a>b"@example.com passed check, then the composer refused it (exit 1, no position);
  // "a b"@example.com passed check, then the SMTP client refused it after connecting.
  for (const address of ['"a>b"@example.com', '"a b"@example.com']) {
    it(`accepts ${address} and the composer writes it quoted`, async () => {
      const draft = draftOf(await parseLines(['---', `to: '${address}'`, 'subject: Hi', '---', '']));
      assert.deepEqual(draft.to, [{ address }]);
      assert.deepEqual(formatAddrSpec(address), { addrSpec: address, smtpUtf8: false });
      assert.equal(mailboxSegments({ name: 'A', address }).segments.join(''), `A <${address}>`);
    });
  }

  it('refuses an unquoted special at its position, suggesting quotes', async () => {
    const result = await parseLines(['---', 'to: a@x.org, a>b@example.com', 'subject: Hi', '---', '']);
    const problem = assertProblem(result, 'invalid-address', 'error', pos(2, 14), pos(2, 29));
    assert.match(problem.message, /quoted local part/);
  });
});

describe('parseDraft: values the composer could not write', () => {
  // Regression: a non-ASCII in-reply-to passed check and failed only while composing.
  it('a non-ASCII in-reply-to or reference is an error at the id', async () => {
    const result = await parseLines(['---', 'to: a@x.org', 'subject: Hi', 'in-reply-to: <ça@example.com>', 'references: <ok@x.org> <é@x.org>', '---', '']);
    const problems = result.problems.filter((p) => p.code === 'invalid-message-id');
    assert.deepEqual(problems.map((p) => [p.start, p.end]), [[pos(4, 14), pos(4, 30)], [pos(5, 24), pos(5, 33)]]);
    assert.match(problems[0]?.message ?? '', /only ASCII/);
  });

  // Regression: an unbreakable extra header value over 998 octets passed check, then the composer threw.
  it('an extra header with a run that cannot fold to 998 octets is an error at that run', async () => {
    const long = 'x'.repeat(1000);
    const result = await parseLines(['---', 'to: a@x.org', 'subject: Hi', 'headers:', `  X-Long: short ${long}`, '---', '']);
    const problem = assertProblem(result, 'header-too-long', 'error', pos(5, 17), pos(5, 1017));
    assert.match(problem.message, /998/);
  });

  it('a long unbreakable subject or display name is fine: they fold as encoded-words', async () => {
    const long = 'y'.repeat(2000);
    const draft = draftOf(await parseLines(['---', `to: ${long} <a@x.org>`, `subject: ${long}`, '---', '']));
    assert.equal(draft.subject, long);
    const subject = foldHeader('Subject', unstructuredSegments('Subject', draft.subject, { encodeUnfoldableAscii: true }));
    assert.ok(subject.split('\r\n').every((line) => line.length <= 998));
    const to = draft.to[0];
    assert.ok(to);
    assert.ok(foldHeader('To', mailboxSegments(to).segments).split('\r\n').every((line) => line.length <= 998));
  });
});

describe('parseDraft: text that is not what it seems', () => {
  // Regression: invalid UTF-8 was silently turned into U+FFFD and sent.
  it('a U+FFFD (what the reader made of invalid UTF-8) is an error at its line and column', async () => {
    const text = Buffer.from('---\nto: a@x.org\nsubject: caf\xe9\n---\nbody\n', 'latin1').toString('utf8');
    const result = await parseDraft(text, { format: 'markdown', baseDir: '/nonexistent' });
    const problem = assertProblem(result, 'invalid-utf8', 'error', pos(3, 13), pos(3, 14));
    assert.match(problem.message, /invalid UTF-8/);
  });

  it('a BOM at the start is allowed', async () => {
    const result = await parseDraft('\uFEFF---\nto: a@x.org\nsubject: Hi\n---\n', { format: 'markdown', baseDir: '/nonexistent' });
    assert.deepEqual(result.problems, []);
  });

  // Regression: U+202E in addresses, display names and file names was accepted silently.
  it('a bidi control in an address is an error', async () => {
    const result = await parseLines(['---', 'to: "bob\u202Eevil@x.org"', 'subject: Hi', '---', '']);
    const problem = assertProblem(result, 'invalid-address', 'error', pos(2, 6), pos(2, 20));
    assert.match(problem.message, /U\+202E/);
  });

  it('a bidi control in a display name or the subject is a warning at the character', async () => {
    const result = await parseLines(['---', 'to: \'"Bob \u202Ehcir" <bob@x.org>\'', 'subject: "r\u00e9sum\u00e9 \u202Efdp.exe"', '---', '']);
    assert.ok(result.draft);
    const warnings = result.problems.filter((p) => p.code === 'format-character');
    assert.deepEqual(warnings.map((p) => [p.severity, p.start]), [['warning', pos(2, 6)], ['warning', pos(3, 18)]]);
  });

  it('a bidi control in an attach: path is an error', async () => {
    const result = await parseLines(['---', 'to: a@x.org', 'subject: Hi', 'attach: "cv\u202Efdp.exe"', '---', '']);
    assertProblem(result, 'format-character', 'error', pos(4, 9));
  });
});

describe('parseDraft: recipients once each', () => {
  // Regression: bob@example.com and bob@Example.com went out as two RCPTs.
  it('the domain is compared ignoring case; the first spelling wins; a warning at the later one', async () => {
    const result = await parseLines(['---', 'to: bob@example.com, Bob@example.com', 'cc: bob@Example.com', 'subject: Hi', '---', '']);
    const draft = draftOf(result);
    assert.deepEqual(draft.to, [{ address: 'bob@example.com' }, { address: 'Bob@example.com' }]);
    assert.deepEqual(draft.cc, []);
    assertProblem(result, 'duplicate-recipient', 'warning', pos(3, 5), pos(3, 20));
  });

  it('one in both to and bcc stays visible in To and is dropped from Bcc, saying so', async () => {
    const result = await parseLines(['---', 'bcc: bob@EXAMPLE.com', 'to: bob@example.com', 'subject: Hi', '---', '']);
    const draft = draftOf(result);
    assert.deepEqual(draft.to, [{ address: 'bob@example.com' }]);
    assert.deepEqual(draft.bcc, []);
    const problem = assertProblem(result, 'duplicate-recipient', 'warning', pos(2, 6));
    assert.match(problem.message, /stays visible .* not sent as a blind copy/);
  });
});

describe('parseDraft: limits', () => {
  it('a draft over 10 MiB is refused at 1:1 with its size', async () => {
    const text = `---\nto: a@x.org\nsubject: big\n---\n${'a'.repeat(11 * 1024 * 1024)}`;
    const result = await parseDraft(text, { format: 'plaintext', baseDir: '/nonexistent' });
    const problem = assertProblem(result, 'draft-too-large', 'error', pos(1, 1));
    assert.equal(problem.message, 'the draft is 11.0 MiB; the limit is 10 MiB');
  });

  it('a draft of exactly 10 MiB is read', async () => {
    const head = '---\nto: a@x.org\nsubject: big\n---\n';
    const result = await parseDraft(head + 'a'.repeat(10 * 1024 * 1024 - head.length), { format: 'plaintext', baseDir: '/nonexistent' });
    assert.deepEqual(codes(result), []);
  });
});

describe('parseDraft: YAML mistakes explained', () => {
  // Regression: YAML's raw "Nested mappings are not allowed in compact mappings".
  it('subject: Re: flight booking says the value needs quotes, naming the key', async () => {
    const result = await parseLines(['---', 'to: a@x.org', 'subject: Re: flight booking', '---', '']);
    const problem = assertProblem(result, 'invalid-yaml', 'error', pos(3, 10));
    assert.match(problem.message, /^the value of subject contains ": ".*subject: 'Re: flight booking'$/);
  });

  // Regression: the display-name hint showed `to:` on a cc line.
  it('the display-name quoting hint names the key of the line', async () => {
    const result = await parseLines(['---', 'to: a@x.org', 'cc: "Li, Bob" <bob@example.com>', '---', '']);
    const problem = problemWith(result, 'invalid-yaml');
    assert.match(problem.message, /single quotes: {2}cc: '"Li, Bob" <bob@example.com>'$/);
  });
});

describe('parseDraft: problems are localisable', () => {
  it('each problem carries its template and arguments, and message is their English rendering', async () => {
    const result = await parseLines(['---', 'to: bob@, "x" y', 'cc: a@x.org, a@X.org', 'subjet: Hi', 'headers:', '  Bcc: x', '---', '']);
    assert.ok(result.problems.length >= 4);
    for (const problem of result.problems) {
      assert.equal(problem.message, renderText(problem.text));
      assert.ok(!problem.text.template.includes('bob@'), `arguments stay out of the template: ${problem.text.template}`);
    }
  });

  it('sortProblems orders by line, then column, keeping ties in order', () => {
    const at = (line: number, column: number, code: string): DraftProblem => ({
      severity: 'error', code, text: { template: code, args: [] }, message: code, start: pos(line, column), end: pos(line, column),
    });
    const sorted = sortProblems([at(2, 1, 'c'), at(1, 5, 'b'), at(1, 5, 'b2'), at(1, 1, 'a')]);
    assert.deepEqual(sorted.map((p) => p.code), ['a', 'b', 'b2', 'c']);
  });
});

describe('parseDraft: attachments by their real file', () => {
  let root: string;
  let workspace: string;
  let outsideDir: string;

  before(async () => {
    root = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'draft-hard-')));
    workspace = path.join(root, 'ws');
    outsideDir = path.join(root, 'elsewhere');
    await fs.mkdir(path.join(workspace, 'drafts'), { recursive: true });
    await fs.mkdir(outsideDir);
    await fs.writeFile(path.join(outsideDir, 'id_rsa'), 'secret');
    await fs.writeFile(path.join(workspace, 'notes.txt'), 'ok');
    await fs.symlink(path.join(outsideDir, 'id_rsa'), path.join(workspace, 'drafts', 'report.pdf'));
  });
  after(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  const parse = (attach: string, untrusted = false): ReturnType<typeof parseDraft> =>
    parseDraft(`---\nto: a@x.org\nsubject: s\nattach: ${attach}\n---\n`, {
      format: 'plaintext', baseDir: path.join(workspace, 'drafts'), homeDir: root, root: workspace, untrusted,
    });

  // Regression: report.pdf -> ~/.ssh/id_rsa went out as "report.pdf", and nothing said so.
  it('a link is named by its target; a target outside the workspace is a warning showing the real path', async () => {
    const result = await parse('report.pdf');
    const draft = draftOf(result);
    assert.deepEqual(draft.attachments, [{
      path: path.join(workspace, 'drafts', 'report.pdf'), realPath: path.join(outsideDir, 'id_rsa'), filename: 'id_rsa', size: 6, outside: true,
    }]);
    const problem = assertProblem(result, 'attachment-outside-workspace', 'warning', pos(4, 9), pos(4, 19));
    assert.ok(problem.message.includes(path.join(outsideDir, 'id_rsa')), problem.message);
  });

  it('in an untrusted workspace a file outside it is an error', async () => {
    assertProblem(await parse('report.pdf', true), 'attachment-outside-workspace', 'error', pos(4, 9));
  });

  it('a file inside the workspace folder (above the draft) is fine', async () => {
    const result = await parse('../notes.txt', true);
    assert.deepEqual(result.problems, []);
    assert.equal(draftOf(result).attachments[0]?.outside, false);
  });

  // Regression: attach: /proc/self/environ passed check (size 0) and the environment was mailed.
  it('a special file such as /proc/self/environ is an error at its entry', async () => {
    const problem = assertProblem(await parse('/proc/self/environ'), 'unreadable-attachment', 'error', pos(4, 9), pos(4, 27));
    assert.match(problem.message, /not a regular file/);
  });
});
