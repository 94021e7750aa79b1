import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { dropPendingCopy, keepPendingCopy, listPendingCopies, readPendingCopy } from '../../../src/core/imap/pending-copies';
import { secretScrubber, transcriptLogger } from '../../../src/core/imap/session-log';
import type { TranscriptLine } from '../../../src/core/transcript';
import { findSecrets, secretForms } from '../../support/servers/leak-check';

describe('Sent copy: the IMAP transcript and the kept copies', () => {
  it('turns imapflow log entries into C:/S: lines and scrubs every form of the secret', () => {
    const lines: TranscriptLine[] = [];
    const user = 'ann@example.com';
    const secret = 'Pässwörd-imap-9';
    const logger = transcriptLogger((line) => lines.push(line), secretScrubber(user, secret, false));
    const plain = Buffer.from(`\u0000${user}\u0000${secret}`).toString('base64');
    logger.debug({ src: 'c', msg: `2 AUTHENTICATE PLAIN ${plain}` });
    logger.debug({ src: 's', msg: `2 NO [AUTHENTICATIONFAILED] bad ${secret.toUpperCase()}` });
    logger.debug({ src: 'c', msg: `3 LOGIN "${user}" "${secret}"` });
    // A SASL exchange over continuations: every client line until the tagged answer is masked,
    // even where the library already hid the secret inside the blob.
    logger.debug({ src: 'c', msg: '4 AUTHENTICATE PLAIN' });
    logger.debug({ src: 's', msg: '+' });
    logger.debug({ src: 'c', msg: Buffer.from(`\u0000${user}\u0000(* value hidden *)`).toString('base64') });
    logger.debug({ src: 's', msg: '4 OK Logged in' });
    logger.debug({ src: 'c', msg: '5 LIST "" "*"' });
    logger.debug({ msg: 'no source: dropped' });
    logger.trace({ src: 'c', msg: 'raw bytes: dropped' });
    logger.info({ msg: 'Connection established' });
    logger.error({ msg: 'Command failed', err: new Error('boom') });
    assert.deepEqual(
      lines.map((line) => `${line.who}: ${line.text}`),
      [
        'C: 2 AUTHENTICATE PLAIN ****',
        'S: 2 NO [AUTHENTICATIONFAILED] bad ****',
        'C: 3 LOGIN ****',
        'C: 4 AUTHENTICATE PLAIN',
        'S: +',
        'C: ****',
        'S: 4 OK Logged in',
        'C: 5 LIST "" "*"',
        '*: Connection established',
        '!: Command failed: boom',
      ],
    );
    assert.deepEqual(findSecrets([lines], secretForms(user, secret)), []);
  });

  it('keeps a copy privately (folder 0700, files 0600), lists it, reads it back, drops it', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sae-kept-'));
    try {
      const folder = path.join(dir, 'unsent-copies');
      const bytes = Buffer.from('Subject: kept\r\n\r\nbody\r\n');
      const kept = await keepPendingCopy(folder, bytes, { profile: 'work', messageId: '<a@b>', subject: 'kept' }, new Date('2026-12-02T10:00:00Z'));
      assert.equal((await stat(folder)).mode & 0o777, 0o700);
      assert.equal((await stat(kept.file)).mode & 0o777, 0o600);
      assert.equal((await stat(kept.file.replace(/\.eml$/, '.json'))).mode & 0o777, 0o600);
      const [listed] = await listPendingCopies(folder);
      assert.deepEqual(listed, kept);
      assert.ok((await readPendingCopy(kept)).equals(bytes));
      await dropPendingCopy(kept);
      assert.deepEqual(await listPendingCopies(folder), []);
      assert.deepEqual(await listPendingCopies(path.join(dir, 'absent')), []);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
