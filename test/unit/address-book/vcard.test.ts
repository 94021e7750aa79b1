import assert from 'node:assert/strict';
import { parseVcard } from '../../../src/core/address-book/vcard';

describe('address book: vCard', () => {
  it('reads every EMAIL of every card, named by FN (vCard 4.0 and 3.0)', () => {
    const text = [
      'BEGIN:VCARD', 'VERSION:4.0', 'FN:Bob Li', 'N:Li;Bob;;;', 'EMAIL;TYPE=work:bob@example.com', 'EMAIL;TYPE=home:bob.li@home.example', 'END:VCARD',
      'BEGIN:VCARD', 'VERSION:3.0', 'N:Chen;Carol;;;', 'item1.EMAIL;type=INTERNET;type=pref:carol@example.org', 'END:VCARD',
    ].join('\r\n');
    assert.deepEqual(parseVcard(text), [
      { name: 'Bob Li', address: 'bob@example.com' },
      { name: 'Bob Li', address: 'bob.li@home.example' },
      { name: 'Carol Chen', address: 'carol@example.org' },
    ]);
  });

  it('unfolds continued lines, unescapes text and decodes vCard 2.1 quoted-printable UTF-8', () => {
    const text = [
      'BEGIN:VCARD', 'VERSION:3.0', 'FN:Li\\, Bob (Sa', ' les)', 'EMAIL:bob@exa', ' mple.com', 'END:VCARD',
      'BEGIN:VCARD', 'VERSION:2.1', 'FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E5=BC=A0=E4=B8=89', 'EMAIL;INTERNET:zhang@example.cn', 'END:VCARD',
    ].join('\n');
    assert.deepEqual(parseVcard(text), [
      { name: 'Li, Bob (Sales)', address: 'bob@example.com' },
      { name: '张三', address: 'zhang@example.cn' },
    ]);
  });

  it('drops addresses a draft would refuse, duplicates, and line breaks or invisible characters in names', () => {
    const text = [
      'BEGIN:VCARD', 'FN:Mallory\\nInjected', 'EMAIL:not-an-address', 'EMAIL:m@example.com', 'EMAIL:M@EXAMPLE.COM', 'END:VCARD',
      'BEGIN:VCARD', 'FN:Eve\u202Egnp.exe', 'EMAIL:eve@example.com', 'END:VCARD',
      'EMAIL:outside@card.example',
    ].join('\n');
    assert.deepEqual(parseVcard(text), [
      { name: 'Mallory Injected', address: 'm@example.com' },
      { name: 'Evegnp.exe', address: 'eve@example.com' },
    ]);
  });
});
