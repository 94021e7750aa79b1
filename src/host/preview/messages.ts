/**
 * What the Preview's webview may say to the extension, and the check every message passes
 * before anything acts on it. A webview is a web page: treat what it posts as untrusted input,
 * so only these exact shapes are accepted and anything else is dropped. No vscode import, so the
 * check is unit-tested alone.
 */
import { isRecord } from '../../core/guards';

export type WebviewMessage =
  /** The script has loaded and wants the current content. */
  | { readonly type: 'ready' }
  /** The content of `version` is on screen (the frame has loaded the HTML part, if any). */
  | { readonly type: 'rendered'; readonly version: number }
  /** The Send or Save as .eml button, pressed while `version` was shown. */
  | { readonly type: 'send' | 'saveEml'; readonly version: number }
  /** A merge draft: the row picker chose `row` (1-based). */
  | { readonly type: 'row'; readonly row: number }
  /** A merge draft: the Send Mail Merge… button. */
  | { readonly type: 'sendMerge' };

function isVersion(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

export function parseWebviewMessage(value: unknown): WebviewMessage | undefined {
  if (!isRecord(value) || typeof value['type'] !== 'string') return undefined;
  const type = value['type'];
  const keys = Object.keys(value).sort().join(',');
  if (type === 'ready' || type === 'sendMerge') return keys === 'type' ? { type } : undefined;
  if (type === 'row') {
    const row = value['row'];
    return keys === 'row,type' && isVersion(row) && row >= 1 ? { type, row } : undefined;
  }
  if (type === 'rendered' || type === 'send' || type === 'saveEml') {
    const version = value['version'];
    return keys === 'type,version' && isVersion(version) ? { type, version } : undefined;
  }
  return undefined;
}
