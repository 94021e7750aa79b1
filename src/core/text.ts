/**
 * User-visible sentences are kept as an English template plus arguments until a front end
 * shows them. The CLI formats them as they are; the extension passes `vscode.l10n.t`, whose
 * key is the English template, so the same sentence is translated (l10n/bundle.l10n.*.json).
 * Core code never builds a finished sentence for the user by string concatenation: it builds
 * a LocalizedText, so nothing can bypass translation.
 */

export type MessageArg = string | number;

/** `{0}`-style template formatter; the extension passes `vscode.l10n.t` instead. */
export type Translate = (template: string, ...args: MessageArg[]) => string;

export const formatTemplate: Translate = (template, ...args) =>
  template.replace(/\{(\d+)\}/g, (whole, index: string) => {
    const value = args[Number(index)];
    return value === undefined ? whole : String(value);
  });

/** A sentence for the user: the English template (also the translation key) and its arguments. */
export interface LocalizedText {
  readonly template: string;
  readonly args: readonly MessageArg[];
}

export function localized(template: string, ...args: MessageArg[]): LocalizedText {
  return { template, args };
}

/** The sentence in the language `t` speaks (English by default). */
export function renderText(text: LocalizedText, t: Translate = formatTemplate): string {
  return t(text.template, ...text.args);
}
