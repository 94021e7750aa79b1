/**
 * Placeholders and how values go in. Bugs guarded against: a wrong or misspelt variable sent
 * to a whole list (an unknown column must be an error at its line:col), a missing value sent as
 * an empty greeting, a value with Markdown or HTML characters turned into markup (or into a
 * new front-matter key), a value's quote breaking the YAML.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeDraft } from '../../../src/core/compose-draft';
import { reproducibleIdentity } from '../../../src/core/identity';
import { checkRow, parseMergeData, renderRow, RowReuse, scanTemplate } from '../../../src/core/merge';
import type { MergeRow } from '../../../src/core/merge';
import { renderText } from '../../../src/core/text';

function row(values: Record<string, string>, number = 1): MergeRow {
  return { number, values: new Map(Object.entries(values).map(([k, v]) => [k.toLowerCase(), v])) };
}

async function bytesOf(text: string, values: Record<string, string>, baseDir: string): Promise<string> {
  const checked = await checkRow(scanTemplate(text), row(values), { text, format: 'markdown', baseDir });
  assert.ok(checked.checked, JSON.stringify(checked.problems.map((p) => p.problem)));
  const message = await composeDraft(checked.checked, reproducibleIdentity(text, new Date(0), 'ann@example.test'), { from: 'ann@example.test', name: 'test' });
  const chunks: Buffer[] = [];
  for await (const chunk of message.stream()) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

describe('merge placeholders: scanning', () => {
  it('finds each placeholder with its line, column, part and fallback', () => {
    const text = '---\nto: "{{ Email }}"\nsubject: Hi {{name|"there"}}\n---\nDear {{ name | \'you\'\'re\' }}\n';
    const scan = scanTemplate(text);
    assert.deepEqual(
      scan.placeholders.map((p) => [p.name, p.key, p.fallback, p.start.line, p.start.column, p.part]),
      [
        ['Email', 'email', undefined, 2, 6, 'front-matter'],
        ['name', 'name', 'there', 3, 13, 'front-matter'],
        ['name', 'name', "you're", 5, 6, 'body'],
      ],
    );
    assert.deepEqual(scan.problems, []);
  });

  it('reads the data file from merge:', () => {
    assert.equal(scanTemplate('---\nmerge: "people list.csv"\n---\nx').dataFile, 'people list.csv');
    assert.equal(scanTemplate('---\nMerge: people.csv # the list\n---\nx').dataFile, 'people.csv');
    assert.equal(scanTemplate('merge: nope\n').dataFile, undefined);
  });

  it('reports an unknown column at its line:col, naming the columns', () => {
    const scan = scanTemplate('---\nto: x@example.test\n---\nHi {{ nmae }}\n', ['Name', 'Email']);
    assert.deepEqual(scan.problems.map((p) => [p.start.line, p.start.column, p.end.column, p.message]), [[4, 4, 14, 'no column "nmae" in the data; its columns are: Name, Email']]);
  });

  it('reports a placeholder not closed on its line, and an empty name', () => {
    const scan = scanTemplate('Hi {{ name\n}} and {{ }}');
    assert.deepEqual(scan.problems.map((p) => [p.start.line, p.start.column, p.code]), [
      [1, 4, 'merge-placeholder-syntax'],
      [2, 8, 'merge-placeholder-syntax'],
    ]);
  });
});

describe('merge placeholders: rendering', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'sae-merge-unit-'));
    writeFileSync(join(dir, '张三.txt'), 'file of 张三');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a missing or empty value is a row error naming the column, unless a fallback is given', () => {
    const scan = scanTemplate('Hi {{ name }} {{ city | "nowhere" }}');
    const bad = renderRow(scan, row({ name: '  ', city: '' }, 7), 'markdown');
    assert.equal(bad.ok, false);
    assert.deepEqual(!bad.ok && bad.problems.map((p) => [p.row, p.column, renderText(p.text)]), [[7, 'name', 'no value, and the placeholder gives no fallback (such as {{ name | "…" }})']]);
    const good = renderRow(scan, row({ name: 'Ann' }), 'plaintext');
    assert.deepEqual(good.ok && good.text, 'Hi Ann nowhere');
  });

  it('YAML-quotes front-matter values: plain, double- and single-quoted scalars; a value cannot add a key', () => {
    const text = "---\nto: {{ email }}\nsubject: Re: {{ s }} # note\ncc: '{{ q }}'\nreply-to: \"{{ q }}\"\nattach:\n  - {{ file }}\n---\nx";
    const rendered = renderRow(scanTemplate(text), row({ email: 'a@example.test', s: 'x\nbcc: evil@example.test', q: `it's "q"`, file: 'a b.pdf' }), 'plaintext');
    assert.ok(rendered.ok);
    assert.equal(
      rendered.text,
      '---\nto: "a@example.test"\nsubject: "Re: x\\nbcc: evil@example.test" # note\ncc: \'it\'\'s "q"\'\nreply-to: "it\'s \\"q\\""\nattach:\n  - "a b.pdf"\n---\nx',
    );
  });

  it('puts Markdown and HTML characters in a value literally into both parts', async () => {
    const text = '---\nto: "{{ email }}"\nsubject: "For {{ name }}"\n---\nDear {{ name }},\n\n    code {{ name }}\n';
    const name = '*Bob* <b>x</b> & [y](z) _u_';
    const message = await bytesOf(text, { name, email: 'bob@example.test' }, dir);
    const [, plain = '', html = ''] = /text\/plain[^]*?\r\n\r\n([^]*?)\r\n--[^]*?text\/html[^]*?\r\n\r\n([^]*?)\r\n--/.exec(message) ?? [];
    assert.ok(plain.includes(`Dear ${name},`), plain);
    assert.ok(plain.includes(`    code ${name}`), plain);
    assert.ok(html.includes('Dear *Bob* &lt;b&gt;x&lt;/b&gt; &amp; [y](z) _u_,'), html);
    assert.ok(!/<(em|b|a)\b/.test(html.replace(/<a [^>]*>link<\/a>/g, '')), 'no markup made from the value');
    assert.ok(!message.includes('\uE000'), 'no marker left');
  });

  it('rows sharing one Markdown rendering (the merge renders once) each get their own values', async () => {
    const text = '---\nto: a@example.test\nsubject: S\n---\n# Hi {{ name }}\n\n*{{ code }}*\n';
    const reuse = new RowReuse();
    const htmls: string[] = [];
    for (const values of [{ name: 'Ann', code: '1<2' }, { name: '张三', code: 'Z&Z' }]) {
      const checked = await checkRow(scanTemplate(text), row(values), { text, format: 'markdown', baseDir: dir }, reuse);
      assert.ok(checked.checked?.markdown);
      htmls.push(await checked.checked.markdown.renderHtml(() => 'cid'));
    }
    assert.match(htmls[0] ?? '', /Hi Ann<\/h1>[^]*<em[^>]*>1&lt;2<\/em>/);
    assert.match(htmls[1] ?? '', /Hi 张三<\/h1>[^]*<em[^>]*>Z&amp;Z<\/em>/);
  });

  it('takes a CJK value into a per-row attachment path and the subject', async () => {
    const message = await bytesOf('---\nto: a@example.test\nsubject: 给 {{ name }}\nattach: {{ name }}.txt\n---\n你好 {{ name }}\n', { name: '张三' }, dir);
    assert.match(message, /Subject: =\?UTF-8\?/);
    assert.ok(message.includes(Buffer.from('file of 张三').toString('base64')));
  });

  it('checks each rendered row: a bad address is the row\'s problem', async () => {
    const text = '---\nto: "{{ email }}"\n---\nx';
    const checked = await checkRow(scanTemplate(text), row({ email: 'not-an-address' }, 3), { text, format: 'markdown', baseDir: dir });
    assert.equal(checked.checked, undefined);
    const errors = checked.problems.filter((p) => p.problem.severity === 'error');
    assert.deepEqual(errors.map((p) => (p.where === 'row' ? [p.where, p.row, p.problem.start.line] : [p.where])), [['row', 3, 2]]);
  });

  it('reads CSV with a header that matches placeholders whatever the case', async () => {
    const data = await parseMergeData(' EMAIL \nann@example.test\n', 'csv');
    const text = '---\nto: "{{ email }}"\n---\nx';
    assert.deepEqual(scanTemplate(text, data.columns).problems, []);
  });
});
