import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseCsv, parseCsvRows } from '../../../src/core/address-book/csv';
import { loadAddressBook } from '../../../src/core/address-book/load';
import { MAX_RECENT_RECIPIENTS, readRecent, rememberRecipients } from '../../../src/core/address-book/recent';

describe('address book: CSV', () => {
  it('splits RFC 4180 rows: quotes, doubled quotes, separators and line breaks inside quotes', () => {
    assert.deepEqual(parseCsvRows('a,"b, c","say ""hi""","two\r\nlines"\r\nx,y\n'), [
      ['a', 'b, c', 'say "hi"', 'two\r\nlines'],
      ['x', 'y'],
    ]);
  });

  it('reads Google Contacts columns, several addresses in one cell included', () => {
    const text = 'Name,Given Name,Family Name,E-mail 1 - Type,E-mail 1 - Value\nBob Li,Bob,Li,* Work,bob@example.com ::: bob@home.example\n';
    assert.deepEqual(parseCsv(text), [
      { name: 'Bob Li', address: 'bob@example.com' },
      { name: 'Bob Li', address: 'bob@home.example' },
    ]);
  });

  it('reads Outlook columns (First Name + Last Name, E-mail Address) and semicolon-separated files', () => {
    assert.deepEqual(parseCsv('\uFEFFFirst Name,Last Name,E-mail Address\r\nCarol,"Chen, Jr.",carol@example.org\r\n'), [{ name: 'Carol Chen, Jr.', address: 'carol@example.org' }]);
    assert.deepEqual(parseCsv('Display Name;Primary Email\n王五;wang@example.cn\n'), [{ name: '王五', address: 'wang@example.cn' }]);
  });

  it('without a header, takes every cell that is an address, named by the first that is not', () => {
    assert.deepEqual(parseCsv('Dave,dave@example.com\nnot-an-address,also not\n,erin@example.com\n'), [
      { name: 'Dave', address: 'dave@example.com' },
      { address: 'erin@example.com' },
    ]);
  });

  it('loads a .vcf or .csv by its extension and reports an unreadable file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'address-book-'));
    try {
      writeFileSync(path.join(dir, 'book.vcf'), 'BEGIN:VCARD\nFN:Bob\nEMAIL:bob@example.com\nEND:VCARD\n');
      writeFileSync(path.join(dir, 'book.csv'), 'Name,Email\nCarol,carol@example.org\n');
      assert.deepEqual(await loadAddressBook(path.join(dir, 'book.vcf')), { ok: true, entries: [{ name: 'Bob', address: 'bob@example.com' }] });
      assert.deepEqual(await loadAddressBook(path.join(dir, 'book.csv')), { ok: true, entries: [{ name: 'Carol', address: 'carol@example.org' }] });
      const missing = await loadAddressBook(path.join(dir, 'none.vcf'));
      assert.equal(missing.ok, false);
      assert.ok(!missing.ok && missing.problem.args.includes('ENOENT'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('address book: remembered recipients', () => {
  it('puts the latest send first, counts sends and keeps a name once given', () => {
    let list = rememberRecipients([], [{ name: 'Bob Li', address: 'bob@example.com' }, { address: 'carol@example.org' }], 1000);
    list = rememberRecipients(list, [{ address: 'BOB@example.com' }], 2000);
    assert.deepEqual(list, [
      { address: 'BOB@example.com', name: 'Bob Li', lastSent: 2000, count: 2 },
      { address: 'carol@example.org', lastSent: 1000, count: 1 },
    ]);
  });

  it('keeps at most MAX_RECENT_RECIPIENTS and drops what global state holds in a wrong shape', () => {
    const many = Array.from({ length: MAX_RECENT_RECIPIENTS + 5 }, (_, i) => ({ address: `u${i}@example.com` }));
    const list = rememberRecipients([], many, 1);
    assert.equal(list.length, MAX_RECENT_RECIPIENTS);
    assert.deepEqual(readRecent([{ address: 'ok@example.com', lastSent: 5 }, { address: 42 }, 'x', { address: 'bad', lastSent: 1 }]), [
      { address: 'ok@example.com', lastSent: 5, count: 1 },
    ]);
    assert.deepEqual(readRecent(undefined), []);
  });
});
