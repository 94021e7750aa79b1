import assert from 'node:assert/strict';
import { readRestrictedSettings } from '../../../src/core/profile-settings';

describe('address book: workspace trust', () => {
  // A workspace's address book could plant look-alike contacts; its templates could attach files.
  const layers = {
    profiles: {},
    defaultProfile: {},
    confirmBeforeSend: {},
    trace: {},
    addressBook: { globalValue: '~/contacts.vcf', workspaceValue: 'planted.vcf' },
    templatesFolder: { workspaceValue: 'templates' },
  };

  it('ignores the workspace\'s addressBook and templatesFolder when untrusted, and says so', () => {
    const settings = readRestrictedSettings(layers, false);
    assert.equal(settings.addressBook, '~/contacts.vcf');
    assert.equal(settings.templatesFolder, undefined);
    assert.deepEqual([...settings.ignored].sort(), ['addressBook', 'templatesFolder']);
  });

  it('uses them when trusted', () => {
    const settings = readRestrictedSettings(layers, true);
    assert.equal(settings.addressBook, 'planted.vcf');
    assert.equal(settings.templatesFolder, 'templates');
    assert.deepEqual(settings.ignored, []);
  });
});
