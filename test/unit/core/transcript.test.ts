import assert from 'node:assert/strict';
import { clockTime, formatTranscriptLine, transcriptLines } from '../../../src/core/transcript';
import { SmtpReplyError } from '../../../src/core/smtp/errors';
import { localized } from '../../../src/core/text';

describe('transcript formatting', () => {
  it('shows client lines as C:, server lines as S:, session facts as *', () => {
    assert.deepEqual(transcriptLines({ type: 'send', line: 'EHLO [127.0.0.1]', redacted: false }), [{ who: 'C', text: 'EHLO [127.0.0.1]' }]);
    assert.deepEqual(
      transcriptLines({ type: 'receive', reply: { code: 250, lines: ['a', 'SIZE 10'] }, raw: ['250-a', '250 SIZE 10'] }).map((l) => formatTranscriptLine(l)),
      ['S: 250-a', 'S: 250 SIZE 10'],
    );
    assert.equal(transcriptLines({ type: 'connect', host: 'h', port: 25, address: '127.0.0.1', security: 'none' })[0]?.who, '*');
  });

  it('summarises DATA unless the event carries text', () => {
    assert.deepEqual(transcriptLines({ type: 'data', bytes: 42 }), [{ who: 'C', text: '<message data: 42 bytes>' }]);
    assert.deepEqual(transcriptLines({ type: 'data', bytes: 9, text: 'a\r\nb\r\n' }).map((l) => l.text), ['a', 'b']);
  });

  it('says plainly when a certificate was not verified', () => {
    const [line] = transcriptLines({ type: 'tls', details: { protocol: 'TLSv1.3', cipher: 'X', authorized: false, authorizationError: 'SELF_SIGNED' } });
    assert.match(line?.text ?? '', /NOT verified \(SELF_SIGNED\)/);
  });

  it('shows the certificate fingerprint a profile can pin', () => {
    const fingerprint = Array.from({ length: 32 }, (_, i) => i.toString(16).padStart(2, '0').toUpperCase()).join(':');
    const [line] = transcriptLines({ type: 'tls', details: { protocol: 'TLSv1.3', cipher: 'X', authorized: true, fingerprint256: fingerprint } });
    assert.ok(line?.text.endsWith(`; SHA-256 ${fingerprint}`), line?.text);
  });

  it('names the stage of an error once', () => {
    const error = new SmtpReplyError({ stage: 'mail', command: 'MAIL FROM:<a@b>', reply: { code: 550, lines: ['no'] }, text: localized('The server refused MAIL FROM:<a@b>: 550 no') });
    const [line] = transcriptLines({ type: 'error', error });
    assert.equal(line?.who, '!');
    assert.equal(line?.text.match(/stage mail/g)?.length, 1, line?.text);
  });

  it('prefixes a local clock time', () => {
    const at = new Date(2026, 10, 29, 9, 5, 7, 12);
    assert.equal(clockTime(at), '09:05:07.012');
    assert.equal(formatTranscriptLine({ who: 'S', text: '220 hi' }, at), '09:05:07.012 S: 220 hi');
  });

  // Attack: a hostile server's reply (or a draft's subject at trace verbose) carries ESC
  // sequences or a bidi override; the Output channel and the CLI's stderr both print this line.
  it('escapes control and bidi characters from the server or the draft', () => {
    const [reply] = transcriptLines({ type: 'receive', reply: { code: 250, lines: ['x'] }, raw: ['250 \x1b]0;pwned\x07ok \u202eexe.pdf'] });
    assert.ok(reply);
    assert.equal(formatTranscriptLine(reply), 'S: 250 \\x1b]0;pwned\\x07ok \\u202eexe.pdf');
    const data = transcriptLines({ type: 'data', bytes: 20, text: 'Subject: \x1b[2Jhi\r\n' });
    assert.deepEqual(data.map((l) => formatTranscriptLine(l)), ['C: Subject: \\x1b[2Jhi']);
    assert.equal(formatTranscriptLine({ who: '!', text: 'failed: \x9b31m' }), '!: failed: \\x9b31m');
  });
});
