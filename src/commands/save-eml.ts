/**
 * "Save as .eml…": the same pipeline as Send, ending in a file instead of a server. What is
 * written is exactly `message.stream()`, so the file is byte for byte what Send transmits
 * (before dot-stuffing, which is SMTP's transport encoding, RFC 5321 4.5.2).
 */
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import * as vscode from 'vscode';
import type { ComposedMessage } from '../core/mime/types';
import { formatBytes } from '../core/byte-size';
import { parseArguments } from './arguments';
import { prepareMessage } from './draft-pipeline';
import type { CommandOutcome } from './outcome';
import type { Services } from './services';

async function writeMessage(message: ComposedMessage, target: vscode.Uri): Promise<void> {
  if (target.scheme === 'file') {
    await pipeline(message.stream(), createWriteStream(target.fsPath));
    return;
  }
  // Other file systems take whole buffers only.
  const chunks: Buffer[] = [];
  for await (const chunk of message.stream()) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  await vscode.workspace.fs.writeFile(target, Buffer.concat(chunks));
}

export async function saveEmlCommand(services: Services, first?: unknown): Promise<CommandOutcome> {
  const args = parseArguments(first);
  const preparation = await prepareMessage(services, args.uri, 'save', args.compose);
  if ('outcome' in preparation) return preparation.outcome;
  const { message, draft } = preparation.prepared;

  const target =
    args.target ??
    (await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.file(path.join(draft.folder, `${draft.stem}.eml`)),
      filters: { [vscode.l10n.t('Email message')]: ['eml'] },
      saveLabel: vscode.l10n.t('Save .eml'),
      title: vscode.l10n.t('Save the message as .eml (nothing is sent)'),
    }));
  if (target === undefined) return { status: 'cancelled' };

  try {
    await writeMessage(message, target);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    void vscode.window.showErrorMessage(vscode.l10n.t('Could not write {0}: {1}', target.fsPath, reason));
    return { status: 'failed', summary: reason, advice: '' };
  }
  void vscode.window.showInformationMessage(
    vscode.l10n.t('Saved {0} ({1}, {2}); nothing was sent.', path.basename(target.fsPath), formatBytes(message.size), message.messageId),
  );
  return { status: 'saved', path: target.fsPath, bytes: message.size, messageId: message.messageId };
}
