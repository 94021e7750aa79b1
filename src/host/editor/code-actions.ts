/**
 * Quick fixes for the draft problems that have one obvious mend. Each recomputes its edit from
 * the document and the diagnostic's range (never from the translated message), with the same
 * pure edit functions the unit tests check (core/draft/warnings/fixes.ts).
 */
import path from 'node:path';
import * as vscode from 'vscode';
import { suggestKey } from '../../core/draft/front-matter-keys';
import { ProblemCode } from '../../core/draft/problem-codes';
import { WarningCode } from '../../core/draft/warnings';
import { addToAttach } from '../../core/authoring/attach-edit';
import { cleanAddress, insertSubject, setProfile } from '../../core/draft/warnings/fixes';
import type { DraftLines } from '../../core/draft/warnings/lines';
import { draftLines, keyLine } from '../../core/draft/warnings/lines';
import { findLocalLinks } from '../../core/draft/warnings/local-link';
import { escapeForDisplay } from '../../core/escape';
import { DIAGNOSTIC_SOURCE } from '../diagnostics';
import type { Settings } from '../settings';
import { eolOf, workspaceEdit } from './edits';

type Fixer = (document: vscode.TextDocument, lines: DraftLines, diagnostic: vscode.Diagnostic) => vscode.CodeAction[];

function action(title: string, diagnostic: vscode.Diagnostic, edit: vscode.WorkspaceEdit | undefined, preferred = true): vscode.CodeAction[] {
  if (edit === undefined) return [];
  const fix = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
  fix.diagnostics = [diagnostic];
  fix.edit = edit;
  fix.isPreferred = preferred;
  return [fix];
}

function replaceRange(document: vscode.TextDocument, range: vscode.Range, text: string): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, range, text);
  return edit;
}

const fixUnknownKey: Fixer = (document, _lines, diagnostic) => {
  const written = document.getText(diagnostic.range);
  const suggestion = suggestKey(written.trim().toLowerCase());
  if (suggestion === undefined || suggestion === written) return [];
  return action(vscode.l10n.t('Change to {0}', suggestion), diagnostic, replaceRange(document, diagnostic.range, suggestion));
};

/** Only a missing key has an obvious mend; an empty subject is for the writer to fill. */
const fixMissingSubject: Fixer = (document, lines, diagnostic) => {
  if (keyLine(lines, 'subject') !== undefined) return [];
  return action(vscode.l10n.t('Add a subject: line'), diagnostic, workspaceEdit(document.uri, [insertSubject(lines, eolOf(document))]));
};

/** The link becomes its plain label and the file moves to attach:, in one undoable edit. */
const fixLocalLink: Fixer = (document, lines, diagnostic) => {
  const start = diagnostic.range.start;
  const link = findLocalLinks(lines).find((found) => found.line === start.line && found.start === start.character);
  const attach = link === undefined ? undefined : addToAttach(document.getText(), [link.target]);
  if (link === undefined || attach === undefined) return [];
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(document.positionAt(attach.start), document.positionAt(attach.end)), attach.text);
  edit.replace(document.uri, new vscode.Range(link.line, link.start, link.line, link.end), link.label.trim() === '' ? path.basename(link.target) : link.label);
  return action(vscode.l10n.t('Attach {0} instead of linking to it', escapeForDisplay(link.target)), diagnostic, edit);
};

function fixUnknownProfile(settings: Settings): Fixer {
  return (document, lines, diagnostic) =>
    [...settings.current.profiles.keys()].flatMap((name) =>
      action(vscode.l10n.t('Use profile {0}', escapeForDisplay(name)), diagnostic, workspaceEdit(document.uri, [setProfile(lines, name, eolOf(document))]), false),
    );
}

const fixAddress: Fixer = (document, _lines, diagnostic) => {
  const cleaned = cleanAddress(document.getText(diagnostic.range));
  if (cleaned === undefined) return [];
  return action(vscode.l10n.t('Change to {0}', escapeForDisplay(cleaned)), diagnostic, replaceRange(document, diagnostic.range, cleaned));
};

export class DraftCodeActions implements vscode.CodeActionProvider {
  private readonly fixers: ReadonlyMap<string, Fixer>;

  constructor(settings: Settings) {
    this.fixers = new Map<string, Fixer>([
      [ProblemCode.unknownKey, fixUnknownKey],
      [ProblemCode.emptySubject, fixMissingSubject],
      [ProblemCode.invalidAddress, fixAddress],
      [WarningCode.localLink, fixLocalLink],
      [WarningCode.unknownProfile, fixUnknownProfile(settings)],
    ]);
  }

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const lines = draftLines(document.getText());
    if (lines === undefined) return [];
    return context.diagnostics.flatMap((diagnostic) => {
      const fixer = diagnostic.source === DIAGNOSTIC_SOURCE && typeof diagnostic.code === 'string' ? this.fixers.get(diagnostic.code) : undefined;
      return fixer === undefined ? [] : fixer(document, lines, diagnostic);
    });
  }
}
