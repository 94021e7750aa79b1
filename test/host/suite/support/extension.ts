/** The extension under test, its API, and the settings, draft and command helpers shared by the host suites. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { CommandOutcome } from '../../../../src/commands/outcome';
import type { SendAsEmailApi } from '../../../../src/host/api';

export const EXTENSION_ID = 'send-as-email.send-as-email';

export async function activateExtension(): Promise<SendAsEmailApi> {
  const extension = vscode.extensions.getExtension<SendAsEmailApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed`);
  return extension.activate();
}

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export { until };

/** Writes user (global) settings under sendAsEmail and waits until the extension host sees them. */
export async function setUserSetting(key: string, value: unknown): Promise<void> {
  const configuration = vscode.workspace.getConfiguration('sendAsEmail');
  await configuration.update(key, value, vscode.ConfigurationTarget.Global);
  const expected = JSON.stringify(value);
  await until(() => JSON.stringify(vscode.workspace.getConfiguration('sendAsEmail').inspect(key)?.globalValue) === expected, `setting ${key}`);
}

/** Removes user (global) settings under sendAsEmail: what a suite set in `before`, taken back in `after`. */
export async function clearUserSettings(...keys: readonly string[]): Promise<void> {
  const configuration = vscode.workspace.getConfiguration('sendAsEmail');
  for (const key of keys) await configuration.update(key, undefined, vscode.ConfigurationTarget.Global);
}

/** Polls the protocol log on disk until `predicate` holds; returns its text. */
export async function readLogUntil(api: SendAsEmailApi, predicate: (text: string) => boolean, what: string): Promise<string> {
  const fs = await import('node:fs');
  let text = '';
  await until(async () => {
    const file = await api.protocolLogFile();
    text = file === undefined ? '' : fs.readFileSync(file, 'utf8');
    return predicate(text);
  }, what, 15_000);
  return text;
}

/** The first folder of the test workspace. */
export function workspaceFolder(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder');
  return folder.uri.fsPath;
}

/** Writes `text` to `name` in the workspace and opens it in the active editor. */
export async function openDraft(name: string, text: string): Promise<vscode.TextEditor> {
  const file = path.join(workspaceFolder(), name);
  fs.writeFileSync(file, text);
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  return vscode.window.showTextDocument(document);
}

/** Runs one of the extension's commands; every command returns a typed outcome. */
export async function run(command: string, argument?: unknown): Promise<CommandOutcome> {
  const outcome = await vscode.commands.executeCommand<CommandOutcome>(command, argument);
  assert.ok(outcome !== undefined, `${command} returned nothing`);
  return outcome;
}
