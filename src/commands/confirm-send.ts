/** The modal that stands between "Send as Email" and the server: who, what, how big, through where. */
import * as vscode from 'vscode';
import type { ComposedMessage } from '../core/mime/types';
import type { SmtpProfile } from '../core/profiles';
import { formatBytes } from '../host/byte-size';

const SHOWN_ADDRESSES = 3;

function addressLine(label: string, addresses: readonly string[]): string | undefined {
  if (addresses.length === 0) return undefined;
  const shown = addresses.slice(0, SHOWN_ADDRESSES).join(', ');
  const more = addresses.length - SHOWN_ADDRESSES;
  return more > 0
    ? vscode.l10n.t('{0} ({1}): {2} and {3} more', label, addresses.length, shown, more)
    : vscode.l10n.t('{0} ({1}): {2}', label, addresses.length, shown);
}

export function confirmationDetail(message: ComposedMessage, profile: SmtpProfile): string {
  const { summary } = message;
  const attachments =
    summary.attachments.length === 0
      ? vscode.l10n.t('Attachments: none')
      : vscode.l10n.t(
          'Attachments ({0}): {1}',
          summary.attachments.length,
          summary.attachments.map((a) => `${a.filename} (${formatBytes(a.size)})`).join(', '),
        );
  return [
    addressLine(vscode.l10n.t('To'), summary.to),
    addressLine(vscode.l10n.t('Cc'), summary.cc),
    addressLine(vscode.l10n.t('Bcc'), summary.bcc),
    attachments,
    vscode.l10n.t('Total size: {0}', formatBytes(message.size)),
    vscode.l10n.t('Through profile "{0}": {1}:{2} ({3})', profile.name, profile.host, profile.port, profile.security),
  ]
    .filter((line): line is string => line !== undefined)
    .join('\n');
}

export async function confirmSend(message: ComposedMessage, subject: string, profile: SmtpProfile): Promise<boolean> {
  const send = vscode.l10n.t('Send');
  const recipients = message.envelope.to.length;
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t('Send "{0}" to {1} recipient(s)?', subject === '' ? vscode.l10n.t('(no subject)') : subject, recipients),
    { modal: true, detail: confirmationDetail(message, profile) },
    send,
  );
  return choice === send;
}
