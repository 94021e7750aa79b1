import assert from 'node:assert/strict';
import { messageDate } from '../../../src/core/imap/message-date';
import { chooseSentFolder } from '../../../src/core/imap/sent-folder';
import type { MailboxEntry } from '../../../src/core/imap/sent-folder';

const box = (path: string, extra: Partial<MailboxEntry> = {}): MailboxEntry => ({ path, delimiter: '/', flags: new Set(), ...extra });

describe('Sent copy: which folder, which date', () => {
  it('prefers the folder the server marks \\Sent (RFC 6154) over any name', () => {
    const entries = [box('INBOX'), box('Sent'), box('Gesendet', { specialUse: '\\Sent', specialUseSource: 'extension' })];
    assert.deepEqual(chooseSentFolder(entries, undefined), { path: 'Gesendet', create: false });
  });

  it('ignores a \\Sent guessed from the name by the library, and unselectable folders', () => {
    const entries = [box('Sent Items', { specialUse: '\\Sent', specialUseSource: 'name' }), box('Sent', { flags: new Set(['\\Noselect']) }), box('Sent Messages')];
    assert.deepEqual(chooseSentFolder(entries, undefined), { path: 'Sent Items', create: false });
  });

  it('falls back to the known names in order, INBOX.Sent with the server\'s delimiter, and Gmail\'s', () => {
    assert.deepEqual(chooseSentFolder([box('Sent Messages'), box('Sent Items')], undefined), { path: 'Sent Items', create: false });
    assert.deepEqual(chooseSentFolder([box('INBOX'), box('INBOX.Sent', { delimiter: '.' })], undefined), { path: 'INBOX.Sent', create: false });
    assert.deepEqual(chooseSentFolder([box('inbox/Sent')], undefined), { path: 'inbox/Sent', create: false });
    assert.deepEqual(chooseSentFolder([box('[Gmail]/Sent Mail')], undefined), { path: '[Gmail]/Sent Mail', create: false });
  });

  it('creates "Sent" when nothing fits, and a configured folder when it is missing', () => {
    assert.deepEqual(chooseSentFolder([box('INBOX'), box('Drafts')], undefined), { path: 'Sent', create: true });
    assert.deepEqual(chooseSentFolder([box('Gesendet', { specialUse: '\\Sent', specialUseSource: 'extension' })], 'Archive'), { path: 'Archive', create: true });
    assert.deepEqual(chooseSentFolder([box('Archive')], 'Archive'), { path: 'Archive', create: false });
  });

  it('reads the Date header (folded, with a comment) for the internal date', () => {
    const message = Buffer.from('From: a@b\r\nDate: Tue, 05 Mar 2024\r\n 08:09:10 +0100 (CET)\r\nSubject: x\r\n\r\nDate: Wed, 01 Jan 2020 00:00:00 +0000\r\n');
    assert.equal(messageDate(message)?.toISOString(), '2024-03-05T07:09:10.000Z');
    assert.equal(messageDate(Buffer.from('Subject: none\r\n\r\nDate: Wed, 01 Jan 2020 00:00:00 +0000\r\n')), undefined);
    assert.equal(messageDate(Buffer.from('Date: not a date\r\n\r\n')), undefined);
  });
});
