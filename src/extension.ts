/**
 * activate(): builds the services and registers every command — nothing else runs at start-up.
 * Each user flow lives in its own file under src/commands; adapters to VS Code under src/host.
 */
import * as vscode from 'vscode';
import { COMMAND_IDS } from './commands/command-ids';
import { forgetPasswordCommand, setPasswordCommand } from './commands/passwords';
import { saveEmlCommand } from './commands/save-eml';
import { sendCommand } from './commands/send';
import type { Services } from './commands/services';
import { showLogCommand } from './commands/show-log';
import { testProfileCommand } from './commands/test-profile';
import { createApi } from './host/api';
import type { SendAsEmailApi } from './host/api';
import { DraftDiagnostics } from './host/diagnostics';
import { PasswordStore } from './host/passwords';
import { ProtocolLog } from './host/protocol-log';
import { Settings } from './host/settings';

export type { SendAsEmailApi } from './host/api';

export function activate(context: vscode.ExtensionContext): SendAsEmailApi {
  const settings = new Settings();
  const log = new ProtocolLog();
  const diagnostics = new DraftDiagnostics();
  const passwords = new PasswordStore(context.secrets);
  context.subscriptions.push(settings, log, diagnostics);
  const services: Services = { settings, passwords, log, diagnostics };

  const commands: ReadonlyArray<readonly [string, (first?: unknown) => unknown]> = [
    [COMMAND_IDS.send, (first) => sendCommand(services, first)],
    [COMMAND_IDS.saveEml, (first) => saveEmlCommand(services, first)],
    [COMMAND_IDS.setPassword, (first) => setPasswordCommand(services, first)],
    [COMMAND_IDS.forgetPassword, (first) => forgetPasswordCommand(services, first)],
    [COMMAND_IDS.testProfile, (first) => testProfileCommand(services, first)],
    [COMMAND_IDS.showLog, () => showLogCommand(services)],
  ];
  for (const [id, handler] of commands) context.subscriptions.push(vscode.commands.registerCommand(id, handler));

  return createApi(settings, passwords, context.logUri.fsPath);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
