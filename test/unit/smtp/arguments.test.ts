import assert from 'node:assert/strict';
import { SmtpArgumentError, SmtpUnsupportedError } from '../../../src/core/smtp/errors';
import { buildTransaction, xtext } from '../../../src/core/smtp/mail-params';
import { parseEhlo } from '../../../src/core/smtp/ehlo';
import { isPlainMailbox, validateEnvelope } from '../../../src/core/smtp/validate';
import { envelopeMailboxFault } from '../../../src/core/mime/grammar';

const ok = { from: 'a@example.org', to: ['b@example.org'] };

describe('envelope validation (before anything is written)', () => {
  it('accepts an ordinary envelope and the null reverse-path', () => {
    validateEnvelope(ok);
    validateEnvelope({ from: '', to: ['b@example.org'] });
  });

  it('refuses CR, LF and NUL in any address (command injection)', () => {
    for (const bad of ['a@b\r\nRCPT TO:<evil@x>', 'a@b\n', 'a@b\r', 'a\u0000@b']) {
      assert.throws(() => validateEnvelope({ from: bad, to: ['b@c'] }), (e: unknown) => e instanceof SmtpArgumentError && e.stage === 'mail');
      assert.throws(() => validateEnvelope({ from: 'a@b', to: ['b@c', bad] }), (e: unknown) => e instanceof SmtpArgumentError && e.stage === 'rcpt');
    }
  });

  it('refuses angle brackets, spaces, empty lists and non-ASCII without smtpUtf8', () => {
    assert.throws(() => validateEnvelope({ from: 'a@b>', to: ['c@d'] }), SmtpArgumentError);
    assert.throws(() => validateEnvelope({ from: 'a@b', to: ['<c@d'] }), SmtpArgumentError);
    assert.throws(() => validateEnvelope({ from: 'a b@c', to: ['c@d'] }), SmtpArgumentError);
    assert.throws(() => validateEnvelope({ from: 'a@b', to: [] }), SmtpArgumentError);
    assert.throws(() => validateEnvelope({ from: 'a@b', to: [''] }), SmtpArgumentError);
    assert.throws(() => validateEnvelope({ from: '用户@例子.中国', to: ['c@d'] }), SmtpArgumentError);
    validateEnvelope({ from: '用户@例子.中国', to: ['c@d'], smtpUtf8: true });
  });

  it('refuses CR/LF in the DSN envelope id and a size that is not a byte count', () => {
    assert.throws(() => validateEnvelope({ ...ok, dsn: { envelopeId: 'x\r\nQUIT' } }), SmtpArgumentError);
    assert.throws(() => validateEnvelope({ ...ok, size: -1 }), SmtpArgumentError);
  });
});

describe('MAIL/RCPT parameters', () => {
  const all = new Map([['SIZE', '1000'], ['8BITMIME', ''], ['SMTPUTF8', ''], ['DSN', ''], ['PIPELINING', '']]);

  it('adds SIZE, BODY, SMTPUTF8 and DSN parameters where offered', () => {
    const lines = buildTransaction({ ...ok, to: ['b@x', 'c@x'], size: 500, eightBit: true, smtpUtf8: true, dsn: { notify: ['SUCCESS', 'FAILURE'], ret: 'HDRS', envelopeId: 'id+1 é' } }, all);
    assert.equal(lines.mail, 'MAIL FROM:<a@example.org> SIZE=500 BODY=8BITMIME SMTPUTF8 RET=HDRS ENVID=id+2B1+20+C3+A9');
    assert.deepEqual(lines.rcpts, ['RCPT TO:<b@x> NOTIFY=SUCCESS,FAILURE', 'RCPT TO:<c@x> NOTIFY=SUCCESS,FAILURE']);
  });

  it('leaves out what the server does not offer, and DSN silently', () => {
    const lines = buildTransaction({ ...ok, size: 500, dsn: { notify: 'NEVER', ret: 'FULL' } }, new Map());
    assert.equal(lines.mail, 'MAIL FROM:<a@example.org>');
    assert.deepEqual(lines.rcpts, ['RCPT TO:<b@example.org>']);
  });

  it('fails before MAIL when the message is larger than the SIZE limit (RFC 1870)', () => {
    assert.throws(() => buildTransaction({ ...ok, size: 1001 }, all), (e: unknown) => e instanceof SmtpUnsupportedError && e.feature === 'SIZE' && e.stage === 'mail');
    assert.equal(buildTransaction({ ...ok, size: 10 ** 9 }, new Map([['SIZE', '0']])).mail, 'MAIL FROM:<a@example.org> SIZE=1000000000');
  });

  it('fails when 8BITMIME or SMTPUTF8 is needed but not offered', () => {
    assert.throws(() => buildTransaction({ ...ok, eightBit: true }, new Map()), (e: unknown) => e instanceof SmtpUnsupportedError && e.feature === '8BITMIME');
    assert.throws(() => buildTransaction({ ...ok, smtpUtf8: true }, new Map()), (e: unknown) => e instanceof SmtpUnsupportedError && e.feature === 'SMTPUTF8');
  });

  it('xtext-encodes "+", "=" and non-printables (RFC 3461 4)', () => {
    assert.equal(xtext('a=b+c d'), 'a+3Db+2Bc+20d');
  });
});

describe('EHLO reply', () => {
  it('maps keywords to parameters and folds AUTH= into AUTH', () => {
    const { name, extensions } = parseEhlo({ code: 250, lines: ['mx.example.org greets you', 'size 100', 'AUTH PLAIN', 'AUTH=LOGIN', 'STARTTLS'] });
    assert.equal(name, 'mx.example.org');
    assert.equal(extensions.get('SIZE'), '100');
    assert.equal(extensions.get('AUTH'), 'PLAIN LOGIN');
    assert.equal(extensions.get('STARTTLS'), '');
  });
});

describe('envelope addresses follow the one mail grammar (core/mime/grammar.ts)', () => {
  it('accepts a quoted local part (RFC 5321 4.1.2) and sends it as written', () => {
    validateEnvelope({ from: '"a b"@example.com', to: ['"x>y"@example.org'] });
    assert.equal(buildTransaction({ from: '"a b"@example.com', to: ['b@example.org'] }, new Map()).mail, 'MAIL FROM:<"a b"@example.com>');
  });

  it('names the fault as the draft checker does', () => {
    assert.throws(
      () => validateEnvelope({ from: 'a@example.com', to: ['bob@'] }),
      (e: unknown) => e instanceof SmtpArgumentError && e.stage === 'rcpt' && /nothing comes after the @/.test(e.message) && !/stage/.test(e.message),
    );
  });

  it('the quick check for ordinary addresses accepts nothing the grammar refuses', () => {
    const samples = [
      'a@example.com', 'a.b-c+d@mail.example.org', "o'neil@x.y", 'a..b@example.com', '.a@example.com', 'a.@example.com',
      'a@-example.com', 'a@example-.com', 'a@ex_ample.com', 'a@example..com', 'a@.example.com', 'a@example.com.',
      `a@${'l'.repeat(63)}.com`, `a@${'l'.repeat(64)}.com`, `${'x'.repeat(240)}@example.com`, 'a@[127.0.0.1]', 'a@b', 'A@B.C', '"q"@x.y',
    ];
    for (const address of samples) {
      if (isPlainMailbox(address)) assert.equal(envelopeMailboxFault(address, false), undefined, address);
    }
    assert.equal(isPlainMailbox('a.b-c+d@mail.example.org'), true, 'the quick check does cover the usual address');
  });
});
