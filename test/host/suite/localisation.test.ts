// Every user-facing string has its Simplified Chinese translation: the manifest's %keys% in
// package.nls.zh-cn.json, and every vscode.l10n.t(...) message of the extension layer in
// l10n/bundle.l10n.zh-cn.json with the same {n} placeholders.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID } from './support/extension';

function extensionRoot(): string {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension);
  return extension.extensionPath;
}

function readJson(file: string): Record<string, string> {
  return JSON.parse(fs.readFileSync(path.join(extensionRoot(), file), 'utf8')) as Record<string, string>;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(full) : entry.name.endsWith('.ts') ? [full] : [];
  });
}

/**
 * First arguments of vscode.l10n.t('…'), single-quoted as this code base writes them, plus the
 * failure explanations of src/core/explain.ts (its `t('…')` templates and the providers' password
 * advice), which the extension translates by passing vscode.l10n.t in as the translator.
 */
function runtimeMessages(): string[] {
  const messages = new Set<string>();
  const collect = (file: string, pattern: RegExp): void => {
    const text = fs.readFileSync(file, 'utf8');
    for (const match of text.matchAll(pattern)) messages.add((match[1] ?? '').replace(/\\'/g, "'"));
  };
  for (const folder of ['src/commands', 'src/host']) {
    for (const file of sourceFiles(path.join(extensionRoot(), folder))) collect(file, /l10n\.t\(\s*'((?:[^'\\]|\\.)*)'/g);
  }
  collect(path.join(extensionRoot(), 'src', 'core', 'explain.ts'), /\bt\(\s*'((?:[^'\\]|\\.)*)'/g);
  collect(path.join(extensionRoot(), 'src', 'core', 'profiles.ts'), /passwordAdvice: '((?:[^'\\]|\\.)*)'/g);
  return [...messages];
}

const placeholders = (text: string): string[] => [...text.matchAll(/\{\d+\}/g)].map((m) => m[0]).sort();

describe('localisation', () => {
  it('translates every manifest string, and every %key% in package.json exists', () => {
    const english = readJson('package.nls.json');
    const chinese = readJson('package.nls.zh-cn.json');
    assert.deepEqual(Object.keys(chinese).sort(), Object.keys(english).sort());
    const manifest = fs.readFileSync(path.join(extensionRoot(), 'package.json'), 'utf8');
    const used = [...new Set([...manifest.matchAll(/"%([^%"]+)%"/g)].map((m) => m[1] ?? ''))];
    assert.ok(used.length > 20, `only ${used.length} %keys% found`);
    for (const key of used) assert.ok(key in english, `package.json uses %${key}% which package.nls.json lacks`);
  });

  it('translates every runtime message with the same placeholders', () => {
    const bundle = readJson('l10n/bundle.l10n.zh-cn.json');
    const messages = runtimeMessages();
    assert.ok(messages.length > 40, `only ${messages.length} messages found`);
    for (const message of messages) {
      const translation = bundle[message];
      assert.ok(translation !== undefined && translation !== '', `no zh-cn translation for "${message}"`);
      assert.deepEqual(placeholders(translation), placeholders(message), `placeholders differ for "${message}"`);
    }
    assert.deepEqual(Object.keys(bundle).filter((key) => !messages.includes(key)), [], 'stale translations');
  });

  it('declares the l10n folder in the manifest', () => {
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as { l10n?: string };
    assert.equal(manifest.l10n, './l10n');
  });
});
