/**
 * activate(): builds the services and registers every command — nothing else runs at start-up.
 * Each user flow lives in its own file under src/commands; adapters to VS Code under src/host.
 *
 * A lean start: the extension activates on every Markdown and plaintext file, so what runs here
 * is only the registration. The command flows, the providers' code, the draft checker and the
 * OAuth sign-in are in src/features.ts, loaded the first time any of them is needed.
 */
import * as vscode from 'vscode';
import { COMMAND_IDS } from './commands/command-ids';
import type { Services } from './commands/services';
import { createApi } from './host/api';
import type { SendAsEmailApi } from './host/api';
import { registerAuthoringFeatures } from './host/authoring';
import { DraftDiagnostics } from './host/diagnostics';
import { registerEditorFeatures } from './host/editor';
import { loadOnce } from './host/load-once';
import { createOAuthApi } from './host/oauth/api';
import { OAuthEnvironment } from './host/oauth/environment';
import type { OAuthSignIn } from './host/oauth/sign-in';
import type { PasswordStore } from './host/passwords';
import type { PreviewController } from './host/preview/panel';
import { ProtocolLog } from './host/protocol-log';
import { useSentCopiesStorage } from './host/sent-copies';
import { Settings } from './host/settings';

export type { SendAsEmailApi } from './host/api';

export function activate(context: vscode.ExtensionContext): SendAsEmailApi {
  const settings = new Settings();
  const log = new ProtocolLog();
  const diagnostics = new DraftDiagnostics();
  context.subscriptions.push(settings, log, diagnostics);
  useSentCopiesStorage(context);
  const features = loadOnce(() => import('./features.js'));
  const environment = new OAuthEnvironment();
  const signIn = loadOnce(async (): Promise<OAuthSignIn> => new (await features()).OAuthSignIn(context.secrets, environment));
  /** What every command flow is given; the OAuth part is loaded with the first command. */
  const passwords = loadOnce(async (): Promise<PasswordStore> => new (await features()).PasswordStore(context.secrets));
  const services = loadOnce(async (): Promise<Services> => ({ settings, passwords: await passwords(), log, diagnostics, signIn: await signIn() }));

  /** The Preview panel's controller, made by the first Preview (or Send Mail Merge…). */
  let previewController: PreviewController | undefined;
  const preview = loadOnce(async () => {
    const { PreviewController: Controller, previewSource } = await features();
    previewController = new Controller(context.extensionUri, previewSource(await services()));
    context.subscriptions.push(previewController);
    return previewController;
  });

  const commands: ReadonlyArray<readonly [string, (first?: unknown) => Promise<unknown>]> = [
    [COMMAND_IDS.send, async (first) => (await features()).sendCommand(await services(), first)],
    [COMMAND_IDS.saveEml, async (first) => (await features()).saveEmlCommand(await services(), first)],
    [COMMAND_IDS.setPassword, async (first) => (await features()).setPasswordCommand(await services(), first)],
    [COMMAND_IDS.forgetPassword, async (first) => (await features()).forgetPasswordCommand(await services(), first)],
    [COMMAND_IDS.testProfile, async (first) => (await features()).testProfileCommand(await services(), first)],
    [COMMAND_IDS.showLog, async () => (await features()).showLogCommand(await services())],
    [COMMAND_IDS.signIn, async (first) => (await features()).signInCommand(await services(), first)],
    [COMMAND_IDS.signOut, async (first) => (await features()).signOutCommand(await services(), first)],
    [COMMAND_IDS.preview, async (first) => (await features()).previewCommand(await preview(), first)],
    [COMMAND_IDS.newDraft, async (first) => (await features()).newDraftCommand(await services(), first)],
    [COMMAND_IDS.addProfile, async (first) => (await features()).addProfileCommand(await services(), first)],
    [COMMAND_IDS.reply, async (first) => (await features()).replyCommand(await services(), first)],
    [COMMAND_IDS.forward, async (first) => (await features()).forwardCommand(await services(), first)],
    [COMMAND_IDS.retrySaveSent, async () => (await features()).retrySaveSentCommand(await services())],
    [COMMAND_IDS.sendMerge, async (first) => (await features()).sendMergeCommand(await services(), await preview(), first)],
    [COMMAND_IDS.writeMerge, async (first) => (await features()).writeMergeCommand(await services(), first)],
  ];
  for (const [id, handler] of commands) context.subscriptions.push(vscode.commands.registerCommand(id, handler));

  registerAuthoringFeatures(context, { settings, load: features });
  const editor = registerEditorFeatures(context, { settings, diagnostics, commands: COMMAND_IDS, load: features });
  const oauth = createOAuthApi(settings, signIn, environment, context.extensionMode !== vscode.ExtensionMode.Production);
  const previewApi = { snapshot: () => previewController?.snapshot(), receive: async (message: unknown) => (await preview()).receive(message) };
  return createApi(settings, passwords, context.logUri.fsPath, previewApi, editor, oauth);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
