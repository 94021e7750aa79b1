/**
 * The copy in the Sent folder from the extension: right after a successful send
 * (`saveSentCopy`, called by send.ts), and "Retry Save to Sent" for the copies kept when that
 * failed. A failure never undoes the send: the message is kept in the extension's storage and a
 * warning offers the retry; a copy is dropped only once the server has accepted it.
 */
import * as vscode from 'vscode';
import { escapeForDisplay } from '../core/escape';
import { SaveSentError } from '../core/imap/errors';
import { composedBytes } from '../core/imap/message-bytes';
import { keepPendingCopy, listPendingCopies } from '../core/imap/pending-copies';
import type { PendingDetails } from '../core/imap/pending-copies';
import { imapLoginProfile, sentCopyPlan, sharesSmtpSecret } from '../core/imap/plan';
import { retryPendingCopy } from '../core/imap/retry';
import { saveToSent } from '../core/imap/save-sent';
import type { ImapCredentials } from '../core/imap/save-sent';
import type { ImapEndpoint, SavedCopy } from '../core/imap/types';
import type { ComposedMessage } from '../core/mime/types';
import type { SmtpProfile } from '../core/profiles';
import { profileNeedsSecret } from '../core/send';
import { askImapPassword, imapLogObserver, sentCopiesFolder, withSaveSentProgress } from '../host/sent-copies';
import { COMMAND_IDS } from './command-ids';
import { ensureSecret } from './ensure-secret';
import type { Services } from './services';

export type SaveSentOutcome =
  | { readonly status: 'filed'; readonly folder: string }
  | { readonly status: 'skipped'; readonly reason: string }
  | { readonly status: 'kept'; readonly stage: string; readonly reply: string };

export type RetrySaveSentOutcome =
  | { readonly status: 'retried'; readonly filed: number; readonly remaining: number }
  | { readonly status: 'unavailable'; readonly reason: string };

/** The IMAP login's secret: the SMTP one where the plan allows it, else the IMAP login's own. */
async function credentialsFor(services: Services, profile: SmtpProfile, imap: ImapEndpoint): Promise<ImapCredentials | undefined> {
  if (sharesSmtpSecret(profile, imap)) {
    const choice = await ensureSecret(services, profile);
    if ('cancelled' in choice) return undefined;
    return { secret: choice.secret, tokenSource: services.signIn.tokenSource(profile, () => undefined) };
  }
  const login = imapLoginProfile(profile, imap);
  if (!profileNeedsSecret(login)) return { secret: undefined, tokenSource: undefined };
  const stored = await services.passwords.get(login);
  if (stored !== undefined) return { secret: stored, tokenSource: undefined };
  const entered = await askImapPassword(login);
  if (entered === undefined) return undefined;
  await services.passwords.store(login, entered);
  return { secret: entered, tokenSource: undefined };
}

/** One IMAP session in the protocol log, under the progress notification. */
async function fileWithProgress(services: Services, label: string, profile: SmtpProfile, imap: ImapEndpoint, run: (credentials: ImapCredentials, signal: AbortSignal, session: ReturnType<Services['log']['startSession']>) => Promise<SavedCopy>): Promise<SavedCopy> {
  const credentials = await credentialsFor(services, profile, imap);
  if (credentials === undefined) throw new SaveSentError('setup', 'no password was given for the IMAP login');
  const session = services.log.startSession(label, imapLoginProfile(profile, imap), services.settings.current.trace);
  try {
    const saved = await withSaveSentProgress((signal) => run(credentials, signal, session));
    session.info(`filed a copy in "${saved.folder}"${saved.created ? ' (created)' : ''}`);
    return saved;
  } catch (error) {
    session.error(error instanceof Error ? error.message : String(error));
    throw error;
  }
}

function offerRetry(services: Services, error: SaveSentError): void {
  const retry = vscode.l10n.t('Retry Save to Sent');
  void vscode.window
    .showWarningMessage(vscode.l10n.t('Sent, but the copy to the Sent folder failed (stage {0}): {1}. The message is kept until a retry files it.', error.stage, escapeForDisplay(error.reply)), retry)
    .then((choice) => (choice === retry ? vscode.commands.executeCommand(COMMAND_IDS.retrySaveSent) : undefined));
}


/** After the SMTP 250 (send.ts): files the copy, or keeps the message and warns. Never throws. */
export async function saveSentCopy(services: Services, message: ComposedMessage, subject: string, profile: SmtpProfile): Promise<SaveSentOutcome> {
  const plan = sentCopyPlan(profile);
  if (plan.action === 'skip') return { status: 'skipped', reason: plan.reason };
  const bytes = await composedBytes(message);
  const details: PendingDetails = { profile: profile.name, messageId: message.messageId, subject };
  try {
    const saved = await fileWithProgress(services, `save to Sent "${subject}"`, profile, plan.imap, (credentials, signal, session) =>
      saveToSent(bytes, { profile, imap: plan.imap, folder: plan.folder, ...credentials, observer: imapLogObserver(session), signal, timeoutMs: undefined }),
    );
    return { status: 'filed', folder: saved.folder };
  } catch (caught) {
    const error = caught instanceof SaveSentError ? caught : new SaveSentError('setup', caught instanceof Error ? caught.message : String(caught), caught);
    try {
      await keepPendingCopy(sentCopiesFolder(), bytes, details);
    } catch (keepError) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Sent, but the copy to the Sent folder failed and the message could not be kept: {0}', escapeForDisplay(keepError instanceof Error ? keepError.message : String(keepError))));
      return { status: 'kept', stage: error.stage, reply: error.reply };
    }
    offerRetry(services, error);
    return { status: 'kept', stage: error.stage, reply: error.reply };
  }
}

/** "Retry Save to Sent": files every kept copy with its profile's current settings. */
export async function retrySaveSentCommand(services: Services): Promise<RetrySaveSentOutcome> {
  const pending = await listPendingCopies(sentCopiesFolder());
  if (pending.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No copies are waiting for the Sent folder.'));
    return { status: 'unavailable', reason: 'nothing pending' };
  }
  const { profiles } = services.settings.current;
  let filed = 0;
  let last: SaveSentError | undefined;
  for (const copy of pending) {
    const profile = profiles.get(copy.profile);
    const imap = profile?.sentCopy?.imap;
    if (profile === undefined || imap === undefined) {
      last = new SaveSentError('setup', `profile "${copy.profile}" is gone or has no IMAP server`);
      continue;
    }
    try {
      await fileWithProgress(services, `retry save to Sent "${copy.subject}"`, profile, imap, (credentials, signal, session) =>
        retryPendingCopy(copy, profile, { ...credentials, observer: imapLogObserver(session), signal, timeoutMs: undefined }),
      );
      filed++;
    } catch (caught) {
      last = caught instanceof SaveSentError ? caught : new SaveSentError('setup', caught instanceof Error ? caught.message : String(caught), caught);
    }
  }
  const remaining = pending.length - filed;
  if (remaining > 0 && last !== undefined) offerRetry(services, last);
  else void vscode.window.showInformationMessage(vscode.l10n.t('Filed {0} copy(ies) in the Sent folder.', filed));
  return { status: 'retried', filed, remaining };
}
