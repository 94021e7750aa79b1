/**
 * The extension's side of the Sent-folder copy: where kept copies wait (the extension's global
 * storage, `unsent-copies/`, private to the user — core/imap/pending-copies.ts), the IMAP
 * password prompt for a login that does not share the SMTP password, the progress
 * notification, and the IMAP session's lines in the protocol log.
 */
import path from 'node:path';
import * as vscode from 'vscode';
import { escapeForDisplay } from '../core/escape';
import type { ImapObserver } from '../core/imap/session-log';
import type { SmtpProfile } from '../core/profiles';
import type { LogSession } from './protocol-log';

let storage: string | undefined;

/** Called once by activate(). */
export function useSentCopiesStorage(context: vscode.ExtensionContext): void {
  storage = path.join(context.globalStorageUri.fsPath, 'unsent-copies');
}

export function sentCopiesFolder(): string {
  if (storage === undefined) throw new Error('the Sent-copies storage is not set up (activate() sets it)');
  return storage;
}

/**
 * IMAP lines into the protocol log through the session's observer, as the SMTP client's own
 * events: `C:` for what the client sent, `S:` for the server's lines (trace `off` records none).
 */
export function imapLogObserver(session: LogSession): ImapObserver {
  return (line) => {
    switch (line.who) {
      case 'C':
        return session.observer({ type: 'send', line: line.text, redacted: false });
      case 'S':
        return session.observer({ type: 'receive', reply: { code: 0, lines: [line.text] }, raw: [line.text] });
      case '*':
        return session.info(line.text);
      case '!':
        return session.error(line.text);
    }
  };
}

/** Asks for the password of an IMAP login that has its own (`loginProfile`: core/imap/plan.ts). */
export async function askImapPassword(loginProfile: SmtpProfile): Promise<string | undefined> {
  const account = escapeForDisplay(`${loginProfile.username ?? ''} @ ${loginProfile.host}:${loginProfile.port}`);
  const value = await vscode.window.showInputBox({
    title: vscode.l10n.t('IMAP password for profile "{0}" (Sent folder)', escapeForDisplay(loginProfile.name)),
    prompt: vscode.l10n.t('For {0}. It is stored in the system keychain, not in settings.', account),
    password: true,
    ignoreFocusOut: true,
    validateInput: (text) => (text === '' ? vscode.l10n.t('Enter a password, or press Escape to cancel.') : undefined),
  });
  return value === undefined || value === '' ? undefined : value;
}

/** A cancellable notification "Saving a copy to Sent…" around `task`. */
export async function withSaveSentProgress<T>(task: (signal: AbortSignal) => Promise<T>): Promise<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Saving a copy to Sent…'), cancellable: true }, async (_progress, token) => {
    const controller = new AbortController();
    const cancel = token.onCancellationRequested(() => controller.abort());
    try {
      return await task(controller.signal);
    } finally {
      cancel.dispose();
    }
  });
}
