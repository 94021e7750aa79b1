// The extension loads and activates in a real VS Code extension host (code-server's Node
// extension host, not a mock): proves the manifest, the bundle and activate() work together.
import assert from 'node:assert/strict';
import path from 'node:path';
import * as vscode from 'vscode';
import { hostTestEnvVar, readHostTestEnvironment } from '../host-environment';

const extensionId = 'send-as-email.send-as-email'; // publisher.name in package.json

describe('activation in a real VS Code host', () => {
  it('runs inside the real VS Code the runner started', () => {
    const environment = readHostTestEnvironment(vscode.workspace.workspaceFolders?.[0]?.uri.fsPath);
    if (environment.host === 'code-server') {
      assert.equal(vscode.env.appName, 'code-server');
      assert.equal(vscode.env.uiKind, vscode.UIKind.Web);
    } else {
      assert.match(vscode.env.appName, /Visual Studio Code/);
      assert.equal(vscode.env.uiKind, vscode.UIKind.Desktop);
    }
    // engines.vscode is ^1.100.0: the host must be at least that.
    const [major = 0, minor = 0] = vscode.version.split('.').map(Number);
    assert.ok(major === 1 && minor >= 100, `VS Code ${vscode.version} is older than 1.100`);
  });

  it('finds the extension under development and activates it', async () => {
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension, `${extensionId} is not among ${vscode.extensions.all.length} installed extensions`);
    await extension.activate();
    assert.equal(extension.isActive, true);
    assert.equal(extension.packageJSON.name, 'send-as-email');
  });

  it('opened the workspace the runner prepared, and passes its environment through', () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'no workspace folder is open');
    assert.ok(process.env[hostTestEnvVar], `${hostTestEnvVar} did not reach the extension host`);
    const environment = readHostTestEnvironment(folder.uri.fsPath);
    assert.equal(path.resolve(folder.uri.fsPath), path.resolve(environment.workspace));
    const extension = vscode.extensions.getExtension(extensionId);
    assert.equal(extension?.extensionPath, environment.extensionPath);
  });
});
