// Localisation as a real VS Code loads it: the manifest declares the l10n folder, and the
// workbench resolves every %key% of package.json from package.nls.json. That every template in
// src/ has its zh-CN translation is checked without a host, by test/unit/l10n.test.ts.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID } from './support/extension';

describe('localisation', () => {
  it('declares the l10n folder in the manifest', () => {
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as { l10n?: string };
    assert.equal(manifest.l10n, './l10n');
  });

  it('resolves every %key% of the manifest (no placeholder reaches the UI)', () => {
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as unknown;
    const unresolved = JSON.stringify(manifest).match(/"%[^%"\s]+%"/g) ?? [];
    assert.deepEqual(unresolved, []);
  });
});
