/**
 * The modal that stands between "Send as Email" and the server: who sends, who receives, every
 * file that leaves (attachments and inline images, by real path when it lies outside the draft's
 * workspace folder), how big, and through where. A Markdown image can embed any readable file
 * and a symlink can name a file after something else, so the user sees each file as it really
 * is before it goes. Everything taken from the draft or the settings is shown escaped: a bidi
 * control (U+202E) would otherwise make `résumé\u202efdp.exe` read as `résumé exe.pdf`.
 */
import * as vscode from 'vscode';
import { formatBytes } from '../core/byte-size';
import { resolveSender } from '../core/compose-draft';
import type { CheckedDraft } from '../core/compose-draft';
import type { Address } from '../core/draft/types';
import { escapeForDisplay } from '../core/escape';
import { describeMailbox } from '../core/mime/addresses';
import type { ComposedMessage } from '../core/mime/types';
import type { SmtpProfile } from '../core/profiles';

const SHOWN_ADDRESSES = 3;

/** A file that leaves with the message, as the draft resolved it (core/files/local-file.ts). */
interface OutgoingFile {
  readonly filename: string;
  readonly size: number;
  readonly realPath: string;
  readonly outside: boolean;
}

function addressLine(label: string, addresses: readonly string[]): string | undefined {
  if (addresses.length === 0) return undefined;
  const shown = addresses.slice(0, SHOWN_ADDRESSES).map(escapeForDisplay).join(', ');
  const more = addresses.length - SHOWN_ADDRESSES;
  return more > 0
    ? vscode.l10n.t('{0} ({1}): {2} and {3} more', label, addresses.length, shown, more)
    : vscode.l10n.t('{0} ({1}): {2}', label, addresses.length, shown);
}

function mailboxes(addresses: readonly Address[]): string {
  return addresses.map((address) => escapeForDisplay(describeMailbox(address))).join(', ');
}

function fileLine(file: OutgoingFile): string {
  const name = escapeForDisplay(file.filename);
  const size = formatBytes(file.size);
  const line = file.outside
    ? vscode.l10n.t('{0} ({1}), outside the workspace: {2}', name, size, escapeForDisplay(file.realPath))
    : vscode.l10n.t('{0} ({1})', name, size);
  return `  ${line}`;
}

/** The modal's detail: one line per fact, every file on its own line. */
export function confirmationDetail(message: ComposedMessage, checked: CheckedDraft, profile: SmtpProfile): string {
  const { summary } = message;
  const { draft } = checked;
  const images = checked.markdown?.inlineImages ?? [];
  const lines = [
    vscode.l10n.t('From: {0}', mailboxes([resolveSender(draft, profile)])),
    draft.replyTo.length === 0 ? undefined : vscode.l10n.t('Reply-To: {0}', mailboxes(draft.replyTo)),
    addressLine(vscode.l10n.t('To'), summary.to),
    addressLine(vscode.l10n.t('Cc'), summary.cc),
    addressLine(vscode.l10n.t('Bcc'), summary.bcc),
    ...(draft.attachments.length === 0
      ? [vscode.l10n.t('Attachments: none')]
      : [vscode.l10n.t('Attachments ({0}):', draft.attachments.length), ...draft.attachments.map(fileLine)]),
    ...(images.length === 0 ? [] : [vscode.l10n.t('Inline images ({0}):', images.length), ...images.map(fileLine)]),
    vscode.l10n.t('Total size: {0}', formatBytes(message.size)),
    vscode.l10n.t(
      'Through profile "{0}": {1}:{2} ({3})',
      escapeForDisplay(profile.name),
      escapeForDisplay(profile.host),
      profile.port,
      profile.security,
    ),
  ];
  return lines.filter((line): line is string => line !== undefined).join('\n');
}

export function subjectLabel(subject: string): string {
  return subject === '' ? vscode.l10n.t('(no subject)') : escapeForDisplay(subject);
}

export async function confirmSend(message: ComposedMessage, checked: CheckedDraft, profile: SmtpProfile): Promise<boolean> {
  const send = vscode.l10n.t('Send');
  const recipients = message.envelope.to.length;
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t('Send "{0}" to {1} recipient(s)?', subjectLabel(checked.draft.subject), recipients),
    { modal: true, detail: confirmationDetail(message, checked, profile) },
    send,
  );
  return choice === send;
}
