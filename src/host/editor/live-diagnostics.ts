/**
 * Drafts are checked as you type (after a 300 ms pause), when opened, when saved and when the
 * settings change; the problems replace the previous ones, so a fixed problem disappears, and a
 * document that stops being a draft (or is closed) loses them all. Nothing runs for a document
 * that is not a draft beyond the cheap fence-and-key test, so the heavy libraries stay unloaded.
 */
import * as vscode from 'vscode';
import type { checkDocument } from './draft-check';
import type { DraftDiagnostics } from '../diagnostics';
import type { Settings } from '../settings';
import { SECTION } from '../settings';
import type { DraftSummary } from './draft-check';
import { onMergeDataChange } from '../merge/data-watcher';
import { isMergeText } from '../../core/draft/recognise';
import { couldBeDraft, isDraftDocument } from './draft-document';

/** Long enough not to check between keystrokes, short enough to feel live (markdownlint waits about as long). */
export const TYPING_PAUSE_MS = 300;

export class LiveDiagnostics implements vscode.Disposable {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly summaries = new Map<string, DraftSummary>();
  private readonly checked = new vscode.EventEmitter<vscode.Uri>();
  /** A draft's problems and summary were updated (or dropped). */
  readonly onDidCheck = this.checked.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly settings: Settings,
    private readonly diagnostics: DraftDiagnostics,
    /** The checker (YAML, Markdown, the composer): loaded with the first draft, not at start-up. */
    private readonly check: typeof checkDocument,
  ) {
    this.subscriptions = [
      vscode.workspace.onDidOpenTextDocument((document) => void this.checkNow(document)),
      vscode.workspace.onDidChangeTextDocument((event) => this.schedule(event.document)),
      vscode.workspace.onDidSaveTextDocument((document) => void this.checkNow(document)),
      vscode.workspace.onDidCloseTextDocument((document) => this.forget(document.uri)),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(SECTION)) this.checkAll();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.checkAll()),
      // A merge draft's check depends on its data file too (host/merge).
      onMergeDataChange(() => {
        for (const document of vscode.workspace.textDocuments) if (isMergeText(document.getText())) void this.checkNow(document);
      }),
      diagnostics.onDidShow((uri) => {
        const document = vscode.workspace.textDocuments.find((open) => open.uri.toString() === uri.toString());
        if (document !== undefined) void this.checkNow(document);
      }),
    ];
    this.checkAll();
  }

  summaryFor(uri: vscode.Uri): DraftSummary | undefined {
    return this.summaries.get(uri.toString());
  }

  private checkAll(): void {
    for (const document of vscode.workspace.textDocuments) void this.checkNow(document);
  }

  private schedule(document: vscode.TextDocument): void {
    if (!couldBeDraft(document)) return;
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => void this.checkNow(document), TYPING_PAUSE_MS));
  }

  private async checkNow(document: vscode.TextDocument): Promise<void> {
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    if (!couldBeDraft(document)) return;
    if (!isDraftDocument(document)) {
      this.drop(document.uri);
      return;
    }
    const version = document.version;
    let check;
    try {
      check = await this.check(document, this.settings.current);
    } catch {
      // A check that throws (a bug, not a draft problem) must not break typing; the next edit retries.
      return;
    }
    // Typed on meanwhile: the newer text's check is already scheduled and will replace this one.
    if (document.isClosed || document.version !== version) return;
    this.diagnostics.set(document.uri, check.problems);
    this.summaries.set(key, check.summary);
    this.checked.fire(document.uri);
  }

  private drop(uri: vscode.Uri): void {
    this.diagnostics.clear(uri);
    if (this.summaries.delete(uri.toString())) this.checked.fire(uri);
  }

  /** A closed document's diagnostics go with it (DraftDiagnostics); here its timer and summary. */
  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    if (this.summaries.delete(key)) this.checked.fire(uri);
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    for (const subscription of this.subscriptions) subscription.dispose();
    this.checked.dispose();
  }
}
