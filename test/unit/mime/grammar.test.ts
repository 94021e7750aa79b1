/** The one mail grammar (src/core/mime/grammar.ts) that the draft checker, composer and envelope share. */
import assert from 'node:assert/strict';
import {
  describeCharacter,
  envelopeMailboxFault,
  formatCharacterIndex,
  headerNameFault,
  isHeaderName,
  isMessageId,
  lineBreakIndex,
  mailboxKey,
  messageIdDomain,
  messageIdFault,
  ownedHeader,
  parseMailbox,
  unfoldableRun,
} from '../../../src/core/mime/grammar';

describe('grammar: mailboxes (RFC 5321 4.1.2, RFC 6531)', () => {
  const wire = (written: string): string => {
    const result = parseMailbox(written);
    assert.ok(result.ok, `${written}: ${JSON.stringify(result)}`);
    return result.addrSpec;
  };
  const fault = (written: string): string => {
    const result = parseMailbox(written);
    assert.ok(!result.ok, `${written} should be refused`);
    return result.fault.kind;
  };

  // Regression: "a>b" and "a b" were accepted by check and then refused by the composer or the client.
  it('accepts quoted local parts and writes them quoted, escaping " and \\', () => {
    assert.equal(wire('"a b"@example.com'), '"a b"@example.com');
    assert.equal(wire('"a>b"@example.com'), '"a>b"@example.com');
    assert.equal(wire('"a<b>c"@example.com'), '"a<b>c"@example.com');
    assert.equal(wire('"a\\"b"@example.com'), '"a\\"b"@example.com');
    assert.equal(wire('"bob"@example.com'), 'bob@example.com');
  });
  it('refuses what a quoted-string cannot hold (RFC 5321 qtextSMTP): tab, controls, a bare quote', () => {
    assert.equal(fault('"a\tb"@example.com'), 'quoted-char');
    assert.equal(fault('"a\u0001b"@example.com'), 'quoted-char');
    assert.equal(fault('"a"b"@example.com'), 'after-quote');
    assert.equal(fault('"abc@example.com'), 'unclosed-quote');
    assert.equal(fault('""@example.com'), 'empty-local');
  });
  it('refuses unquoted specials, with a hint that quoting would help', () => {
    const result = parseMailbox('a>b@example.com');
    assert.ok(!result.ok && result.fault.kind === 'local' && result.fault.quotable);
    assert.equal(fault('a b@example.com'), 'local');
    assert.equal(fault('a@b@example.com'), 'many-at');
  });
  it('keeps UTF-8 local parts (SMTPUTF8) and writes Unicode domains as A-labels', () => {
    assert.deepEqual(parseMailbox('jörg@münchen.example'), { ok: true, addrSpec: 'jörg@xn--mnchen-3ya.example', smtpUtf8: true });
    assert.deepEqual(parseMailbox('bob@Example.COM'), { ok: true, addrSpec: 'bob@Example.COM', smtpUtf8: false });
  });
  it('checks address literals (RFC 5321 4.1.3)', () => {
    assert.equal(wire('x@[192.0.2.1]'), 'x@[192.0.2.1]');
    assert.equal(wire('x@[IPv6:2001:db8::1]'), 'x@[IPv6:2001:db8::1]');
    assert.equal(wire('x@[tag:anything]'), 'x@[tag:anything]');
    assert.equal(fault('x@[999.1.1.1]'), 'literal-invalid');
    assert.equal(fault('x@[IPv6:nope]'), 'literal-invalid');
    assert.equal(fault('x@[1.2.3.4'), 'literal-unclosed');
  });
  it('refuses bidi and invisible format characters anywhere in a mailbox', () => {
    // U+061C and U+2060 too: the one list escape.ts also uses (IDNA used to drop U+2060 silently).
    for (const ch of ['\u200B', '\u200F', '\u202E', '\u2066', '\uFEFF', '\u061C', '\u2060']) {
      assert.equal(fault(`a${ch}b@example.com`), 'format-character', JSON.stringify(ch));
      assert.equal(fault(`ab@exa${ch}mple.com`), 'format-character', JSON.stringify(ch));
    }
  });
  it('refuses a Unicode domain label whose A-label is over 63 octets (RFC 1035 2.3.4)', () => {
    assert.equal(fault(`a@${'é'.repeat(70)}.com`), 'label-long');
    assert.match(wire(`a@${'é'.repeat(10)}.com`), /^a@xn--/);
  });

  it('refuses line breaks and mailboxes longer than a path may be (RFC 5321 4.5.3.1.3)', () => {
    assert.equal(fault('a\r\nRCPT TO:<x@y>@example.com'), 'line-break');
    assert.equal(fault(`${'a'.repeat(250)}@example.com`), 'too-long');
  });
  it('checks the envelope with the same grammar: quoted local parts pass, unquoted specials do not', () => {
    assert.equal(envelopeMailboxFault('"a b"@example.com', false), undefined);
    assert.equal(envelopeMailboxFault('"a>b"@example.com', false), undefined);
    assert.equal(envelopeMailboxFault('a>b@example.com', false)?.kind, 'local');
    assert.equal(envelopeMailboxFault('jörg@example.com', false)?.kind, 'needs-smtputf8');
    assert.equal(envelopeMailboxFault('jörg@example.com', true), undefined);
  });
  it('compares mailboxes with the domain ignoring case and the local part as written', () => {
    assert.equal(mailboxKey('bob@Example.COM'), mailboxKey('bob@example.com'));
    assert.notEqual(mailboxKey('Bob@example.com'), mailboxKey('bob@example.com'));
  });
});

describe('grammar: header names, owned headers, folding', () => {
  it('header names are RFC 5322 3.6.8 ftext', () => {
    assert.ok(isHeaderName('X-Priority'));
    assert.deepEqual(headerNameFault('X Bad'), { kind: 'char', ch: ' ' });
    assert.deepEqual(headerNameFault('X:Bad'), { kind: 'char', ch: ':' });
    assert.deepEqual(headerNameFault(''), { kind: 'empty' });
  });
  it('the composer owns Bcc, MIME-Version, Content-*, Date, Message-ID and the address fields', () => {
    for (const name of ['Bcc', 'MIME-Version', 'Content-Type', 'content-disposition', 'Date', 'Message-ID', 'From', 'To', 'Cc', 'Subject', 'Reply-To', 'In-Reply-To', 'References']) {
      assert.ok(ownedHeader(name), name);
    }
    assert.equal(ownedHeader('X-Priority'), undefined);
    assert.equal(ownedHeader('List-Unsubscribe'), undefined);
  });
  it('finds a run that cannot be folded to 998 octets, counting the name on the first line', () => {
    assert.equal(unfoldableRun('X-Long', `short ${'a'.repeat(990)}`), undefined);
    assert.deepEqual(unfoldableRun('X-Long', `short ${'a'.repeat(998)}`), { index: 6, length: 998, octets: 999 });
    assert.deepEqual(unfoldableRun('X-Long', 'b'.repeat(991)), { index: 0, length: 991, octets: 999 });
    assert.equal(unfoldableRun('X-Long', 'b'.repeat(990)), undefined);
  });
  it('line breaks and NUL are found with their index', () => {
    assert.equal(lineBreakIndex('ab\ncd'), 2);
    assert.equal(lineBreakIndex('ab\0'), 2);
    assert.equal(lineBreakIndex('abc'), -1);
  });
  it('format characters are the bidi controls and invisible characters, nothing else', () => {
    assert.equal(formatCharacterIndex('résumé \u202Efdp.exe'), 7);
    assert.equal(formatCharacterIndex('Zoë 张伟 \u00A0'), -1);
    assert.equal(describeCharacter('\u202E'), 'U+202E');
    assert.equal(describeCharacter(','), "','");
    assert.equal(describeCharacter('Ü'), "U+00DC 'Ü'");
  });
});

describe('grammar: message ids (RFC 5322 3.6.4)', () => {
  it('accepts dot-atom and no-fold-literal forms', () => {
    assert.ok(isMessageId('<abc.def@example.com>'));
    assert.ok(isMessageId('<abc@[127.0.0.1]>'));
  });
  // Regression: a non-ASCII in-reply-to passed check and failed only while composing.
  it('refuses non-ASCII, missing brackets and over-long ids', () => {
    assert.equal(messageIdFault('<abç@example.com>')?.kind, 'non-ascii');
    assert.equal(messageIdFault('abc@example.com')?.kind, 'brackets');
    assert.equal(messageIdFault(`<${'a'.repeat(1000)}@example.com>`)?.kind, 'too-long');
    assert.equal(messageIdFault('<.a@example.com>')?.kind, 'left');
  });
  it('makes the Message-ID domain from the sender: A-labels, or the .invalid fallback', () => {
    assert.equal(messageIdDomain('a@example.com'), 'example.com');
    assert.equal(messageIdDomain('a@münchen.example'), 'xn--mnchen-3ya.example');
    assert.equal(messageIdDomain('a@[192.0.2.1]'), 'send-as-email.invalid');
    assert.equal(messageIdDomain('"a b"@example.com'), 'example.com');
  });
});
