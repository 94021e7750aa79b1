/**
 * activate(): builds the services and registers every command — nothing else runs at start-up.
 * Each user flow lives in its own file under src/commands; adapters to VS Code under src/host.
 */
import * as vscode from 'vscode';
import { COMMAND_IDS } from './commands/command-ids';
import { addProfileCommand } from './commands/add-profile';
import { newDraftCommand } from './commands/new-draft';
import { forgetPasswordCommand, setPasswordCommand } from './commands/passwords';
import { saveEmlCommand } from './commands/save-eml';
import { forwardCommand, replyCommand } from './commands/reply';
import { retrySaveSentCommand } from './commands/retry-save-sent';
import { sendCommand } from './commands/send';
import { sendMergeCommand } from './commands/send-merge';
import { writeMergeCommand } from './commands/write-merge';
import { signInCommand, signOutCommand } from './commands/sign-in';
import { showLogCommand } from './commands/show-log';
import { testProfileCommand } from './commands/test-profile';
import { previewCommand, previewSource } from './commands/preview';
import type { Services } from './commands/services';
import { createApi } from './host/api';
import type { SendAsEmailApi } from './host/api';
import { registerAuthoringFeatures } from './host/authoring';
import { DraftDiagnostics } from './host/diagnostics';
import { registerEditorFeatures } from './host/editor';
import { createOAuthApi } from './host/oauth/api';
import { OAuthEnvironment } from './host/oauth/environment';
import { OAuthSignIn } from './host/oauth/sign-in';
import { PasswordStore } from './host/passwords';
import { PreviewController } from './host/preview/panel';
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
  const signIn = new OAuthSignIn(context.secrets, new OAuthEnvironment());
  const services: Services = { settings, passwords, log, diagnostics, signIn };

  const preview = new PreviewController(context.extensionUri, previewSource(services));
  context.subscriptions.push(preview);

  const commands: ReadonlyArray<readonly [string, (first?: unknown) => unknown]> = [
    [COMMAND_IDS.send, (first) => sendCommand(services, first)],
    [COMMAND_IDS.saveEml, (first) => saveEmlCommand(services, first)],
    [COMMAND_IDS.setPassword, (first) => setPasswordCommand(services, first)],
    [COMMAND_IDS.forgetPassword, (first) => forgetPasswordCommand(services, first)],
    [COMMAND_IDS.testProfile, (first) => testProfileCommand(services, first)],
    [COMMAND_IDS.showLog, () => showLogCommand(services)],
    [COMMAND_IDS.signIn, (first) => signInCommand(services, first)],
    [COMMAND_IDS.signOut, (first) => signOutCommand(services, first)],
    [COMMAND_IDS.preview, (first) => previewCommand(preview, first)],
    [COMMAND_IDS.newDraft, (first) => newDraftCommand(services, first)],
    [COMMAND_IDS.addProfile, (first) => addProfileCommand(services, first)],
    [COMMAND_IDS.reply, (first) => replyCommand(services, first)],
    [COMMAND_IDS.forward, (first) => forwardCommand(services, first)],
    [COMMAND_IDS.retrySaveSent, () => retrySaveSentCommand(services)],
    [COMMAND_IDS.sendMerge, (first) => sendMergeCommand(services, preview, first)],
    [COMMAND_IDS.writeMerge, (first) => writeMergeCommand(services, first)],
  ];
  for (const [id, handler] of commands) context.subscriptions.push(vscode.commands.registerCommand(id, handler));

  registerAuthoringFeatures(context, services);
  const editor = registerEditorFeatures(context, { settings, diagnostics, commands: COMMAND_IDS });
  const oauth = createOAuthApi(settings, signIn, context.extensionMode !== vscode.ExtensionMode.Production);
  return createApi(settings, passwords, context.logUri.fsPath, preview, editor, oauth);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
