import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseDraft } from '../../../../src/core/draft';
import { forgottenAttachment } from '../../../../src/core/draft/warnings/forgotten-attachment';
import { draftLines } from '../../../../src/core/draft/warnings/lines';
import { parsed } from './support';

async function wordsFound(body: string): Promise<string[]> {
  const { draft, lines } = await parsed(['---', 'to: bob@example.com', 'subject: Hi', '---', body]);
  return forgottenAttachment(draft, lines).map((problem) => problem.message);
}

describe('warning: the message announces an attachment but has none', () => {
  it('finds the word in English, Chinese, German, French, Spanish and Japanese, where it stands', async () => {
    const { draft, lines } = await parsed(['---', 'to: bob@example.com', 'subject: Hi', '---', 'Hello,', 'please see the attached report.']);
    const [problem, ...rest] = forgottenAttachment(draft, lines);
    assert.equal(rest.length, 0);
    assert.equal(problem?.code, 'forgotten-attachment');
    assert.equal(problem?.severity, 'warning');
    assert.deepEqual([problem?.start, problem?.end], [{ line: 6, column: 16 }, { line: 6, column: 24 }]);
    for (const body of ['See attachment', '请查收附件。', 'Im Anhang die Zahlen', 'wie angehängt', 'Voir la pièce jointe', 'Ci-joint le rapport', 'Te envío el archivo adjunto', '資料を添付します']) {
      assert.equal((await wordsFound(body)).length, 1, body);
    }
  });

  it('says nothing when a file is attached', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'sae-attach-'));
    fs.writeFileSync(path.join(folder, 'report.pdf'), 'pdf');
    const text = ['---', 'to: bob@example.com', 'attach: report.pdf', '---', 'The report is attached.'].join('\n');
    const result = await parseDraft(text, { format: 'markdown', baseDir: folder, homeDir: folder });
    assert.ok(result.draft);
    const lines = draftLines(text);
    assert.ok(lines);
    assert.deepEqual(forgottenAttachment(result.draft, lines), []);
  });

  it('ignores words inside other words, code, quoted replies and the front matter', async () => {
    for (const body of ['I feel attachés are great', 'Ein Anhänger', '`attached`', '```\nattachment\n```', '> the attachment you sent']) {
      assert.deepEqual(await wordsFound(body), [], body);
    }
  });
});
