/**
 * The merge data readers. Bugs guarded against (each seen in mail-merge tools): Excel's byte
 * order mark glued to the first column name, semicolon-separated CSV read as one column, a
 * quoted field with a comma or a line break split in two, column names that differ only in
 * case or spaces not matched, CJK text mangled.
 */
import assert from 'node:assert/strict';
import { columnKey, detectSeparator, parseMergeData, readCsv } from '../../../src/core/merge';
import { renderText } from '../../../src/core/text';

function values(data: Awaited<ReturnType<typeof parseMergeData>>): Array<Record<string, string>> {
  return data.rows.map((row) => Object.fromEntries(row.values));
}

describe('merge data: CSV', () => {
  it('drops a UTF-8 byte order mark and trims and lower-cases column keys', async () => {
    const data = await parseMergeData('\uFEFF Name ,E-Mail\r\nAnn,ann@example.test\r\n', 'csv');
    assert.deepEqual(data.columns, ['Name', 'E-Mail']);
    assert.deepEqual(values(data), [{ name: 'Ann', 'e-mail': 'ann@example.test' }]);
    assert.equal(columnKey('  E-MAIL '), 'e-mail');
    assert.deepEqual(data.problems, []);
  });

  it('detects comma, semicolon and tab from the header line', async () => {
    assert.equal(detectSeparator('a;b;c\n1,5;2;3'), ';');
    assert.equal(detectSeparator('a\tb\n'), '\t');
    assert.equal(detectSeparator('"x;y",b\n'), ',');
    assert.deepEqual(values(await parseMergeData('name;amount\nAnn;1,50\n', 'csv')), [{ name: 'Ann', amount: '1,50' }]);
    assert.deepEqual(values(await parseMergeData('name\tcity\nAnn\tParis\n', 'csv')), [{ name: 'Ann', city: 'Paris' }]);
  });

  it('reads quoted fields with separators, doubled quotes and line breaks; skips blank lines', async () => {
    const data = await parseMergeData('name,note\n"Doe, John","He said ""hi""\r\nand left"\n\n张三,"第一行\n第二行"\n', 'csv');
    assert.deepEqual(values(data), [
      { name: 'Doe, John', note: 'He said "hi"\r\nand left' },
      { name: '张三', note: '第一行\n第二行' },
    ]);
    assert.deepEqual(data.rows.map((r) => r.number), [1, 2]);
  });

  it('reports an unclosed quote, too many fields, an unnamed and a repeated column', () => {
    const table = readCsv('a,b\n1,2,3\n"open\n');
    assert.deepEqual(table.problems.map((p) => [p.row, renderText(p.text)]), [
      [0, 'a quoted field is never closed (a " is missing)'],
      [1, '3 fields, but the header names 2 columns'],
    ]);
  });

  it('reports a header with an empty or repeated name as a problem of the file', async () => {
    const data = await parseMergeData('name,,Name\nx,y,z\n', 'csv');
    assert.deepEqual(data.problems.map((p) => [p.row, p.column, renderText(p.text)]), [
      [0, undefined, 'column 2 of the header has no name'],
      [0, 'Name', 'the column is named twice (names ignore case)'],
    ]);
  });

  it('gives missing trailing fields as empty values', async () => {
    assert.deepEqual(values(await parseMergeData('name,email\nAnn\n', 'csv')), [{ name: 'Ann', email: '' }]);
  });

  // The table keeps a field as a span of the text and makes the string when it is read: every
  // shape of field must still read as it is written, however often it is read.
  it('reads every shape of field the same each time it is read', async () => {
    const text = [
      'name,note,extra',
      '"Zhang ""Z"" San",  "spaces before a quote are dropped"  ,"x"y',
      '"line one\r\nline two, with a comma",张三@例子.公司,a "quote" inside',
      '  ,\u00a0,\t',
      'a-value-longer-than-thirteen-characters,"",ends without a line break',
    ].join('\n');
    const data = await parseMergeData(text, 'csv');
    const expected = [
      { name: 'Zhang "Z" San', note: 'spaces before a quote are dropped  ', extra: 'xy' },
      { name: 'line one\r\nline two, with a comma', note: '张三@例子.公司', extra: 'a "quote" inside' },
      { name: 'a-value-longer-than-thirteen-characters', note: '', extra: 'ends without a line break' },
    ];
    assert.deepEqual(values(data), expected);
    assert.deepEqual(values(data), expected);
    assert.deepEqual(data.rows.map((r) => [r.number, r.values.get('name'), [...r.values.values()].length]), [
      [1, 'Zhang "Z" San', 3],
      [2, 'line one\r\nline two, with a comma', 3],
      [3, 'a-value-longer-than-thirteen-characters', 3],
    ]);
    assert.equal(data.rows[0]?.values.get('missing'), undefined);
  });

  it('gives a column named twice the value of its last column, as a map set column by column does', async () => {
    const data = await parseMergeData('Name,email,NAME\nfirst,a@example.test,last\n', 'csv');
    assert.deepEqual([...(data.rows[0]?.values ?? [])], [
      ['name', 'last'],
      ['email', 'a@example.test'],
    ]);
    assert.deepEqual([...(data.rows[0]?.values.values() ?? [])], ['last', 'a@example.test']);
  });

  it('holds a long table compactly: 50,000 rows take well under 200 bytes of heap each', async () => {
    const lines = ['name,email,code,hall'];
    for (let i = 1; i <= 50_000; i++) lines.push(`Person ${i},p${i}@example.test,CODE-${i.toString(36).toUpperCase()},${(i % 7) + 1}`);
    const text = `${lines.join('\n')}\n`;
    const before = process.memoryUsage().heapUsed;
    const data = await parseMergeData(text, 'csv');
    const perRow = (process.memoryUsage().heapUsed - before) / data.rows.length;
    assert.equal(data.rows.length, 50_000);
    assert.equal(data.rows[49_999]?.values.get('email'), 'p50000@example.test');
    assert.ok(perRow < 200, `${perRow.toFixed(0)} bytes of heap a row`);
  });
});

describe('merge data: JSON and YAML', () => {
  it('reads an array of objects; numbers and booleans become text, null empty', async () => {
    const data = await parseMergeData('[{"Name":"李四","Age":42,"vip":true,"note":null}]', 'json');
    assert.deepEqual(data.columns, ['Name', 'Age', 'vip', 'note']);
    assert.deepEqual(values(data), [{ name: '李四', age: '42', vip: 'true', note: '' }]);
  });

  it('reads a YAML list of maps', async () => {
    const data = await parseMergeData('- name: Ann\n  email: ann@example.test\n- name: "*Bob*"\n  email: bob@example.test\n', 'yaml');
    assert.deepEqual(values(data), [
      { name: 'Ann', email: 'ann@example.test' },
      { name: '*Bob*', email: 'bob@example.test' },
    ]);
  });

  it('refuses what is not a list of maps, and nested values', async () => {
    assert.equal(renderText((await parseMergeData('{"a":1}', 'json')).problems[0]?.text ?? { template: '', args: [] }), 'the data must be a list of records (one map per person)');
    const nested = await parseMergeData('[{"a":[1]}, 3]', 'json');
    assert.deepEqual(nested.problems.map((p) => [p.row, p.column]), [[1, 'a'], [2, undefined]]);
    assert.match(renderText((await parseMergeData('[', 'json')).problems[0]?.text ?? { template: '', args: [] }), /^not valid JSON/);
    assert.match(renderText((await parseMergeData('- a: [', 'yaml')).problems[0]?.text ?? { template: '', args: [] }), /^not valid YAML/);
  });
});
