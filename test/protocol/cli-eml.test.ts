/**
 * `--eml FILE` all or nothing (issue 7.10): the message goes to a temporary file beside the
 * target and is renamed over it only when complete. Bug guarded against: a failure halfway left
 * a truncated .eml (or an emptied one, when it replaced an older message).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { writeEmlFile } from '../../src/cli/eml-output';
import { ComposeError } from '../../src/core/mime/errors';
import { localized } from '../../src/core/text';

/** Half a message, then the composer fails (an attachment vanished while it was read). */
function failingHalfway(): Readable {
  return Readable.from(
    (async function* () {
      yield Buffer.from('Date: Thu, 01 Jan 1970 00:00:00 +0000\r\nSubject: half\r\n\r\n');
      await Promise.resolve();
      throw new ComposeError('file-changed', localized('The attachment {0} changed while it was being read.', 'a.bin'), 'a.bin');
    })(),
  );
}

describe('--eml FILE is written atomically', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sae-eml-'));
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('leaves an existing target untouched, and no temporary file, when composing fails halfway', async () => {
    const target = join(dir, 'message.eml');
    writeFileSync(target, 'older message\n');
    const error = await writeEmlFile(target, failingHalfway).then(
      () => undefined,
      (e: unknown) => e,
    );
    // The composer's error comes through as itself: its kind decides the advice and exit status.
    assert.ok(error instanceof ComposeError, String(error));
    assert.equal(readFileSync(target, 'utf8'), 'older message\n');
    assert.deepEqual(readdirSync(dir), ['message.eml']);
  });

  it('creates no target at all when composing fails before it existed', async () => {
    await assert.rejects(writeEmlFile(join(dir, 'new.eml'), failingHalfway), ComposeError);
    assert.deepEqual(readdirSync(dir), []);
  });

  it('replaces the target whole on success, keeping its permissions', async () => {
    const target = join(dir, 'private.eml');
    writeFileSync(target, 'older\n', { mode: 0o600 });
    await writeEmlFile(target, () => Readable.from([Buffer.from('Subject: new\r\n\r\nbody\r\n')]));
    assert.equal(readFileSync(target, 'utf8'), 'Subject: new\r\n\r\nbody\r\n');
    assert.equal(statSync(target).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(dir), ['private.eml']);
  });

  it('names the target, not the temporary file, when the folder cannot be written', async () => {
    const target = join(dir, 'missing-folder', 'x.eml');
    await assert.rejects(writeEmlFile(target, () => Readable.from([Buffer.from('x')])), (error: Error) => {
      assert.equal(error.message, `Cannot write ${target}: ENOENT`);
      return true;
    });
  });
});
