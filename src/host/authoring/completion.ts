/**
 * Completion in a draft's front matter: the keys (each with its one-line description), profile
 * names after `profile:`, files after `attach:` (relative to the draft), and recipients after
 * to/cc/bcc/reply-to/from. In the body, only a merge draft's column names inside `{{ }}`.
 */
import { readdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { ValueContext } from '../../core/authoring/cursor-context';
import { ADDRESS_KEYS, describedKeys } from '../../core/authoring/key-descriptions';
import type { AddressBookEntry } from '../../core/address-book/entry';
import { resolveWrittenPath } from '../../core/files/local-file';
import { describeMailbox } from '../../core/mime/addresses';
import { baseDirFor } from '../draft-reader';
import { columnCompletions } from '../merge/column-completion';
import { translate } from '../l10n';
import type { Settings } from '../settings';
import { draftContextAt, rangeOf } from './draft-context';
import type { AddressBook } from './recipients';
import { allRecipients } from './recipients';

/** Written by the extension after a send, never by hand: not offered. */
const RECEIPT_KEYS = new Set(['sent', 'message-id']);
const VALUE_KEYS = new Set(['to', 'cc', 'bcc', 'reply-to', 'from', 'profile', 'attach']);
const MAX_FILES = 500;

/** Asks for suggestions again right after a key is inserted, so its values show at once. */
// Made when needed, not at load: nothing from `vscode` runs while the bundle is required.
const retrigger = (): vscode.Command => ({ command: 'editor.action.triggerSuggest', title: vscode.l10n.t('Suggest values') });

function keyItems(document: vscode.TextDocument, start: number, end: number): vscode.CompletionItem[] {
  const text = document.getText();
  const range = rangeOf(document, start, end);
  const hasColon = text.slice(end).startsWith(':');
  return describedKeys()
    .filter(({ key }) => !RECEIPT_KEYS.has(key))
    .map(({ key, description }, index) => {
      const item = new vscode.CompletionItem(key, vscode.CompletionItemKind.Property);
      item.detail = translate(description);
      item.insertText = hasColon ? key : `${key}: `;
      item.range = range;
      item.sortText = String(index).padStart(2, '0');
      if (!hasColon && VALUE_KEYS.has(key)) item.command = retrigger();
      return item;
    });
}

/**
 * A mailbox as front matter text. YAML reads a value starting with `"` as a quoted scalar, and
 * `: ` or ` #` anywhere as structure, so such an entry at the start of a value is single-quoted
 * (YAML 1.2 7.3.2; `'` doubled).
 */
function mailboxText(entry: AddressBookEntry, firstInValue: boolean): string {
  const text = describeMailbox(entry);
  const unsafe = /^["'[{&*!|>%@`]|: | #/.test(text);
  return firstInValue && unsafe ? `'${text.replace(/'/g, "''")}'` : text;
}

function recipientItems(document: vscode.TextDocument, context: ValueContext, entries: readonly AddressBookEntry[]): vscode.CompletionItem[] {
  const range = rangeOf(document, context.itemStart, context.itemEnd);
  const firstInValue = context.itemStart === context.valueStart && !context.value.trimStart().startsWith('[');
  return entries.map((entry, index) => {
    const label = describeMailbox(entry);
    const item = new vscode.CompletionItem(label, vscode.CompletionItemKind.User);
    item.insertText = mailboxText(entry, firstInValue);
    item.filterText = `${entry.name ?? ''} ${entry.address}`;
    item.range = range;
    item.sortText = String(index).padStart(5, '0');
    return item;
  });
}

function profileItems(document: vscode.TextDocument, context: ValueContext, settings: Settings): vscode.CompletionItem[] {
  const range = rangeOf(document, context.itemStart, context.itemEnd);
  return [...settings.current.profiles.values()].map((profile) => {
    const item = new vscode.CompletionItem(profile.name, vscode.CompletionItemKind.Value);
    item.detail = `${profile.host}:${profile.port} (${profile.security})${profile.username === undefined ? '' : ` ${profile.username}`}`;
    item.range = range;
    return item;
  });
}

/** Entries of the folder the typed path points into; folders end with `/` and ask for more. */
async function fileItems(document: vscode.TextDocument, context: ValueContext): Promise<vscode.CompletionItem[]> {
  const typed = context.typed.replace(/^["']/, '');
  const slash = Math.max(typed.lastIndexOf('/'), typed.lastIndexOf('\\'));
  const folderPart = typed.slice(0, slash + 1);
  const folder = resolveWrittenPath(folderPart === '' ? '.' : folderPart, { baseDir: baseDirFor(document.uri), homeDir: homedir() });
  const quoteOffset = context.typed.length - typed.length;
  const range = rangeOf(document, context.itemStart + quoteOffset + slash + 1, context.itemEnd);
  const showHidden = typed.slice(slash + 1).startsWith('.');
  let entries;
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((entry) => showHidden || !entry.name.startsWith('.'))
    .slice(0, MAX_FILES)
    .map((entry) => {
      const directory = entry.isDirectory();
      const item = new vscode.CompletionItem(directory ? `${entry.name}/` : entry.name, directory ? vscode.CompletionItemKind.Folder : vscode.CompletionItemKind.File);
      item.range = range;
      item.detail = path.join(folderPart, entry.name);
      if (directory) item.command = retrigger();
      return item;
    });
}

export class FrontMatterCompletion implements vscode.CompletionItemProvider {
  constructor(
    private readonly settings: Settings,
    private readonly book: AddressBook,
  ) {}

  async provideCompletionItems(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.CompletionItem[] | undefined> {
    // Inside `{{ }}` of a merge draft (front matter or body): the data's column names.
    const columns = await columnCompletions(document, position);
    if (columns !== undefined) return columns;
    const context = draftContextAt(document, position);
    if (context === undefined) return undefined;
    if (context.kind === 'key') return keyItems(document, context.start, context.end);
    if ((ADDRESS_KEYS as readonly string[]).includes(context.key)) return recipientItems(document, context, await allRecipients(this.book));
    if (context.key === 'profile') return profileItems(document, context, this.settings);
    if (context.key === 'attach') return fileItems(document, context);
    return undefined;
  }
}

