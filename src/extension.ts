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
import { PasswordStore } from './host/passwords';
import { PreviewController } from './host/preview/panel';
import type { PreviewSource } from './host/preview/panel';
import { ProtocolLog } from './host/protocol-log';
import { useSentCopiesStorage } from './host/sent-copies';
import { Settings } from './host/settings';

export type { SendAsEmailApi } from './host/api';

export function activate(context: vscode.ExtensionContext): SendAsEmailApi {
  const settings = new Settings();
  const log = new ProtocolLog();
  const diagnostics = new DraftDiagnostics();
  const passwords = new PasswordStore(context.secrets);
  context.subscriptions.push(settings, log, diagnostics);
  useSentCopiesStorage(context);
  const features = loadOnce(() => import('./features.js'));
  const environment = new OAuthEnvironment();
  const signIn = loadOnce(async (): Promise<OAuthSignIn> => new (await features()).OAuthSignIn(context.secrets, environment));
  /** What every command flow is given; the OAuth part is loaded with the first command. */
  const services = loadOnce(async (): Promise<Services> => ({ settings, passwords, log, diagnostics, signIn: await signIn() }));

  const source = loadOnce(async () => (await features()).previewSource(await services()));
  const previewSource: PreviewSource = {
    build: async (document, row) => (await source()).build(document, row),
    send: async (uri, compose) => (await source()).send(uri, compose),
    saveEml: async (uri, compose) => (await source()).saveEml(uri, compose),
    sendMerge: async (uri) => (await source()).sendMerge(uri),
  };
  const preview = new PreviewController(context.extensionUri, previewSource);
  context.subscriptions.push(preview);

  const commands: ReadonlyArray<readonly [string, (first?: unknown) => Promise<unknown>]> = [
    [COMMAND_IDS.send, async (first) => (await features()).sendCommand(await services(), first)],
    [COMMAND_IDS.saveEml, async (first) => (await features()).saveEmlCommand(await services(), first)],
    [COMMAND_IDS.setPassword, async (first) => (await features()).setPasswordCommand(await services(), first)],
    [COMMAND_IDS.forgetPassword, async (first) => (await features()).forgetPasswordCommand(await services(), first)],
    [COMMAND_IDS.testProfile, async (first) => (await features()).testProfileCommand(await services(), first)],
    [COMMAND_IDS.showLog, async () => (await features()).showLogCommand(await services())],
    [COMMAND_IDS.signIn, async (first) => (await features()).signInCommand(await services(), first)],
    [COMMAND_IDS.signOut, async (first) => (await features()).signOutCommand(await services(), first)],
    [COMMAND_IDS.preview, async (first) => (await features()).previewCommand(preview, first)],
    [COMMAND_IDS.newDraft, async (first) => (await features()).newDraftCommand(await services(), first)],
    [COMMAND_IDS.addProfile, async (first) => (await features()).addProfileCommand(await services(), first)],
    [COMMAND_IDS.reply, async (first) => (await features()).replyCommand(await services(), first)],
    [COMMAND_IDS.forward, async (first) => (await features()).forwardCommand(await services(), first)],
    [COMMAND_IDS.retrySaveSent, async () => (await features()).retrySaveSentCommand(await services())],
    [COMMAND_IDS.sendMerge, async (first) => (await features()).sendMergeCommand(await services(), preview, first)],
    [COMMAND_IDS.writeMerge, async (first) => (await features()).writeMergeCommand(await services(), first)],
  ];
  for (const [id, handler] of commands) context.subscriptions.push(vscode.commands.registerCommand(id, handler));

  registerAuthoringFeatures(context, { settings, load: features });
  const editor = registerEditorFeatures(context, { settings, diagnostics, commands: COMMAND_IDS, load: features });
  const oauth = createOAuthApi(settings, signIn, environment, context.extensionMode !== vscode.ExtensionMode.Production);
  return createApi(settings, passwords, context.logUri.fsPath, preview, editor, oauth);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
