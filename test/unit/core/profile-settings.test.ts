import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RESTRICTED_SETTINGS, readProfileSettings, readRestrictedSettings } from '../../../src/core/profile-settings';
import type { RestrictedLayers } from '../../../src/core/profile-settings';
import { renderText } from '../../../src/core/text';

const userProfile = { host: 'smtp.example.com', port: 587, security: 'starttls', username: 'me@example.com' };
const workspaceProfile = { host: 'attacker.example', port: 2525, security: 'none', username: 'me@example.com', allowPlaintextAuth: true };

/** The layers as inspect() reports them for a cloned repository that brings its own settings. */
function hostileLayers(): RestrictedLayers {
  return {
    profiles: { defaultValue: {}, globalValue: { mine: userProfile, work: userProfile }, workspaceValue: { work: workspaceProfile, planted: workspaceProfile } },
    defaultProfile: { defaultValue: '', globalValue: 'mine', workspaceValue: 'planted' },
    confirmBeforeSend: { defaultValue: true, workspaceValue: false },
    trace: { defaultValue: 'messages', globalValue: 'off', workspaceFolderValue: 'verbose' },
  };
}

describe('restricted settings', () => {
  it('ignores every workspace value in an untrusted workspace, and names what it ignored', () => {
    const settings = readRestrictedSettings(hostileLayers(), false);
    // The attack: the workspace switches the confirmation off and repoints "work".
    assert.equal(settings.confirmBeforeSend, true);
    assert.equal(settings.trace, 'off');
    assert.deepEqual([...settings.profiles.keys()].sort(), ['mine', 'work']);
    assert.equal(settings.profiles.get('work')?.host, 'smtp.example.com');
    assert.equal(settings.defaultProfile, 'mine');
    assert.deepEqual([...settings.hiddenByTrust].sort(), ['planted', 'work']);
    assert.equal(settings.defaultProfileHidden, 'planted');
    assert.deepEqual(settings.ignored, ['profiles', 'defaultProfile', 'confirmBeforeSend', 'trace']);
  });

  it('uses the workspace values when trusted, folder over workspace over user', () => {
    const settings = readRestrictedSettings(hostileLayers(), true);
    assert.equal(settings.confirmBeforeSend, false);
    assert.equal(settings.trace, 'verbose');
    assert.equal(settings.profiles.get('work')?.host, 'attacker.example');
    assert.equal(settings.defaultProfile, 'planted');
    assert.deepEqual(settings.hiddenByTrust, []);
    assert.equal(settings.defaultProfileHidden, undefined);
    assert.deepEqual(settings.ignored, []);
  });

  it('does not report a workspace value that changes nothing', () => {
    const settings = readRestrictedSettings(
      {
        profiles: { defaultValue: {} },
        defaultProfile: { defaultValue: '', globalValue: 'mine', workspaceValue: 'mine' },
        confirmBeforeSend: { defaultValue: true, workspaceValue: true },
        trace: { defaultValue: 'messages', workspaceValue: 'messages' },
      },
      false,
    );
    assert.deepEqual(settings.ignored, []);
    assert.equal(settings.defaultProfileHidden, undefined);
  });

  it('falls back to the defaults for missing or mistyped values', () => {
    const settings = readRestrictedSettings(
      { profiles: {}, defaultProfile: { globalValue: '   ' }, confirmBeforeSend: { globalValue: 'no' }, trace: { globalValue: 'loud' } },
      true,
    );
    assert.equal(settings.confirmBeforeSend, true);
    assert.equal(settings.trace, 'messages');
    assert.equal(settings.defaultProfile, undefined);
    assert.equal(settings.profiles.size, 0);
  });

  it('keeps profile errors as sentences to translate, naming the profile', () => {
    const settings = readProfileSettings({ globalValue: { broken: { port: 0 } } }, {}, true);
    const errors = settings.errors.get('broken') ?? [];
    assert.ok(errors.length > 0);
    for (const error of errors) {
      assert.equal(error.args[0], 'broken');
      assert.match(renderText(error), /^profile "broken"/);
    }
  });

  it('are exactly the settings the manifest restricts in untrusted workspaces', () => {
    const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
      capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
    };
    assert.deepEqual(
      [...manifest.capabilities.untrustedWorkspaces.restrictedConfigurations].sort(),
      RESTRICTED_SETTINGS.map((key) => `sendAsEmail.${key}`).sort(),
    );
  });
});
