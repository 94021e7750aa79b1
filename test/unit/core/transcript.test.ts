import assert from 'node:assert/strict';
import { clockTime, formatTranscriptLine, transcriptLines } from '../../../src/core/transcript';

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

  it('prefixes a local clock time', () => {
    const at = new Date(2026, 10, 29, 9, 5, 7, 12);
    assert.equal(clockTime(at), '09:05:07.012');
    assert.equal(formatTranscriptLine({ who: 'S', text: '220 hi' }, at), '09:05:07.012 S: 220 hi');
  });
});
