/** Core's sentences (LocalizedText) in the user's language: the English template is the l10n key. */
import * as vscode from 'vscode';
import type { LocalizedText } from '../core/text';

export function translate(text: LocalizedText): string {
  return vscode.l10n.t(text.template, ...text.args);
}
