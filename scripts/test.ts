/**
 * `npm test`: type-check, lint, build, then every suite, each in its own process.
 * Suites that need real servers or a real VS Code provision them first on a machine of this
 * kind (Debian, root) through scripts/provision.sh; elsewhere they are skipped with the reason
 * printed. Under CI=true a missing prerequisite or any pending test is a failure, not a skip.
 *
 *   npx tsx scripts/test.ts [typecheck] [lint] [build] [unit] [protocol] [browser] [interop] [host] [smoke]
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { EXIM, EXIM_LIBRARY_DIR } from '../test/support/servers/prerequisites';

const root = path.resolve(__dirname, '..');
const ci = process.env['CI'] === 'true';
const only = process.argv.slice(2);
const bin = (name: string): string => path.join(root, 'node_modules', '.bin', name);

const SUITES = ['typecheck', 'lint', 'build', 'unit', 'protocol', 'browser', 'interop', 'host', 'smoke'] as const;
type SuiteName = (typeof SUITES)[number];
const unknown = only.filter((name) => !(SUITES as readonly string[]).includes(name));
if (unknown.length > 0) {
  console.error(`unknown suite(s): ${unknown.join(', ')}; known: ${SUITES.join(', ')}`);
  process.exit(2);
}

const totals = { passed: 0, failed: 0, skipped: 0 };
const failures: string[] = [];

interface RunOptions {
  /** Read mocha's "N passing / failing / pending" lines into the totals. */
  readonly counts?: boolean;
}

function run(label: string, command: string, args: readonly string[], options: RunOptions = {}): boolean {
  console.log(`\n=== ${label} ===`);
  const result = spawnSync(command, [...args], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], env: process.env });
  const out = result.stdout ?? '';
  process.stdout.write(out);
  if (options.counts === true) {
    const num = (re: RegExp): number => Number(re.exec(out)?.[1] ?? 0);
    totals.passed += num(/^\s*(\d+) passing/m);
    totals.failed += num(/^\s*(\d+) failing/m);
    const pending = num(/^\s*(\d+) pending/m);
    totals.skipped += pending;
    if (ci && pending > 0) failures.push(`${label}: ${pending} pending test(s) under CI=true`);
  }
  if (result.status !== 0) failures.push(`${label}: exit ${result.status ?? result.signal ?? result.error?.message ?? 'unknown'}`);
  return result.status === 0;
}

type Prerequisite = 'postfix' | 'aiosmtpd' | 'exim' | 'codeServer' | 'chromium';

/** Which prerequisites are here. */
function prerequisites(): Record<Prerequisite, boolean> {
  return {
    postfix: fs.existsSync('/usr/sbin/postfix') && fs.existsSync('/usr/sbin/dovecot'),
    aiosmtpd: spawnSync('/usr/bin/python3', ['-c', 'import aiosmtpd'], { stdio: 'ignore' }).status === 0,
    exim: fs.existsSync(EXIM) && fs.existsSync(path.join(EXIM_LIBRARY_DIR, 'libidn.so.12')),
    codeServer: fs.existsSync(path.join(root, '.vscode-test', 'code-server', 'node_modules', '.bin', 'code-server')),
    chromium: fs.existsSync('/usr/bin/chromium'),
  };
}

/** Provisions what is missing when we can (root on Debian). */
function ensurePrerequisites(): Record<Prerequisite, boolean> {
  let have = prerequisites();
  const missing = Object.entries(have).filter(([, ok]) => !ok).map(([name]) => name);
  if (missing.length === 0) return have;
  const canProvision = process.getuid?.() === 0 && fs.existsSync('/usr/bin/apt-get') && process.env['SEND_AS_EMAIL_NO_PROVISION'] !== '1';
  if (canProvision) {
    console.log(`Provisioning missing test prerequisites: ${missing.join(', ')}`);
    spawnSync('bash', [path.join(root, 'scripts', 'provision.sh')], { cwd: root, stdio: 'inherit' });
    have = prerequisites();
  }
  return have;
}

function suite(name: SuiteName): boolean {
  return only.length === 0 || only.includes(name);
}

/** Runs a suite only when its prerequisites are there; a missing one fails under CI=true. */
function withPrerequisites(label: string, needs: readonly Prerequisite[], have: Record<Prerequisite, boolean>, go: () => void): void {
  const missing = needs.filter((name) => !have[name]);
  if (missing.length === 0) return go();
  if (ci) failures.push(`${label}: prerequisites missing under CI=true: ${missing.join(', ')}`);
  else console.log(`\nSKIPPED ${label}: ${missing.join(', ')} not installed (run scripts/provision.sh as root on Debian).`);
}

const mocha = (pattern: string, extra: readonly string[] = []): [string, string[]] => [bin('mocha'), ['--config', '.mocharc.json', ...extra, pattern]];

if (suite('typecheck')) run('type-check', bin('tsc'), ['--noEmit', '-p', '.']);
if (suite('lint')) run('lint', bin('eslint'), ['src', 'test', 'bench', 'scripts']);
if (suite('build')) run('build', process.execPath, ['esbuild.js']);
if (suite('unit')) run('unit', ...mocha('test/unit/**/*.test.ts'), { counts: true });
if (suite('protocol')) run('protocol (scripted server, smtp-server)', ...mocha('test/protocol/**/*.test.ts'), { counts: true });

const needsReal = suite('browser') || suite('interop') || suite('host') || suite('smoke');
const have = needsReal ? ensurePrerequisites() : prerequisites();
if (suite('browser')) {
  withPrerequisites('browser', ['chromium'], have, () => {
    run('browser (the HTML part in headless Chromium)', ...mocha('test/browser/**/*.test.ts', ['--timeout', '120000']), { counts: true });
  });
}
if (suite('interop')) {
  withPrerequisites('interop', ['postfix', 'aiosmtpd', 'exim'], have, () => {
    run('interop (aiosmtpd, Postfix + Dovecot, Exim)', ...mocha('test/interop/**/*.test.ts', ['--timeout', '120000']), { counts: true });
  });
}
if (suite('host')) {
  withPrerequisites('host suite', ['codeServer', 'chromium'], have, () => {
    run('host (real VS Code: code-server)', bin('tsx'), ['test/host/run.ts'], { counts: true });
  });
}
if (suite('smoke')) {
  // After the host suite: packaging rewrites dist/extension.js (production build).
  withPrerequisites('UI smoke test', ['codeServer', 'chromium'], have, () => {
    run('UI smoke (.vsix in code-server, Command Palette)', ...mocha('test/smoke/**/*.test.ts', ['--timeout', '300000']), { counts: true });
  });
}

console.log('\n=== summary ===');
for (const failure of failures) console.log(`FAILED ${failure}`);
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failures.length === 0 && totals.failed === 0 ? 0 : 1);
