/**
 * Files dropped or pasted into a draft travel as attachments: they are added to `attach:`
 * (core/authoring/attach-edit.ts) instead of becoming a Markdown link, which would arrive as a
 * broken `<a href="report.pdf">`. An image dropped into the body becomes an inline image
 * `![name](path)`, which the composer embeds. Only drafts are served; elsewhere Markdown's own
 * drop and paste behave as usual.
 *
 * The edit kind lies under `text`: Markdown's link edits yield to `text` kinds, so this edit is
 * the one applied by default and Markdown's link stays one choice away in the drop widget.
 */
import path from 'node:path';
import * as vscode from 'vscode';
import { addToAttach } from '../../core/authoring/attach-edit';
import { frontMatterSpan } from '../../core/authoring/cursor-context';
import { isDraftText } from '../../core/draft/recognise';
import { baseDirFor } from '../draft-reader';
import { attachEditKind, URI_LIST } from './drop-kind';

/** The images the composer embeds (core/markdown/images.ts judges them again by content). */
const INLINE_IMAGE = /\.(png|jpe?g|gif|webp)$/i;

/** RFC 2483: one URI per line, `#` lines are comments. */
async function droppedFiles(dataTransfer: vscode.DataTransfer): Promise<vscode.Uri[]> {
  const list = await dataTransfer.get(URI_LIST)?.asString();
  if (list === undefined) return [];
  const uris: vscode.Uri[] = [];
  for (const line of list.split(/\r?\n/)) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    try {
      const uri = vscode.Uri.parse(line.trim(), true);
      if (uri.scheme === 'file') uris.push(uri);
    } catch {
      // Not a URI: ignored, like any other text in the list.
    }
  }
  return uris;
}

/** The path as the draft should write it: relative to its folder, with forward slashes. */
export function draftRelativePath(document: vscode.TextDocument, file: vscode.Uri): string {
  const relative = path.relative(baseDirFor(document.uri), file.fsPath);
  return path.isAbsolute(relative) ? file.fsPath : relative.split(path.sep).join('/');
}

/** Markdown link destination: angle brackets when it holds spaces or parentheses (CommonMark 6.3). */
function linkDestination(target: string): string {
  return /[\s()<>]/.test(target) ? `<${target.replace(/[<>]/g, encodeURIComponent)}>` : target;
}

export interface AttachingEdit {
  readonly insertText: string;
  readonly additionalEdit: vscode.WorkspaceEdit | undefined;
  readonly title: string;
}

/** What a drop or paste of `files` at `offset` does to the draft; undefined when it is not a draft. */
export function attachingEdit(document: vscode.TextDocument, offset: number, files: readonly vscode.Uri[]): AttachingEdit | undefined {
  const text = document.getText();
  if (files.length === 0 || !isDraftText(text)) return undefined;
  const span = frontMatterSpan(text);
  const inBody = span !== undefined && offset > span.end + text.slice(span.end).search(/\r|\n|$/);
  const images = inBody ? files.filter((file) => INLINE_IMAGE.test(file.fsPath)) : [];
  const attachments = files.filter((file) => !images.includes(file));
  const insertText = images
    .map((file) => `![${path.basename(file.fsPath).replace(/\.[^.]*$/, '').replace(/[[\]\\]/g, '\\$&')}](${linkDestination(draftRelativePath(document, file))})`)
    .join(' ');
  let additionalEdit: vscode.WorkspaceEdit | undefined;
  const edit = addToAttach(text, attachments.map((file) => draftRelativePath(document, file)));
  if (edit !== undefined) {
    additionalEdit = new vscode.WorkspaceEdit();
    additionalEdit.replace(document.uri, new vscode.Range(document.positionAt(edit.start), document.positionAt(edit.end)), edit.text);
  }
  const title =
    attachments.length === 0
      ? vscode.l10n.t('Insert as inline image')
      : images.length === 0
        ? vscode.l10n.t('Add to attach: in the front matter')
        : vscode.l10n.t('Add to attach: and insert the images inline');
  return { insertText, additionalEdit, title };
}

export class AttachOnDrop implements vscode.DocumentDropEditProvider {
  async provideDocumentDropEdits(document: vscode.TextDocument, position: vscode.Position, dataTransfer: vscode.DataTransfer): Promise<vscode.DocumentDropEdit | undefined> {
    const edit = attachingEdit(document, document.offsetAt(position), await droppedFiles(dataTransfer));
    if (edit === undefined) return undefined;
    const drop = new vscode.DocumentDropEdit(edit.insertText, edit.title, attachEditKind());
    if (edit.additionalEdit !== undefined) drop.additionalEdit = edit.additionalEdit;
    return drop;
  }
}

export class AttachOnPaste implements vscode.DocumentPasteEditProvider {
  async provideDocumentPasteEdits(
    document: vscode.TextDocument,
    ranges: readonly vscode.Range[],
    dataTransfer: vscode.DataTransfer,
  ): Promise<vscode.DocumentPasteEdit[] | undefined> {
    const first = ranges[0];
    if (first === undefined) return undefined;
    const edit = attachingEdit(document, document.offsetAt(first.start), await droppedFiles(dataTransfer));
    if (edit === undefined) return undefined;
    const paste = new vscode.DocumentPasteEdit(edit.insertText, edit.title, attachEditKind());
    if (edit.additionalEdit !== undefined) paste.additionalEdit = edit.additionalEdit;
    return [paste];
  }
}

