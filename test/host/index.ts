// Runs inside the real VS Code extension host: VS Code loads this file (bundled to
// out/test/host/index.js) from the `extensionTestsPath` of the workbench payload and calls run().
// The returned promise decides the exit code that reaches the runner through codeAutomationExit.
import fs from 'node:fs';
import path from 'node:path';
import Mocha from 'mocha';

export async function run(): Promise<void> {
  // Failures then point at test/host/suite/*.ts lines, not at the bundles (esbuild writes maps).
  process.setSourceMapsEnabled(true);
  const mocha = new Mocha({
    ui: 'bdd',
    reporter: 'spec',
    // No ANSI colours: scripts/test.ts reads the "N passing" / "N failing" lines verbatim.
    color: false,
    timeout: 30_000,
  });
  // For a contributor's quick loop only (HOST_TEST_GREP=Preview); CI never sets it.
  const only = process.env['HOST_TEST_GREP'];
  if (only !== undefined && only !== '' && process.env['CI'] !== 'true') mocha.grep(only);
  // Suites are separate bundles next to this one (see build.ts); mocha requires each after it
  // has put describe/it on the global object.
  const suiteDir = path.join(__dirname, 'suite');
  const suites = fs.existsSync(suiteDir) ? fs.readdirSync(suiteDir).filter((name) => name.endsWith('.test.js')).sort() : [];
  if (suites.length === 0) throw new Error(`no suite bundles in ${suiteDir}`);
  for (const name of suites) mocha.addFile(path.join(suiteDir, name));

  const failures = await new Promise<number>((resolve, reject) => {
    try {
      mocha.run(resolve);
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
  if (failures > 0) throw new Error(`${failures} host test(s) failed`);
}
