/**
 * While a draft is the active editor, the status bar shows what Send would do with it: the
 * profile, how many recipients, and the message's size as it would be sent. Clicking opens the
 * Preview. The figures come from the live check, so they follow the typing pause.
 */
import * as vscode from 'vscode';
import { formatBytes } from '../../core/byte-size';
import { escapeForDisplay } from '../../core/escape';
import type { DraftContextKey } from './draft-context';
import type { DraftSummary } from './draft-check';
import type { LiveDiagnostics } from './live-diagnostics';

export function statusText(summary: DraftSummary | undefined): string {
  // Before the first check after opening, there is nothing to report yet.
  if (summary === undefined) return `$(mail) ${vscode.l10n.t('checking…')}`;
  const parts = [
    summary.profile === undefined ? vscode.l10n.t('no profile chosen') : escapeForDisplay(summary.profile),
    summary.recipients === undefined
      ? vscode.l10n.t('has problems')
      : summary.recipients === 1
        ? vscode.l10n.t('1 recipient')
        : vscode.l10n.t('{0} recipients', summary.recipients),
  ];
  if (summary.size !== undefined) parts.push(formatBytes(summary.size));
  return `$(mail) ${parts.join(' · ')}`;
}

export class DraftStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('sendAsEmail.draft', vscode.StatusBarAlignment.Right, 100);
  private readonly subscriptions: vscode.Disposable[];
  private shown: string | undefined;

  constructor(
    private readonly live: LiveDiagnostics,
    private readonly context: DraftContextKey,
    private readonly previewCommand: string,
  ) {
    this.item.name = vscode.l10n.t('Email Draft');
    this.item.tooltip = vscode.l10n.t('Email draft: profile, recipients and message size. Click to preview.');
    this.subscriptions = [live.onDidCheck(() => this.update()), context.onDidChange(() => this.update()), vscode.window.onDidChangeActiveTextEditor(() => this.update())];
    this.update();
  }

  /** The text shown now, undefined while hidden (for tests, through the extension's API). */
  get text(): string | undefined {
    return this.shown;
  }

  private update(): void {
    const document = vscode.window.activeTextEditor?.document;
    if (document === undefined || !this.context.isDraft) {
      this.item.hide();
      this.shown = undefined;
      return;
    }
    this.item.text = statusText(this.live.summaryFor(document.uri));
    this.item.command = { title: vscode.l10n.t('Open Preview'), command: this.previewCommand, arguments: [document.uri] };
    this.item.show();
    this.shown = this.item.text;
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.item.dispose();
  }
}
