/**
 * "Reply to Email…" and "Forward Email…": a received .eml (from the Explorer's context menu, or
 * chosen in a file dialog from the palette) becomes a new draft, made by the same core code as
 * the CLI's `reply` and `forward` (core/reply). The draft opens as an untitled Markdown document:
 * nothing is written to disk until the user saves it where they want, and an .eml in a
 * read-only or downloads folder needs no draft beside it. A forward attaches the original by its
 * absolute path (an untitled draft has no folder of its own to be relative to).
 *
 * Arguments: the Explorer's Uri, or `{ uri?: Uri | string, all?: boolean }` from code (`all`
 * answers the Reply / Reply All question in advance).
 */
import * as vscode from 'vscode';
import { isRecord } from '../core/guards';
import { ownAddresses } from '../core/reply/addresses';
import { forwardDraftText, replyDraftText } from '../core/reply/draft-text';
import { readReceivedMessage } from '../core/reply/received';
import type { MessageArg } from '../core/text';
import { showPlainFailure } from '../host/failure-message';
import { parseArguments } from './arguments';
import type { CommandOutcome } from './outcome';
import type { Services } from './services';

/** The attribution line and forward summary in the UI language. */
const uiLanguage = (template: string, ...args: MessageArg[]): string => vscode.l10n.t(template, ...args);

async function chooseMessage(given: vscode.Uri | undefined): Promise<vscode.Uri | undefined> {
  if (given !== undefined) return given;
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: false,
    filters: { [vscode.l10n.t('Email messages')]: ['eml'] },
    openLabel: vscode.l10n.t('Use This Message'),
  });
  return picked?.[0];
}

async function chooseReplyAll(first: unknown): Promise<boolean | undefined> {
  if (isRecord(first) && typeof first['all'] === 'boolean') return first['all'];
  const reply = vscode.l10n.t('Reply');
  const replyAll = vscode.l10n.t('Reply All');
  const choice = await vscode.window.showQuickPick([reply, replyAll], { placeHolder: vscode.l10n.t('Reply to the sender only, or to everyone?') });
  return choice === undefined ? undefined : choice === replyAll;
}

/** Every configured profile's own address: Reply All writes to none of them. */
function selfAddresses(services: Services): string[] {
  return [...services.settings.current.profiles.values()].flatMap((profile) => ownAddresses(profile));
}

async function openDraft(text: string): Promise<CommandOutcome> {
  const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: text });
  await vscode.window.showTextDocument(document);
  return { status: 'drafted', uri: document.uri.toString() };
}

async function draftFrom(services: Services, first: unknown, kind: 'reply' | 'forward'): Promise<CommandOutcome> {
  const source = await chooseMessage(parseArguments(first).uri);
  if (source === undefined) return { status: 'cancelled' };
  const all = kind === 'reply' ? await chooseReplyAll(first) : false;
  if (all === undefined) return { status: 'cancelled' };
  try {
    const message = await readReceivedMessage(await vscode.workspace.fs.readFile(source));
    const text =
      kind === 'reply'
        ? replyDraftText(message, { all, self: selfAddresses(services), profile: undefined, t: uiLanguage })
        : forwardDraftText(message, { attachPath: source.fsPath, profile: undefined, t: uiLanguage });
    return await openDraft(text);
  } catch (error) {
    const explanation = showPlainFailure(error, undefined);
    return { status: 'failed', summary: explanation.summary, advice: explanation.advice };
  }
}

export function replyCommand(services: Services, first?: unknown): Promise<CommandOutcome> {
  return draftFrom(services, first, 'reply');
}

export function forwardCommand(services: Services, first?: unknown): Promise<CommandOutcome> {
  return draftFrom(services, first, 'forward');
}
