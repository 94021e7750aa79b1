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
import { rememberIfSent } from '../host/authoring/recipients';
import { withSessionProgress } from '../host/progress';
import { isRecord } from '../core/guards';
import { wasSent } from '../core/receipt/describe';
import { isMergeTarget, offerSendMerge } from '../host/merge/merge-redirect';
import { parseArguments } from './arguments';
import type { CommandArguments } from './arguments';
import { COMMAND_IDS } from './command-ids';
import { confirmSend, subjectLabel } from './confirm-send';
import { prepareMessage } from './draft-pipeline';
import { saveSentCopy } from './retry-save-sent';
import { ensureSecret } from './ensure-secret';
import type { CommandOutcome } from './outcome';
import { confirmResend, recordReceipt, recordReceiptSetting } from './receipt';
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
          tokenSource: services.signIn.tokenSource(profile, (line) => session.info(line)),
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

/**
 * Drafts being sent right now, by document URI: a second Send on the same draft while the first
 * is on its way is refused (it would otherwise send before the first's receipt is written).
 */
const inFlight = new Set<string>();

export async function sendCommand(services: Services, first?: unknown): Promise<CommandOutcome> {
  const args = parseArguments(first);
  // Locked from the first step: the draft a second click would read is the one being sent.
  const key = (args.uri ?? vscode.window.activeTextEditor?.document.uri)?.toString();
  if (key !== undefined && inFlight.has(key)) {
    void vscode.window.showInformationMessage(vscode.l10n.t('This draft is already being sent.'));
    return { status: 'unavailable', reason: 'already sending' };
  }
  if (key !== undefined) inFlight.add(key);
  try {
    return await sendDraft(services, args, isRecord(first) && first['resend'] === true);
  } finally {
    if (key !== undefined) inFlight.delete(key);
  }
}

/** `resend`: a script's `{ resend: true }`, the answer to "send again?" given in advance. */
async function sendDraft(services: Services, args: CommandArguments, resend: boolean): Promise<CommandOutcome> {
  if (await isMergeTarget(args.uri)) return offerSendMerge(args.uri, COMMAND_IDS.sendMerge);
  const preparation = await prepareMessage(services, args.uri, 'send', args.compose);
  if ('outcome' in preparation) return preparation.outcome;
  const { message, checked, profile, draft } = preparation.prepared;
  if (profile === undefined) return { status: 'unavailable', reason: 'no profile' };
  const subject = checked.draft.subject;
  // Saved before the send: the receipt is saved too. An edit made meanwhile is not saved for the user.
  const savedBefore = !draft.document.isDirty;

  if (wasSent(checked.draft) && !resend && !(await confirmResend(checked.draft))) return { status: 'cancelled' };
  // Read through the trust-aware reader: an untrusted workspace cannot switch this off.
  if (services.settings.current.confirmBeforeSend && !(await confirmSend(message, checked, profile))) return { status: 'cancelled' };
  const secret = await ensureSecret(services, profile);
  if ('cancelled' in secret) return { status: 'cancelled' };
  const outcome = await deliverMessage(services, message, subject, profile, secret.secret, args.signal);
  if (outcome.status === 'sent') await afterSuccessfulSend(draft.document, outcome.messageId, savedBefore);
  if (outcome.status === 'sent') await saveSentCopy(services, message, subject, profile);
  return rememberIfSent(outcome, checked.draft);
}

/**
 * After a successful send (the server's 250), on the sent draft. Nothing here may turn the send
 * into a failure: each step reports its own trouble.
 */
async function afterSuccessfulSend(document: vscode.TextDocument, messageId: string, savedBefore: boolean): Promise<void> {
  if (recordReceiptSetting()) await recordReceipt(document, { sent: new Date(), messageId }, savedBefore);
}
