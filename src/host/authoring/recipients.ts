/**
 * Where recipient completion comes from: the addresses this user has sent to (in the
 * extension's global state — never in a workspace, which a cloned repository could read or
 * seed) and the optional address book file `sendAsEmail.addressBook`. The book is read on first
 * use and again when its path, or the file's modification time, changes.
 */
import { stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import type { AddressBookEntry } from '../../core/address-book/entry';
import { uniqueEntries } from '../../core/address-book/entry';
import { loadAddressBook } from '../../core/address-book/load';
import { readRecent, recentEntries, rememberRecipients } from '../../core/address-book/recent';
import type { Address } from '../../core/draft/types';
import { resolveWrittenPath } from '../../core/files/local-file';
import { translate } from '../l10n';
import type { Settings } from '../settings';
import { currentRecentState } from './recent-state';

const RECENT_KEY = 'sendAsEmail.recentRecipients';

export function recentRecipients(): AddressBookEntry[] {
  return recentEntries(readRecent(currentRecentState()?.get<unknown>(RECENT_KEY)));
}

/** After a successful send: remembers its recipients. Returns `outcome` unchanged, so a flow can chain it. */
export async function rememberIfSent<T extends { readonly status: string }>(
  outcome: T,
  draft: { readonly to: readonly Address[]; readonly cc: readonly Address[]; readonly bcc: readonly Address[] },
): Promise<T> {
  const recentState = currentRecentState();
  if (outcome.status === 'sent' && recentState !== undefined) {
    const list = rememberRecipients(readRecent(recentState.get<unknown>(RECENT_KEY)), [...draft.to, ...draft.cc, ...draft.bcc], Date.now());
    await recentState.update(RECENT_KEY, list);
  }
  return outcome;
}

/** A path from a setting (the address book, the templates folder), absolute: `~` from home, a relative path from the first workspace folder. */
export function settingPath(written: string): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  const baseDir = folder?.uri.scheme === 'file' ? folder.uri.fsPath : homedir();
  return resolveWrittenPath(written, { baseDir, homeDir: homedir() });
}

export class AddressBook {
  private cache: { readonly path: string; readonly mtime: number; readonly entries: readonly AddressBookEntry[] } | undefined;
  /** One warning per path that cannot be read, not one per keystroke. */
  private warned: string | undefined;

  constructor(private readonly settings: Settings) {}

  async entries(): Promise<readonly AddressBookEntry[]> {
    const written = this.settings.current.addressBook;
    if (written === undefined) return [];
    const path = settingPath(written);
    const mtime = await stat(path).then((info) => info.mtimeMs, () => -1);
    if (this.cache?.path === path && this.cache.mtime === mtime) return this.cache.entries;
    const result = await loadAddressBook(path);
    if (!result.ok) {
      if (this.warned !== path) void vscode.window.showWarningMessage(translate(result.problem));
      this.warned = path;
      return [];
    }
    this.cache = { path, mtime, entries: result.entries };
    return result.entries;
  }
}

/** Remembered recipients first (most recent first), then the address book. */
export async function allRecipients(book: AddressBook): Promise<AddressBookEntry[]> {
  return uniqueEntries([...recentRecipients(), ...(await book.entries())]);
}
