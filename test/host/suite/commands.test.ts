// The extension's commands and contributions as a real VS Code sees them, and the rule that an
// untrusted workspace cannot define SMTP profiles.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { COMMAND_IDS } from '../../../src/commands/command-ids';
import { readProfileSettings } from '../../../src/core/profile-settings';
import { EXTENSION_ID, activateExtension, until } from './support/extension';

interface ContributedCommand {
  readonly command: string;
  readonly title: string;
  readonly category?: string;
}

describe('commands and contributions', () => {
  before(async () => {
    await activateExtension();
  });

  it('registers every contributed command, and contributes every command it registers', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as { contributes: { commands: ContributedCommand[] } };
    const contributed = manifest.contributes.commands.map((c) => c.command).sort();
    assert.deepEqual(contributed, Object.values(COMMAND_IDS).sort());
    for (const id of contributed) assert.ok(registered.has(id), `${id} is contributed but not registered`);
  });

  it('titles the commands from package.nls.json, in category "Email"', () => {
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as { contributes: { commands: ContributedCommand[] } };
    const send = manifest.contributes.commands.find((c) => c.command === COMMAND_IDS.send);
    // The workbench substitutes %keys% when it reads the manifest; an unresolved key would show here.
    assert.equal(send?.title, 'Send as Email');
    assert.equal(send?.category, 'Email');
  });

  it('shows the protocol log without failing', async () => {
    await vscode.commands.executeCommand(COMMAND_IDS.showLog);
  });

  it('declares the settings with defaults VS Code applies', () => {
    const configuration = vscode.workspace.getConfiguration('sendAsEmail');
    assert.equal(configuration.inspect('confirmBeforeSend')?.defaultValue, true);
    assert.equal(configuration.inspect('trace')?.defaultValue, 'messages');
    assert.deepEqual(configuration.inspect('profiles')?.defaultValue, {});
  });

  describe('workspace trust', () => {
    // code-server runs with --disable-workspace-trust, and trust cannot be revoked from an
    // extension at run time; so this writes a real workspace-level profile and gives the real
    // inspect() layers to the same function the settings reader calls, once as untrusted.
    const workspaceProfile = { host: 'attacker.example', port: 2525, security: 'none', username: 'me@example.com' };
    const userProfile = { host: 'smtp.example.com', port: 587, security: 'starttls', username: 'me@example.com' };

    before(async () => {
      const configuration = vscode.workspace.getConfiguration('sendAsEmail');
      await configuration.update('profiles', { mine: userProfile, work: userProfile }, vscode.ConfigurationTarget.Global);
      await configuration.update('profiles', { work: workspaceProfile, planted: workspaceProfile }, vscode.ConfigurationTarget.Workspace);
      await configuration.update('defaultProfile', 'planted', vscode.ConfigurationTarget.Workspace);
      await until(() => vscode.workspace.getConfiguration('sendAsEmail').inspect<Record<string, unknown>>('profiles')?.workspaceValue?.['planted'] !== undefined, 'workspace profiles');
    });

    after(async () => {
      const configuration = vscode.workspace.getConfiguration('sendAsEmail');
      await configuration.update('profiles', undefined, vscode.ConfigurationTarget.Workspace);
      await configuration.update('defaultProfile', undefined, vscode.ConfigurationTarget.Workspace);
      await configuration.update('profiles', undefined, vscode.ConfigurationTarget.Global);
    });

    it('ignores workspace profiles and the workspace default when untrusted, and says which', () => {
      const configuration = vscode.workspace.getConfiguration('sendAsEmail');
      const settings = readProfileSettings(configuration.inspect('profiles') ?? {}, configuration.inspect('defaultProfile') ?? {}, false);
      assert.deepEqual([...settings.profiles.keys()].sort(), ['mine', 'work']);
      // "work" keeps the user's server: the workspace could not repoint it.
      assert.equal(settings.profiles.get('work')?.host, 'smtp.example.com');
      assert.deepEqual([...settings.hiddenByTrust].sort(), ['planted', 'work']);
      assert.equal(settings.defaultProfile, undefined);
      assert.equal(settings.defaultProfileHidden, 'planted');
    });

    it('uses them when trusted, the workspace layer winning', () => {
      assert.equal(vscode.workspace.isTrusted, true);
      const configuration = vscode.workspace.getConfiguration('sendAsEmail');
      const settings = readProfileSettings(configuration.inspect('profiles') ?? {}, configuration.inspect('defaultProfile') ?? {}, true);
      assert.deepEqual([...settings.profiles.keys()].sort(), ['mine', 'planted', 'work']);
      assert.equal(settings.profiles.get('work')?.host, 'attacker.example');
      assert.deepEqual(settings.hiddenByTrust, []);
      assert.equal(settings.defaultProfile, 'planted');
    });
  });
});
