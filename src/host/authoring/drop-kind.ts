/**
 * What a drop or paste into a draft offers (drop-paste.ts): a list of files, turned into an
 * `attach:` edit. Its own small file because the providers are registered at start-up and their
 * code is loaded only when something is dropped or pasted.
 */
import * as vscode from 'vscode';

export const URI_LIST = 'text/uri-list';

// Functions, not constants: nothing from `vscode` is touched while the bundle is required.
export const attachEditKind = (): vscode.DocumentDropOrPasteEditKind => vscode.DocumentDropOrPasteEditKind.Text.append('sendAsEmail', 'attach');
export const dropMetadata = (): vscode.DocumentDropEditProviderMetadata => ({ dropMimeTypes: [URI_LIST], providedDropEditKinds: [attachEditKind()] });
export const pasteMetadata = (): vscode.DocumentPasteProviderMetadata => ({ pasteMimeTypes: [URI_LIST], providedPasteEditKinds: [attachEditKind()] });
