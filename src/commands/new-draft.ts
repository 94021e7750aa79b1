/**
 * "New Email Draft": an untitled Markdown draft from a template, with the cursor in `to:`. The
 * templates are the `.md` files of `sendAsEmail.templatesFolder` (a quick pick when there are
 * several) or the built-in one; the profile's signature, if it has one, is appended after a
 * "-- " line. Argument (from code): `{ template?: string, profile?: string }` — a template by
 * name (`built-in` for the built-in one) skips the pick; `profile` chooses the signature.
 */
import * as vscode from 'vscode';
import { escapeForDisplay } from '../core/escape';
import { isRecord } from '../core/guards';
import { BUILT_IN_TEMPLATE } from '../core/templates/built-in';
import type { TemplateFile } from '../core/templates/folder';
import { listTemplates, readTemplate } from '../core/templates/folder';
import { appendSignature } from '../core/templates/signature';
import { templateSnippet } from '../core/templates/snippet';
import { settingPath } from '../host/authoring/recipients';
import { translate } from '../host/l10n';
import type { SettingsSnapshot } from '../host/settings';
import type { CommandOutcome } from './outcome';
import type { Services } from './services';

export const BUILT_IN_TEMPLATE_NAME = 'built-in';

/** The folder's templates; the built-in one alone when no folder is set or it cannot be read. */
async function templates(settings: SettingsSnapshot): Promise<readonly TemplateFile[]> {
  if (settings.templatesFolder === undefined) return [];
  const listing = await listTemplates(settingPath(settings.templatesFolder));
  if (listing.ok) return listing.templates;
  void vscode.window.showWarningMessage(escapeForDisplay(translate(listing.problem)));
  return [];
}

/** The chosen template's text; undefined when the user closed the pick. */
async function chooseTemplate(files: readonly TemplateFile[], wanted: string | undefined): Promise<string | undefined> {
  if (wanted === BUILT_IN_TEMPLATE_NAME) return BUILT_IN_TEMPLATE;
  const named = files.find((file) => file.name === wanted);
  if (named !== undefined) return readTemplate(named);
  if (files.length === 0) return BUILT_IN_TEMPLATE;
  const only = files.length === 1 ? files[0] : undefined;
  if (only !== undefined) return readTemplate(only);
  const picked = await vscode.window.showQuickPick(
    [
      ...files.map((file) => ({ label: escapeForDisplay(file.name), description: escapeForDisplay(file.path), file })),
      { label: vscode.l10n.t('Blank email (built-in)'), file: undefined },
    ],
    { placeHolder: vscode.l10n.t('Start the email from which template?') },
  );
  if (picked === undefined) return undefined;
  return picked.file === undefined ? BUILT_IN_TEMPLATE : readTemplate(picked.file);
}

/** The profile whose signature is used: the one asked for, the template's `profile:`, the default, or the only one. */
function signatureFor(settings: SettingsSnapshot, template: string, wanted: string | undefined): string | undefined {
  const fromTemplate = /^profile[ \t]*:[ \t]*["']?([^"'\r\n]+?)["']?[ \t]*$/im.exec(template)?.[1];
  const only = settings.profiles.size === 1 ? [...settings.profiles.keys()][0] : undefined;
  const name = wanted ?? fromTemplate ?? settings.defaultProfile ?? only;
  return name === undefined ? undefined : settings.profiles.get(name)?.signature;
}

export async function newDraftCommand(services: Services, first?: unknown): Promise<CommandOutcome> {
  const wantedTemplate = isRecord(first) && typeof first['template'] === 'string' ? first['template'] : undefined;
  const wantedProfile = isRecord(first) && typeof first['profile'] === 'string' ? first['profile'] : undefined;
  const settings = services.settings.current;
  const template = await chooseTemplate(await templates(settings), wantedTemplate);
  if (template === undefined) return { status: 'cancelled' };
  const text = appendSignature(template, signatureFor(settings, template, wantedProfile));
  const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: '' });
  const editor = await vscode.window.showTextDocument(document);
  await editor.insertSnippet(new vscode.SnippetString(templateSnippet(text)));
  return { status: 'drafted', uri: document.uri.toString() };
}
