/**
 * The copy in the Sent folder against a real IMAP server (Dovecot 2.3, test/support/servers/
 * dovecot-imap.ts), read back with an independent client (Python's imaplib): the stored bytes
 * are the sent bytes, flagged \Seen, dated with the message's Date; the folder is the `\Sent`
 * one, else a known name, else a created "Sent"; a refused APPEND leaves the message kept and a
 * retry files it; the session shows as C:/S: lines without the password in any form.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SaveSentError } from '../../src/core/imap/errors';
import { keepPendingCopy, listPendingCopies } from '../../src/core/imap/pending-copies';
import { retryPendingCopy } from '../../src/core/imap/retry';
import { saveToSent } from '../../src/core/imap/save-sent';
import type { TranscriptLine } from '../../src/core/transcript';
import { normaliseProfile } from '../../src/core/profiles';
import type { SmtpProfile } from '../../src/core/profiles';
import { startDovecotImap } from '../support/servers/dovecot-imap';
import type { DovecotAccount, DovecotImap } from '../support/servers/dovecot-imap';
import { findSecrets, secretForms, startOrSkip } from '../support/servers/index';

/** Written "yesterday" on purpose: the internal date must be this, not the time of the APPEND. */
const DATE_HEADER = 'Tue, 05 Mar 2024 08:09:10 +0100';

function message(subject: string, bodyBytes = 200): Buffer {
  const body = `Grüße aus dem Test — ${'x'.repeat(bodyBytes)}`;
  return Buffer.from(
    [
      'From: Ann <special@example.test>',
      'To: bob@example.test',
      `Subject: ${subject}`,
      `Date: ${DATE_HEADER}`,
      `Message-ID: <${subject.replace(/\W/g, '')}@example.test>`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
      '',
      body,
      '',
    ].join('\r\n'),
    'utf8',
  );
}

describe('Sent folder over IMAP: Dovecot (real server)', function () {
  this.timeout(60_000);
  let server: DovecotImap | undefined;
  let storage: string;

  before(async function () {
    server = await startOrSkip(this, () => startDovecotImap());
    storage = mkdtempSync(join(tmpdir(), 'sae-pending-'));
  });

  after(async () => {
    await server?.stop();
    if (storage) rmSync(storage, { recursive: true, force: true });
  });

  function running(): DovecotImap {
    assert.ok(server, 'Dovecot was not started');
    return server;
  }

  function profileFor(account: DovecotAccount, imap: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): SmtpProfile {
    const dovecot = running();
    const { profile, errors } = normaliseProfile('imap-test', {
      host: '127.0.0.1',
      port: 2525,
      username: dovecot.user(account).address,
      tls: { ca: dovecot.certificate.certPath },
      imap: { host: '127.0.0.1', port: dovecot.imapsPort, security: 'tls', ...imap },
      ...extra,
    });
    assert.deepEqual(errors, []);
    assert.ok(profile);
    return profile;
  }

  async function save(account: DovecotAccount, bytes: Buffer, lines: TranscriptLine[], imap: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
    const profile = profileFor(account, imap, extra);
    const settings = profile.sentCopy;
    assert.ok(settings?.imap);
    return saveToSent(bytes, {
      profile,
      imap: settings.imap,
      folder: settings.folder,
      secret: running().user(account).password,
      tokenSource: undefined,
      observer: (line) => lines.push(line),
      signal: undefined,
      timeoutMs: 15_000,
    });
  }

  it('files the exact bytes in the \\Sent special-use folder, \\Seen, dated with the Date header, after ID', async () => {
    const dovecot = running();
    const bytes = message('special use');
    const lines: TranscriptLine[] = [];
    const saved = await save('special', bytes, lines);
    // "Gesendet" is marked \Sent; "Sent Items" also exists: the mark wins over the name.
    assert.equal(saved.folder, 'Gesendet');
    assert.equal(saved.created, false);
    const stored = await dovecot.messages('special', 'Gesendet');
    assert.equal(stored.length, 1);
    assert.ok(stored[0]?.bytes.equals(bytes), 'the stored message differs from the sent bytes');
    assert.ok(stored[0]?.flags.includes('\\Seen'));
    assert.equal(Date.parse((stored[0]?.internalDate ?? '').replace(/-/g, ' ')), Date.parse(DATE_HEADER));
    assert.deepEqual(await dovecot.messages('special', 'Sent Items'), []);
    // The session is in the transcript, as client and server lines; ID came before the login.
    const text = lines.map((line) => `${line.who}: ${line.text}`);
    const id = text.findIndex((line) => /^C: \S+ ID \(/.test(line));
    const login = text.findIndex((line) => /^C: \S+ (LOGIN|AUTHENTICATE)\b/.test(line));
    assert.ok(id >= 0 && login > id, `ID then login expected in:\n${text.join('\n')}`);
    assert.ok(text.some((line) => /^S: \S+ OK .*APPEND/i.test(line)), text.join('\n'));
    // The login is shown masked: the SASL response (or LOGIN's arguments) as ****.
    assert.ok(text.some((line) => /^C: (\S+ AUTHENTICATE \S+ |\S+ LOGIN )?\*\*\*\*$/.test(line)), text.join('\n'));
    assert.ok(text.some((line) => line.endsWith(' ID ("name" "Send as Email")')), 'ID names the client, and only it');
    const user = dovecot.user('special');
    assert.deepEqual(findSecrets([lines, text], secretForms(user.address, user.password)), []);
  });

  it('falls back to a known name when no folder is marked \\Sent', async () => {
    const dovecot = running();
    const bytes = message('named fallback');
    const saved = await save('named', bytes, []);
    assert.equal(saved.folder, 'Sent Items');
    const stored = await dovecot.messages('named', 'Sent Items');
    assert.equal(stored.length, 1);
    assert.ok(stored[0]?.bytes.equals(bytes));
  });

  it('creates "Sent" when there is no Sent folder at all, over STARTTLS', async () => {
    const dovecot = running();
    assert.ok(!(await dovecot.mailboxes('empty')).some((box) => box.name === 'Sent'));
    const bytes = message('created folder');
    const saved = await save('empty', bytes, [], { port: dovecot.imapPort, security: 'starttls' });
    assert.deepEqual([saved.folder, saved.created], ['Sent', true]);
    assert.ok((await dovecot.mailboxes('empty')).some((box) => box.name === 'Sent'));
    const stored = await dovecot.messages('empty', 'Sent');
    assert.ok(stored[0]?.bytes.equals(bytes));
  });

  it('files into the profile\'s sentFolder, creating it', async () => {
    const dovecot = running();
    const bytes = message('configured folder');
    const saved = await save('named', bytes, [], {}, { sentFolder: 'Archive/Sent by VS Code' });
    assert.deepEqual([saved.folder, saved.created], ['Archive/Sent by VS Code', true]);
    assert.ok((await dovecot.messages('named', 'Archive/Sent by VS Code'))[0]?.bytes.equals(bytes));
  });

  it('refuses a certificate it cannot verify before logging in (no CA given)', async () => {
    const dovecot = running();
    const lines: TranscriptLine[] = [];
    const failure = await save('named', message('untrusted'), lines, {}, { tls: {} }).then(
      () => assert.fail('an unverified certificate was accepted'),
      (error: unknown) => error,
    );
    assert.ok(failure instanceof SaveSentError);
    assert.equal(failure.stage, 'tls');
    assert.ok(!lines.some((line) => /LOGIN|AUTHENTICATE/.test(line.text)), 'a login was attempted');
    const user = dovecot.user('named');
    assert.deepEqual(findSecrets([lines, failure], secretForms(user.address, user.password)), []);
  });

  it('names the stage and the server reply when the password is wrong, without the password', async () => {
    const dovecot = running();
    const profile = profileFor('named');
    const settings = profile.sentCopy;
    assert.ok(settings?.imap);
    const wrong = 'Wrong-Password-123!';
    const lines: TranscriptLine[] = [];
    const failure = await saveToSent(message('bad login'), { profile, imap: settings.imap, folder: undefined, secret: wrong, tokenSource: undefined, observer: (line) => lines.push(line), signal: undefined, timeoutMs: 15_000 }).then(
      () => assert.fail('a wrong password was accepted'),
      (error: unknown) => error,
    );
    assert.ok(failure instanceof SaveSentError);
    assert.equal(failure.stage, 'auth');
    assert.match(failure.reply, /AUTHENTICATIONFAILED|Authentication failed/i);
    assert.deepEqual(findSecrets([lines, failure], secretForms(dovecot.user('named').address, wrong)), []);
  });

  it('a refused APPEND (over quota) keeps the message; a retry files it and drops the kept copy', async () => {
    const dovecot = running();
    const bytes = message('over quota', 4096);
    const lines: TranscriptLine[] = [];
    const failure = await save('full', bytes, lines).then(
      () => assert.fail('the APPEND over quota was accepted'),
      (error: unknown) => error,
    );
    assert.ok(failure instanceof SaveSentError);
    assert.equal(failure.stage, 'append');
    assert.match(failure.reply, /^NO \[OVERQUOTA\]/);
    assert.deepEqual(await dovecot.messages('full', 'Sent'), []);

    const kept = await keepPendingCopy(storage, bytes, { profile: 'imap-test', messageId: '<overquota@example.test>', subject: 'over quota' });
    assert.equal(statSync(kept.file).mode & 0o777, 0o600);
    assert.equal(statSync(storage).mode & 0o777, 0o700);
    assert.equal((await listPendingCopies(storage)).length, 1);

    // Still refused: the retry fails and keeps the copy.
    const [pending] = await listPendingCopies(storage);
    assert.ok(pending);
    const options = { secret: dovecot.user('full').password, tokenSource: undefined, observer: undefined, signal: undefined, timeoutMs: 15_000 };
    await assert.rejects(retryPendingCopy(pending, profileFor('full'), options), SaveSentError);
    assert.equal((await listPendingCopies(storage)).length, 1);

    await dovecot.setQuota('full', undefined);
    const saved = await retryPendingCopy(pending, profileFor('full'), options);
    assert.equal(saved.folder, 'Sent');
    assert.deepEqual(await listPendingCopies(storage), []);
    const stored = await dovecot.messages('full', 'Sent');
    assert.equal(stored.length, 1);
    assert.ok(stored[0]?.bytes.equals(bytes));
    assert.ok(stored[0]?.flags.includes('\\Seen'));
  });
});
