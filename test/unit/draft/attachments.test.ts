import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseDraft } from '../../../src/core/draft';
import type { ParseDraftOptions, ParseDraftResult } from '../../../src/core/draft';
import { resolveWrittenPath } from '../../../src/core/files/local-file';
import { runAsNobody as runUnprivileged } from '../../support/servers/unprivileged';
import { assertProblem, codes, draftOf, pos } from './helpers';

describe('parseDraft: attach', () => {
  let root: string;
  let draftDir: string;
  let homeDir: string;

  /** Parses a draft in `draftDir` whose front matter ends with `attachLines` (from line 4). */
  function parseWith(attachLines: string[], options: Partial<ParseDraftOptions> = {}): Promise<ParseDraftResult> {
    const text = ['---', 'to: a@x.org', 'subject: Files', ...attachLines, '---', 'See attached.', ''].join('\n');
    // The workspace is `root`, so draft and home files are inside it unless a test says otherwise.
    return parseDraft(text, { format: 'markdown', baseDir: draftDir, homeDir, root, ...options });
  }

  /** What parseDraft reports for a file inside the workspace, found where it is written. */
  function inside(file: string, size: number): object {
    return { path: file, realPath: file, filename: path.basename(file), size, outside: false };
  }

  before(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'draft-attach-'));
    draftDir = path.join(root, 'drafts');
    homeDir = path.join(root, 'home');
    await fs.mkdir(path.join(draftDir, 'assets'), { recursive: true });
    await fs.mkdir(path.join(homeDir, 'Documents'), { recursive: true });
    await fs.writeFile(path.join(draftDir, 'report.pdf'), Buffer.alloc(1234, 1));
    await fs.writeFile(path.join(draftDir, 'assets', 'chart.png'), Buffer.alloc(77, 2));
    await fs.writeFile(path.join(draftDir, 'empty.txt'), '');
    await fs.writeFile(path.join(homeDir, 'Documents', 'cv.pdf'), 'cv');
  });

  after(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  it('one path, relative to the draft folder, with its size and file name', async () => {
    const draft = draftOf(await parseWith(['attach: ./report.pdf']));
    assert.deepEqual(draft.attachments, [inside(path.join(draftDir, 'report.pdf'), 1234)]);
  });

  it('a list, with ~/ expanding to the home folder and an absolute path kept', async () => {
    const absolute = path.join(draftDir, 'report.pdf');
    const draft = draftOf(await parseWith(['attach:', '  - assets/chart.png', '  - ~/Documents/cv.pdf', `  - ${absolute}`]));
    assert.deepEqual(draft.attachments, [
      inside(path.join(draftDir, 'assets', 'chart.png'), 77),
      inside(path.join(homeDir, 'Documents', 'cv.pdf'), 2),
      inside(absolute, 1234),
    ]);
  });

  it('a single ~/ path works too', async () => {
    const draft = draftOf(await parseWith(['attach: ~/Documents/cv.pdf']));
    assert.equal(draft.attachments[0]?.path, path.join(homeDir, 'Documents', 'cv.pdf'));
  });

  it('a zero-byte file is fine', async () => {
    const result = await parseWith(['attach: empty.txt']);
    assert.deepEqual(result.problems, []);
    assert.deepEqual(draftOf(result).attachments, [inside(path.join(draftDir, 'empty.txt'), 0)]);
  });

  it('a missing file is an error at its entry', async () => {
    const result = await parseWith(['attach:', '  - report.pdf', '  - nope/missing.pdf']);
    const problem = assertProblem(result, 'missing-attachment', 'error', pos(6, 5), pos(6, 21));
    assert.ok(problem.message.includes('nope/missing.pdf'), problem.message);
    assert.ok(problem.message.includes(path.join(draftDir, 'nope', 'missing.pdf')), problem.message);
  });

  it('a path through a file (ENOTDIR) counts as missing', async () => {
    assertProblem(await parseWith(['attach: report.pdf/inner']), 'missing-attachment', 'error', pos(4, 9));
  });

  it('a directory is an error', async () => {
    const result = await parseWith(['attach: assets']);
    const problem = assertProblem(result, 'attachment-is-directory', 'error', pos(4, 9), pos(4, 15));
    assert.match(problem.message, /is a folder/);
  });

  it('~ alone is the home folder, hence a directory', async () => {
    // Quoted: a bare ~ is YAML for null.
    assertProblem(await parseWith(['attach: ["~"]']), 'attachment-is-directory', 'error', pos(4, 10), pos(4, 13));
  });

  it('~user/ is not expanded', () => {
    assert.equal(resolveWrittenPath('~bob/x', { baseDir: '/d', homeDir: '/home/me' }), path.resolve('/d', '~bob/x'));
  });

  it('an empty entry or a map entry is an error', async () => {
    assertProblem(await parseWith(['attach: ""']), 'missing-attachment', 'error', pos(4, 9));
    assertProblem(await parseWith(['attach:', '  - file: x']), 'invalid-type', 'error', pos(5, 5));
  });

  it('a file without read permission is unreadable on the real file system', async function () {
    const locked = path.join(draftDir, 'locked.pdf');
    await fs.writeFile(locked, 'secret');
    await fs.chmod(locked, 0o000);
    try {
      const text = '---\nto: a@x.org\nsubject: s\nattach: locked.pdf\n---\n';
      let problems: ParseDraftResult['problems'];
      if (process.getuid?.() === 0) {
        // Root reads everything; check as the unprivileged user `nobody` in a child process.
        this.timeout(30000);
        problems = await runAsNobody(text, draftDir, root);
      } else {
        problems = (await parseDraft(text, { format: 'markdown', baseDir: draftDir, homeDir })).problems;
      }
      assert.deepEqual(codes({ problems }), ['unreadable-attachment']);
      assert.deepEqual(problems[0]?.start, pos(4, 9));
    } finally {
      await fs.rm(locked, { force: true });
    }
  });
});

/**
 * Runs parseDraft as uid/gid 65534 (`nobody`) in a child process and returns its problems. The
 * module runs from a bundle in a world-readable folder: `nobody` may not reach the checkout.
 */
async function runAsNobody(text: string, baseDir: string, root: string): Promise<ParseDraftResult['problems']> {
  const entry = path.resolve(__dirname, '../../../src/core/draft/index.ts');
  // mkdtemp makes the folder private to root; nobody must enter it to find the draft's files.
  await Promise.all([fs.chmod(root, 0o755), fs.chmod(baseDir, 0o755)]);
  const body = `const r = await lib.parseDraft(${JSON.stringify(text)}, { format: 'markdown', baseDir: ${JSON.stringify(baseDir)} }); return r.problems;`;
  return runUnprivileged<ParseDraftResult['problems']>(entry, body);
}
