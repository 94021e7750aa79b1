/**
 * The Preview Email panel: one webview beside the editor that follows the active draft. The
 * page is set once (shell.ts); each edit, after a short pause, builds the preview again through
 * the caller's PreviewSource (the send pipeline) and posts the new content, so scroll position
 * and the chosen tab survive. Send and Save as .eml compose once more with a fresh identity,
 * show exactly that message, and hand the same compose arguments to the command, so what is
 * sent or saved is byte for byte what the preview was built from.
 */
import path from 'node:path';
import * as vscode from 'vscode';
import { isDraftText } from '../../core/draft/recognise';
import type { PreviewContent } from '../../core/preview/render';
import { onMergeDataChange } from '../merge/data-watcher';
import { parseWebviewMessage } from './messages';
import type { WebviewMessage } from './messages';
import { newNonce, previewShell } from './shell';

/**
 * Pause after the last keystroke before composing again. Composing and parsing a typical draft
 * takes a few milliseconds once the libraries are loaded, so the update lands well inside
 * ~150 ms of typing stopping, without composing on every key.
 */
export const PREVIEW_DEBOUNCE_MS = 50;

/** The values the message identity takes from a command's `compose` argument (commands/arguments.ts). */
export interface ComposeArguments {
  readonly messageId: string;
  readonly date: string;
  readonly boundaryPrefix: string;
}

/** A merge draft's preview shows one row of its data: which, and how many there are. */
export interface MergeRowChoice {
  readonly row: number;
  readonly rows: number;
}

export interface BuiltPreview {
  readonly content: PreviewContent;
  /** Set for a merge draft (`merge:`): the row shown; undefined for an ordinary draft. */
  readonly merge: MergeRowChoice | undefined;
  /** The composed message the content was read from; undefined when the draft has problems. */
  readonly bytes: Buffer | undefined;
  /** What composes these bytes again (for Send and Save as .eml). */
  readonly compose: ComposeArguments | undefined;
}

/** The pipeline behind the panel, given by the command layer. Never asks for a password. */
export interface PreviewSource {
  /**
   * Checks and composes the document's draft with a fresh identity, and reads the result back.
   * For a merge draft, `row` (1-based) of its data, kept within the rows there are.
   */
  build(document: vscode.TextDocument, row: number): Promise<BuiltPreview>;
  send(uri: vscode.Uri, compose: ComposeArguments): Thenable<unknown>;
  saveEml(uri: vscode.Uri, compose: ComposeArguments): Thenable<unknown>;
  /** A merge draft's Send: Send Mail Merge… (every row, with its own checks and confirmation). */
  sendMerge(uri: vscode.Uri): Thenable<unknown>;
}

/** For tests and scripts (through the extension's API): what the panel shows now. */
export interface PreviewSnapshot {
  readonly uri: string;
  /** Increases with every content posted to the webview. */
  readonly version: number;
  /** The last version the webview reported on screen. */
  readonly renderedVersion: number;
  readonly content: PreviewContent;
  /** A merge draft: the row shown and the number of rows. */
  readonly merge: MergeRowChoice | undefined;
  readonly bytes: Buffer | undefined;
  /** Milliseconds from the last edit to its preview being on screen, for recent edits. */
  readonly editLatenciesMs: readonly number[];
  /** Milliseconds the last build took (check, compose, read back), debounce excluded. */
  readonly buildMs: number;
  /** The last Send or Save as .eml from the panel: the version it showed and the bytes it was built from. */
  readonly lastAction: { readonly action: 'send' | 'saveEml'; readonly version: number; readonly bytes: Buffer } | undefined;
}

export function isDraftDocument(document: vscode.TextDocument): boolean {
  return (document.languageId === 'markdown' || document.languageId === 'plaintext') && isDraftText(document.getText());
}

export class PreviewController implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private document: vscode.TextDocument | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Every build gets a number; an older build finishing late is dropped. */
  private requested = 0;
  private version = 0;
  private renderedVersion = 0;
  private shown: { readonly built: BuiltPreview; readonly uri: string; readonly buildMs: number } | undefined;
  /** When the edit behind the next build happened; undefined for builds not caused by typing. */
  private editAt: number | undefined;
  private readonly pendingLatency = new Map<number, number>();
  private readonly latencies: number[] = [];
  private lastAction: PreviewSnapshot['lastAction'];
  /** The merge row chosen for the current document (1-based); back to 1 for another document. */
  private row = 1;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly source: PreviewSource,
  ) {
    this.subscriptions = [
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.document !== this.document || event.contentChanges.length === 0) return;
        this.editAt = Date.now();
        this.schedule(PREVIEW_DEBOUNCE_MS);
      }),
      // The profile shown (and the sender it supplies) comes from settings.
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (this.panel !== undefined && event.affectsConfiguration('sendAsEmail')) this.schedule(0);
      }),
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (this.panel === undefined || editor === undefined || editor.document === this.document) return;
        if (isDraftDocument(editor.document)) this.follow(editor.document);
      }),
      // A merge draft's row comes from its data file: shown again when a data file changes.
      onMergeDataChange(() => {
        if (this.panel !== undefined && this.shown?.built.merge !== undefined) this.schedule(0);
      }),
    ];
  }

  /**
   * Opens the panel beside the editor (or reveals it) for `document`, keeping focus in the
   * editor; `row` chooses a merge draft's row (default: the one chosen before, else 1).
   */
  async show(document: vscode.TextDocument, row?: number): Promise<PreviewSnapshot | undefined> {
    if (this.panel === undefined) this.panel = this.createPanel();
    else this.panel.reveal(vscode.ViewColumn.Beside, true);
    this.follow(document);
    if (row !== undefined) this.row = row;
    await this.refresh();
    return this.snapshot();
  }

  snapshot(): PreviewSnapshot | undefined {
    if (this.document === undefined || this.shown === undefined) return undefined;
    return {
      uri: this.shown.uri,
      version: this.version,
      renderedVersion: this.renderedVersion,
      content: this.shown.built.content,
      merge: this.shown.built.merge,
      bytes: this.shown.built.bytes,
      editLatenciesMs: [...this.latencies],
      buildMs: this.shown.buildMs,
      lastAction: this.lastAction,
    };
  }

  /** Handles one message as if the webview had posted it; returns what the action returned. */
  async receive(raw: unknown): Promise<unknown> {
    const message = parseWebviewMessage(raw);
    if (message === undefined) return undefined;
    return this.handle(message);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.panel?.dispose();
    for (const subscription of this.subscriptions) subscription.dispose();
  }

  private createPanel(): vscode.WebviewPanel {
    const media = vscode.Uri.joinPath(this.extensionUri, 'media', 'preview');
    const panel = vscode.window.createWebviewPanel(
      'sendAsEmail.preview',
      vscode.l10n.t('Preview Email'),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { enableScripts: true, enableCommandUris: false, enableForms: false, localResourceRoots: [media] },
    );
    const webview = panel.webview;
    webview.html = previewShell(
      {
        cspSource: webview.cspSource,
        styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'preview.css')).toString(),
        scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'preview.js')).toString(),
      },
      newNonce(),
    );
    webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw));
    panel.onDidDispose(() => {
      clearTimeout(this.timer);
      this.panel = undefined;
      this.document = undefined;
      this.shown = undefined;
      this.row = 1;
    });
    return panel;
  }

  private follow(document: vscode.TextDocument): void {
    if (this.document === document) return;
    this.document = document;
    this.editAt = undefined;
    this.row = 1;
    if (this.panel !== undefined) {
      const name = document.uri.scheme === 'file' ? path.basename(document.uri.fsPath) : path.posix.basename(document.uri.path);
      this.panel.title = vscode.l10n.t('Preview {0}', name);
    }
    this.schedule(0);
  }

  private schedule(delay: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), delay);
  }

  /** Builds the current document's preview now and posts it; the newest request wins. */
  private async refresh(): Promise<BuiltPreview | undefined> {
    clearTimeout(this.timer);
    const document = this.document;
    if (document === undefined || this.panel === undefined) return undefined;
    const request = ++this.requested;
    const editAt = this.editAt;
    this.editAt = undefined;
    const started = Date.now();
    const built = await this.source.build(document, this.row);
    if (request !== this.requested || document !== this.document || this.panel === undefined) return undefined;
    this.shown = { built, uri: document.uri.toString(), buildMs: Date.now() - started };
    if (built.merge !== undefined) this.row = built.merge.row;
    this.version++;
    if (editAt !== undefined) this.pendingLatency.set(this.version, editAt);
    void this.panel.webview.postMessage(this.update(built));
    return built;
  }

  private async handle(message: WebviewMessage): Promise<unknown> {
    switch (message.type) {
      case 'ready':
        if (this.shown !== undefined && this.panel !== undefined) void this.panel.webview.postMessage(this.update(this.shown.built));
        return undefined;
      case 'row':
        // The row picker: build that row now (the answer carries the row actually shown).
        this.row = message.row;
        await this.refresh();
        return this.shown?.built.merge;
      case 'rendered': {
        if (message.version > this.version) return undefined;
        this.renderedVersion = Math.max(this.renderedVersion, message.version);
        const editAt = this.pendingLatency.get(message.version);
        this.pendingLatency.clear();
        if (editAt !== undefined) this.latencies.push(Date.now() - editAt);
        if (this.latencies.length > 20) this.latencies.shift();
        return undefined;
      }
      case 'send':
      case 'saveEml':
        return this.act(message.type);
      case 'sendMerge':
        return this.document === undefined ? undefined : this.source.sendMerge(this.document.uri);
    }
  }

  private update(built: BuiltPreview): unknown {
    return { type: 'update', version: this.version, content: built.content, merge: built.merge ?? null };
  }

  /**
   * Composes with a fresh identity (so the Date is now), shows that message, then runs the
   * command with the same compose arguments: the bytes sent are the bytes shown.
   */
  private async act(action: 'send' | 'saveEml'): Promise<unknown> {
    const document = this.document;
    // A merge draft is never sent as one message: its Send is Send Mail Merge…, and one row alone is not saved.
    if (this.shown?.built.merge !== undefined) return action === 'send' && document !== undefined ? this.source.sendMerge(document.uri) : undefined;
    const built = await this.refresh();
    if (document === undefined || built?.compose === undefined || built.bytes === undefined) return undefined;
    this.lastAction = { action, version: this.version, bytes: built.bytes };
    return action === 'send' ? this.source.send(document.uri, built.compose) : this.source.saveEml(document.uri, built.compose);
  }
}
