/**
 * "Send as Email": the active editor's draft (unsaved edits included) or an Explorer file →
 * check → profile → compose → confirm → password → deliver under a cancellable progress
 * notification, with the whole session in the protocol log.
 */
import * as vscode from 'vscode';
import { escapeForDisplay } from '../core/escape';
import { replyText } from '../core/explain';
import type { ComposedMessage } from '../core/mime/types';
import type { SmtpProfile } from '../core/profiles';
import { deliver } from '../core/send';
import { isSmtpError } from '../core/smtp/errors';
import { withSessionProgress } from '../host/progress';
import { parseArguments } from './arguments';
import { confirmSend, subjectLabel } from './confirm-send';
import { prepareMessage } from './draft-pipeline';
import { ensureSecret } from './ensure-secret';
import type { CommandOutcome } from './outcome';
import type { Services } from './services';
import { sessionFailed } from './session-failure';

/** One SMTP session for `message`; on a refused password it offers to ask again and retry. */
async function deliverMessage(
  services: Services,
  message: ComposedMessage,
  subject: string,
  profile: SmtpProfile,
  secret: string | undefined,
  signal: AbortSignal | undefined,
): Promise<CommandOutcome> {
  const { trace } = services.settings.current;
  const session = services.log.startSession(`send "${subject}"`, profile, trace);
  try {
    const result = await withSessionProgress(
      vscode.l10n.t('Sending "{0}"', subjectLabel(subject)),
      profile,
      (progress) =>
        deliver(message, {
          profile,
          ...(secret === undefined ? {} : { secret }),
          observer: session.observer,
          trace,
          signal: progress.signal,
          onStage: progress.stage,
          onProgress: progress.bytes,
        }),
      signal,
    );
    const reply = replyText(result.reply);
    session.info(`sent ${result.messageId} to ${result.accepted.length} recipient(s): ${reply}`);
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Sent "{0}" to {1} recipient(s). Server: {2}. Message-ID: {3}', subjectLabel(subject), result.accepted.length, escapeForDisplay(reply), result.messageId),
    );
    return { status: 'sent', messageId: result.messageId, accepted: result.accepted, reply };
  } catch (error) {
    if (isSmtpError(error) && error.kind === 'aborted') {
      session.info('cancelled; nothing was sent');
      void vscode.window.showInformationMessage(vscode.l10n.t('Cancelled; nothing was sent.'));
      return { status: 'cancelled' };
    }
    // The same composed message (a fresh stream of the same bytes): AUTH failed before MAIL.
    return sessionFailed(services, session, error, profile, (again) => deliverMessage(services, message, subject, profile, again, undefined));
  }
}

export async function sendCommand(services: Services, first?: unknown): Promise<CommandOutcome> {
  const args = parseArguments(first);
  const preparation = await prepareMessage(services, args.uri, 'send', args.compose);
  if ('outcome' in preparation) return preparation.outcome;
  const { message, checked, profile } = preparation.prepared;
  if (profile === undefined) return { status: 'unavailable', reason: 'no profile' };
  const subject = checked.draft.subject;

  // Read through the trust-aware reader: an untrusted workspace cannot switch this off.
  if (services.settings.current.confirmBeforeSend && !(await confirmSend(message, checked, profile))) return { status: 'cancelled' };
  const secret = await ensureSecret(services.passwords, profile);
  if ('cancelled' in secret) return { status: 'cancelled' };
  return deliverMessage(services, message, subject, profile, secret.secret, args.signal);
}
