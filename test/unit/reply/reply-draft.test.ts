/**
 * Reply and forward drafts (core/reply): recipients, one "Re:", threading headers (RFC 5322
 * 3.6.4), the quote, and a draft the checker accepts. Bugs guarded against: "Re: Re: 回复:",
 * a reply that breaks the thread (no References), Reply All writing to oneself, and a hostile
 * subject that adds front-matter keys.
 */
import assert from 'node:assert/strict';
import { parseDraft } from '../../../src/core/draft';
import { addressesMinus, ownAddresses, replyRecipients } from '../../../src/core/reply/addresses';
import { forwardDraftText, replyDraftText, replyReferences } from '../../../src/core/reply/draft-text';
import { htmlToText } from '../../../src/core/reply/html-text';
import { quoteText } from '../../../src/core/reply/quote';
import { readReceivedMessage } from '../../../src/core/reply/received';
import type { ReceivedMessage } from '../../../src/core/reply/received';
import { forwardSubject, replySubject } from '../../../src/core/reply/subject';

const RAW = [
  'From: "Lee, Carol" <carol@example.test>',
  'Reply-To: carol.work@example.test',
  'To: alice@example.test, Bob <bob@example.test>',
  'Cc: dave@example.test, ALICE@Example.test, bob@example.test',
  'Subject: =?utf-8?b?5Zue5aSNOiDlkajmiqU=?=',
  'Date: Tue, 01 Dec 2026 09:00:00 +0800',
  'Message-ID: <m1@example.test>',
  'In-Reply-To: <r1@example.test>',
  'References: <r0@example.test>',
  ' <r1@example.test>',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'Line one',
  '> earlier quote',
  '',
  'Line three',
  '',
].join('\r\n');

function received(fields: Partial<ReceivedMessage>): ReceivedMessage {
  return { from: [], replyTo: [], to: [], cc: [], subject: '', messageId: undefined, references: [], inReplyTo: [], date: undefined, text: '', ...fields };
}

describe('reply subject', () => {
  it('adds "Re: " once, whatever prefixes the original had', () => {
    assert.equal(replySubject('Plans'), 'Re: Plans');
    assert.equal(replySubject('Re: Plans'), 'Re: Plans');
    assert.equal(replySubject('RE: re: Plans'), 'Re: Plans');
    assert.equal(replySubject('回复: 答复：回复：周报'), 'Re: 周报');
    assert.equal(replySubject('AW: SV: Antw: Re[2]: Plans'), 'Re: Plans');
    assert.equal(replySubject('Regarding plans'), 'Re: Regarding plans');
    assert.equal(forwardSubject('Fwd: FW: Plans'), 'Fwd: Plans');
    assert.equal(forwardSubject('Re: Plans'), 'Fwd: Re: Plans');
  });
});

describe('reply quote and recipients', () => {
  it('quotes every line with "> ", deepening quotes, and drops trailing blank lines', () => {
    assert.equal(quoteText('a\r\n> b\n\nc\n\n'), '> a\n>> b\n>\n> c');
  });

  it('replies to Reply-To, else From; Reply All adds To and Cc without the user and repeats', () => {
    const original = {
      from: [{ address: 'carol@example.test' }],
      replyTo: [],
      to: [{ address: 'alice@example.test' }, { address: 'bob@example.test' }],
      cc: [{ address: 'Alice@EXAMPLE.test' }, { address: 'carol@example.test' }, { address: 'dave@example.test' }],
    };
    assert.deepEqual(replyRecipients(original, false, ['alice@example.test']), { to: [{ address: 'carol@example.test' }], cc: [] });
    assert.deepEqual(replyRecipients({ ...original, replyTo: [{ address: 'list@example.test' }] }, false, []).to, [{ address: 'list@example.test' }]);
    assert.deepEqual(replyRecipients(original, true, ['alice@example.test']), {
      to: [{ address: 'carol@example.test' }, { address: 'bob@example.test' }],
      cc: [{ address: 'dave@example.test' }],
    });
    assert.deepEqual(addressesMinus([{ address: 'A@x.test' }, { address: 'a@x.test' }], []), [{ address: 'A@x.test' }]);
    assert.deepEqual(ownAddresses({ from: 'Alice <Alice@Example.test>', username: 'alice@example.test' }), ['alice@example.test', 'alice@example.test']);
    assert.deepEqual(ownAddresses({ username: 'alice' }), []);
  });

  it('threads: the parent\'s References (or its one In-Reply-To) then its Message-ID', () => {
    assert.deepEqual(replyReferences(received({ messageId: '<m@x>', references: ['<a@x>', '<b@x>'], inReplyTo: ['<b@x>'] })), ['<a@x>', '<b@x>', '<m@x>']);
    assert.deepEqual(replyReferences(received({ messageId: '<m@x>', inReplyTo: ['<b@x>'] })), ['<b@x>', '<m@x>']);
    assert.deepEqual(replyReferences(received({ messageId: '<m@x>', inReplyTo: ['<b@x>', '<c@x>'] })), ['<m@x>']);
    assert.deepEqual(replyReferences(received({})), []);
  });
});

describe('reply and forward drafts from a received message', () => {
  it('reads a real message and writes a reply draft the checker accepts', async () => {
    const message = await readReceivedMessage(Buffer.from(RAW));
    const text = replyDraftText(message, { all: true, self: ['alice@example.test'], profile: 'work', t: undefined });
    assert.equal(
      text,
      [
        '---',
        'to:',
        '  - "carol.work@example.test"',
        '  - "Bob <bob@example.test>"',
        'cc: "dave@example.test"',
        'subject: "Re: 周报"',
        'in-reply-to: "<m1@example.test>"',
        'references: "<r0@example.test> <r1@example.test> <m1@example.test>"',
        'profile: "work"',
        '---',
        '',
        'On Tue, 01 Dec 2026 09:00:00 +0800, "Lee, Carol" <carol@example.test> wrote:',
        '> Line one',
        '>> earlier quote',
        '>',
        '> Line three',
        '',
      ].join('\n'),
    );
    const parsed = await parseDraft(text, { format: 'markdown', baseDir: '/tmp' });
    assert.deepEqual(parsed.problems, []);
    assert.equal(parsed.draft?.inReplyTo, '<m1@example.test>');
    assert.deepEqual(parsed.draft?.references, ['<r0@example.test>', '<r1@example.test>', '<m1@example.test>']);
  });

  it('keeps a hostile subject inside its value (no new keys, no early fence)', async () => {
    const message = received({ from: [{ address: 'x@example.test' }], subject: 'hi\n---\nbcc: spy@evil.test', messageId: '<m@example.test>' });
    const text = replyDraftText(message, { all: false, self: [], profile: undefined, t: undefined });
    const parsed = await parseDraft(text, { format: 'plaintext', baseDir: '/tmp' });
    assert.deepEqual(parsed.draft?.bcc, []);
    assert.equal(parsed.draft?.subject, 'Re: hi --- bcc: spy@evil.test');
  });

  it('quotes the HTML part as text when there is no text part', async () => {
    const html = RAW.replace('text/plain', 'text/html').replace(/\r\n\r\nLine one[\s\S]*$/, '\r\n\r\n<p>Hello <b>there</b> &amp; you</p><script>alert(1)</script><ul><li>one</li></ul><a href="https://example.test/x">link</a>\r\n');
    const message = await readReceivedMessage(Buffer.from(html));
    assert.equal(message.text, 'Hello there & you\n\n- one\n\nlink <https://example.test/x>');
    assert.equal(await htmlToText('<style>p{}</style><p>a<br>b</p><pre>  x\n  y</pre>'), 'a\nb\n\n  x\n  y');
  });

  it('forwards: no recipient yet, "Fwd:", the original attached', async () => {
    const message = await readReceivedMessage(Buffer.from(RAW));
    const text = forwardDraftText(message, { attachPath: './orig.eml', profile: undefined, t: undefined });
    assert.match(text, /^---\nto: \nsubject: "Fwd: 回复: 周报"\nattach: "\.\/orig\.eml"\n---\n/);
    assert.match(text, /From: "Lee, Carol" <carol@example\.test>\n/);
  });
});
