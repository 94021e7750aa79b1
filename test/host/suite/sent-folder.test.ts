// The copy in the Sent folder from a real VS Code: a send through the in-process SMTP server,
// then the copy to a real Dovecot (started here, in the extension host's process tree) whose
// quota refuses the APPEND. The send still counts, the message is kept in the extension's
// storage, the protocol log shows the IMAP session without the password, and "Retry Save to
// Sent" files it once the quota is lifted.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { SendAsEmailApi } from '../../../src/host/api';
import { startDovecotImap } from '../../support/servers/dovecot-imap';
import type { DovecotImap } from '../../support/servers/dovecot-imap';
import { findSecrets, secretForms } from '../../support/servers/leak-check';
import { activateExtension, clearUserSettings, openDraft, readLogUntil, run, setUserSetting } from './support/extension';
import { startMailServer } from './support/mail-server';
import type { MailServer } from './support/mail-server';

const PROFILE = 'with-sent';

describe('sent-folder: a copy in the Sent folder over IMAP (Dovecot)', function () {
  this.timeout(90_000);
  let api: SendAsEmailApi;
  let dovecot: DovecotImap | undefined;
  let server: MailServer | undefined;
  let dir: string;

  before(async () => {
    api = await activateExtension();
    dovecot = await startDovecotImap();
    const user = dovecot.user('full');
    server = await startMailServer(user.address, user.password);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sae-host-sent-'));
    // One CA file trusting both servers' throwaway certificates: verification stays on for both.
    const bundle = path.join(dir, 'ca-bundle.pem');
    fs.writeFileSync(bundle, `${fs.readFileSync(server.caPath, 'utf8').trim()}\n${dovecot.certificate.certPem.trim()}\n`);
    await setUserSetting('profiles', {
      [PROFILE]: {
        host: '127.0.0.1',
        port: server.port,
        security: 'starttls',
        username: user.address,
        from: `Full <${user.address}>`,
        tls: { ca: bundle },
        imap: { host: '127.0.0.1', port: dovecot.imapsPort, security: 'tls' },
        saveSent: 'always',
      },
    });
    await setUserSetting('defaultProfile', PROFILE);
    await setUserSetting('confirmBeforeSend', false);
    await setUserSetting('trace', 'messages');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await clearUserSettings('profiles', 'defaultProfile', 'confirmBeforeSend', 'trace');
    await server?.close();
    await dovecot?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  function running(): DovecotImap {
    assert.ok(dovecot, 'Dovecot was not started');
    return dovecot;
  }

  it('keeps the message when the APPEND is refused, and "Retry Save to Sent" files it', async () => {
    const imap = running();
    const user = imap.user('full');
    assert.deepEqual(await run('sendAsEmail.setPassword', { profile: PROFILE, password: user.password }), { status: 'stored', profile: PROFILE });
    const token = `sent-folder-${Date.now()}`;
    // Over the 1 KiB quota of the "full" account.
    await openDraft('sent-folder.md', `---\nto: bob@example.com\nbcc: audit@example.com\nsubject: ${token}\n---\n${'A long line for the quota. '.repeat(80)}\n`);
    const sent = await run('sendAsEmail.send');
    assert.equal(sent.status, 'sent', JSON.stringify(sent));
    assert.equal(server?.received.length, 1);

    const log = await readLogUntil(api, (text) => text.includes('OVERQUOTA'), 'the refused APPEND in the protocol log').catch(async (error: unknown) => {
      // Say what the log did hold: the failure is then readable without a rerun.
      const file = await api.protocolLogFile();
      throw new Error(`${String(error)}\n${file === undefined ? '(no log)' : fs.readFileSync(file, 'utf8').slice(-4000)}`);
    });
    assert.match(log, /save to Sent/);
    assert.match(log, /C: \S+ ID \(/);
    assert.match(log, /S: \S+ NO \[OVERQUOTA\]/);
    assert.deepEqual(imap.storedFiles('full', 'Sent'), []);

    // Still over quota: the retry files nothing and keeps the copy.
    assert.deepEqual(await run('sendAsEmail.retrySaveSent'), { status: 'retried', filed: 0, remaining: 1 });

    await imap.setQuota('full', undefined);
    assert.deepEqual(await run('sendAsEmail.retrySaveSent'), { status: 'retried', filed: 1, remaining: 0 });
    const stored = imap.storedFiles('full', 'Sent');
    assert.equal(stored.length, 1);
    const text = stored[0]?.toString('utf8') ?? '';
    assert.ok(text.includes(token), 'the filed copy is not the sent message');
    assert.ok(!/^bcc:/im.test(text) && !text.includes('audit@'), 'the filed copy names the Bcc');
    // The same bytes the SMTP server received (Dovecot stores LF line endings in the Maildir).
    assert.equal(text, server?.received[0]?.bytes.toString('utf8').replace(/\r\n/g, '\n'));
    assert.deepEqual(await run('sendAsEmail.retrySaveSent'), { status: 'unavailable', reason: 'nothing pending' });

    const file = await api.protocolLogFile();
    const finalLog = file === undefined ? '' : fs.readFileSync(file, 'utf8');
    assert.deepEqual(findSecrets([finalLog], secretForms(user.address, user.password)), []);
  });
});
