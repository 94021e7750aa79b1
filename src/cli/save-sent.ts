/**
 * The CLI's copy in the Sent folder, after a successful send (core/imap). A failed copy never
 * changes the exit status — the message was sent — but is one warning line on stderr naming the
 * stage and the server's reply, and the message is kept, mode 0600, in
 * `$XDG_STATE_HOME/send-as-email/unsent-copies/` (default `~/.local/state/…`), where
 * `send-as-email retry-save-sent` files it later.
 */
import os from 'node:os';
import path from 'node:path';
import { SaveSentError } from '../core/imap/errors';
import { composedBytes } from '../core/imap/message-bytes';
import { keepPendingCopy, listPendingCopies } from '../core/imap/pending-copies';
import type { PendingDetails } from '../core/imap/pending-copies';
import { imapLoginProfile, sentCopyPlan, sharesSmtpSecret } from '../core/imap/plan';
import { retryPendingCopy } from '../core/imap/retry';
import { saveToSent } from '../core/imap/save-sent';
import type { ImapCredentials } from '../core/imap/save-sent';
import type { ImapObserver } from '../core/imap/session-log';
import type { ImapEndpoint, SavedCopy } from '../core/imap/types';
import type { ComposedMessage } from '../core/mime/types';
import type { SmtpProfile } from '../core/profiles';
import type { SessionOptions } from '../core/send';
import type { TraceLevel } from '../core/smtp/types';
import { localized, renderText } from '../core/text';
import { formatTranscriptLine } from '../core/transcript';
import { loadConfig, pickProfile } from './config';
import { readPassword, sessionCredentials } from './password';

export interface SaveSentIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

/** Where unsent copies wait (XDG Base Directory: state that should persist between runs). */
export function unsentCopiesFolder(env: NodeJS.ProcessEnv = process.env): string {
  const state = env['XDG_STATE_HOME'];
  const base = state !== undefined && path.isAbsolute(state) ? state : path.join(os.homedir(), '.local', 'state');
  return path.join(base, 'send-as-email', 'unsent-copies');
}


/**
 * The IMAP login's secret: the SMTP one when the plan allows it (core/imap/plan.ts), else
 * SEND_AS_EMAIL_IMAP_PASSWORD or a prompt on the terminal naming the IMAP account.
 */
async function imapSecret(profile: SmtpProfile, imap: ImapEndpoint, session: Pick<SessionOptions, 'secret' | 'tokenSource'>): Promise<ImapCredentials> {
  if (sharesSmtpSecret(profile, imap)) return { secret: session.secret, tokenSource: session.tokenSource };
  const secret = await readPassword(imapLoginProfile(profile, imap), { SEND_AS_EMAIL_PASSWORD: process.env['SEND_AS_EMAIL_IMAP_PASSWORD'] });
  return { secret, tokenSource: undefined };
}

function transcript(trace: TraceLevel, io: SaveSentIo): ImapObserver | undefined {
  return trace === 'off' ? undefined : (line) => io.err(formatTranscriptLine(line));
}

function reportSaved(saved: SavedCopy, imap: ImapEndpoint, io: SaveSentIo): void {
  io.out(renderText(localized('Filed a copy in "{0}" on {1}.', saved.folder, `${imap.host}:${imap.port}`)));
}

/** After the SMTP 250: files the copy, or warns and keeps the message. Never throws. */
export async function saveSentAfterSend(message: ComposedMessage, subject: string, session: SessionOptions, trace: TraceLevel, io: SaveSentIo): Promise<void> {
  const { profile } = session;
  const plan = sentCopyPlan(profile);
  if (plan.action === 'skip') return;
  const bytes = await composedBytes(message);
  try {
    const credentials = await imapSecret(profile, plan.imap, session);
    const saved = await saveToSent(bytes, { profile, imap: plan.imap, folder: plan.folder, ...credentials, observer: transcript(trace, io), signal: undefined, timeoutMs: undefined });
    reportSaved(saved, plan.imap, io);
  } catch (error) {
    const reason = error instanceof SaveSentError ? error : new SaveSentError('setup', error instanceof Error ? error.message : String(error), error);
    await keepAndWarn(bytes, { profile: profile.name, messageId: message.messageId, subject }, reason, io);
  }
}

async function keepAndWarn(bytes: Buffer, details: PendingDetails, reason: SaveSentError, io: SaveSentIo): Promise<void> {
  try {
    const kept = await keepPendingCopy(unsentCopiesFolder(), bytes, details);
    io.err(`send-as-email: warning: ${renderText(localized('Sent, but the copy to the Sent folder failed (stage {0}): {1}. The message is kept in {2}; "send-as-email retry-save-sent" files it.', reason.stage, reason.reply, kept.file))}`);
  } catch (keepError) {
    const why = keepError instanceof Error ? keepError.message : String(keepError);
    io.err(`send-as-email: warning: ${renderText(localized('Sent, but the copy to the Sent folder failed (stage {0}): {1}. The message could not be kept either: {2}', reason.stage, reason.reply, why))}`);
  }
}

/** `send-as-email retry-save-sent`: files every kept copy; exit 1 when any is still unfiled. */
export async function commandRetrySaveSent(configPath: string | undefined, trace: TraceLevel, io: SaveSentIo): Promise<number> {
  const pending = await listPendingCopies(unsentCopiesFolder());
  if (pending.length === 0) {
    io.out(renderText(localized('No copies are waiting for the Sent folder.')));
    return 0;
  }
  const config = await loadConfig(configPath);
  let failed = 0;
  for (const copy of pending) {
    try {
      const profile = pickProfile(config, copy.profile);
      const imap = profile.sentCopy?.imap;
      if (imap === undefined) throw new SaveSentError('setup', `profile "${profile.name}" has no IMAP server`);
      // The SMTP login's credentials (a password, or OAuth tokens) when IMAP shares them.
      const smtp = sharesSmtpSecret(profile, imap) ? await sessionCredentials(profile, () => undefined) : { secret: undefined, tokenSource: undefined };
      const credentials = await imapSecret(profile, imap, smtp);
      const saved = await retryPendingCopy(copy, profile, { ...credentials, observer: transcript(trace, io), signal: undefined, timeoutMs: undefined });
      reportSaved(saved, imap, io);
    } catch (error) {
      failed++;
      const text = error instanceof SaveSentError ? renderText(error.text) : error instanceof Error ? error.message : String(error);
      io.err(`send-as-email: ${renderText(localized('{0} is still waiting: {1}', copy.file, text))}`);
    }
  }
  return failed === 0 ? 0 : 1;
}
