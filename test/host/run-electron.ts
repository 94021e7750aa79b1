// The same host suites under desktop VS Code (Electron) through @vscode/test-electron:
//   npx tsx test/host/run-electron.ts
// For machines WITH internet only: runTests downloads VS Code from update.code.visualstudio.com
// into .vscode-test/, which is unreachable here (ENOTFOUND), so CI on this kind of machine uses
// test/host/run.ts (code-server + Chromium) instead. Both load the same out/test/host/index.js
// and suite bundles, so a suite that passes in one should pass in the other; the environment
// file says `host: 'electron'`, so host-specific checks (appName, uiKind) know what to expect.
// On a headless Linux box run it under xvfb-run. Not run here; it only has to type-check.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { buildHostTests, hostIndexJs } from './build';
import { repoRoot } from './code-server';
import { hostTestEnvVar, writeHostTestEnvironment } from './host-environment';
import { prepareWorkspace } from './run';

/** The VS Code version the manifest's engines.vscode (^1.100.0) promises to support. */
const vscodeVersion = process.env.VSCODE_TEST_VERSION ?? '1.100.3';

async function main(): Promise<number> {
  await buildHostTests({ hostOnly: process.env.HOST_TEST_BUILD === 'host-only' });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'send-as-email-electron-'));
  try {
    const workspace = path.join(tmp, 'workspace');
    prepareWorkspace(workspace);
    const userDataDir = path.join(tmp, 'user-data');
    const environmentFile = writeHostTestEnvironment({ host: 'electron', workspace, userDataDir, extensionPath: repoRoot });
    await runTests({
      version: vscodeVersion,
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: hostIndexJs,
      extensionTestsEnv: { [hostTestEnvVar]: environmentFile },
      launchArgs: [
        workspace,
        '--user-data-dir', userDataDir,
        '--extensions-dir', path.join(tmp, 'extensions'),
        '--disable-extensions',
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
      ],
    });
    return 0;
  } catch (error) {
    console.error(`host (electron): FAILED: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
  }
}

if (require.main === module) {
  void main().then((code) => process.exit(code));
}
