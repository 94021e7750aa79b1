/**
 * Which outside programs the real-server harness needs, and a typed error naming the missing one.
 * Tests turn that error into a skip on a developer machine, and into a failure under CI=true
 * (see `skipOrFail` in mocha-support.ts), so CI can never pass by skipping.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

export const PYTHON = '/usr/bin/python3';
export const POSTFIX = '/usr/sbin/postfix';
export const POSTCONF = '/usr/sbin/postconf';
export const DOVECOT = '/usr/sbin/dovecot';
export const OPENSSL = '/usr/bin/openssl';

/** Thrown before anything is started when a program or module the harness needs is absent. */
export class MissingPrerequisiteError extends Error {
  /** Each missing thing, e.g. `/usr/sbin/postfix (Debian package postfix)`. */
  readonly missing: readonly string[];
  constructor(what: string, missing: readonly string[]) {
    super(`${what} cannot start: missing ${missing.join(', ')}. On Debian, as root: scripts/provision.sh`);
    this.missing = missing;
  }
  override get name(): string {
    return 'MissingPrerequisiteError';
  }
}

function executable(path: string): boolean {
  try {
    fs.accessSync(path, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function missingExecutables(wanted: ReadonlyArray<readonly [string, string]>): string[] {
  return wanted.filter(([path]) => !executable(path)).map(([path, pkg]) => `${path} (Debian package ${pkg})`);
}

let aiosmtpdChecked: boolean | undefined;

/** Throws MissingPrerequisiteError unless /usr/bin/python3 can import aiosmtpd and openssl exists. */
export function requireAiosmtpd(): void {
  const missing = missingExecutables([[PYTHON, 'python3'], [OPENSSL, 'openssl']]);
  if (missing.length === 0) {
    aiosmtpdChecked ??= spawnSync(PYTHON, ['-c', 'import aiosmtpd.smtp'], { stdio: 'ignore', timeout: 10_000 }).status === 0;
    if (!aiosmtpdChecked) missing.push('Python module aiosmtpd for /usr/bin/python3 (Debian package python3-aiosmtpd)');
  }
  if (missing.length > 0) throw new MissingPrerequisiteError('aiosmtpd', missing);
}

/** Throws MissingPrerequisiteError unless Postfix, Dovecot (with imap) and openssl are installed, and we are root. */
export function requirePostfixAndDovecot(): void {
  const missing = missingExecutables([
    [POSTFIX, 'postfix'],
    [POSTCONF, 'postfix'],
    [DOVECOT, 'dovecot-core'],
    ['/usr/lib/dovecot/imap', 'dovecot-imapd'],
    ['/usr/lib/dovecot/imap-login', 'dovecot-imapd'],
    [OPENSSL, 'openssl'],
    [PYTHON, 'python3'],
  ]);
  // Postfix's master and Dovecot start as root and drop privileges to their own users.
  if (process.getuid?.() !== 0) missing.push('root privileges (Postfix and Dovecot daemons must start as root)');
  if (missing.length > 0) throw new MissingPrerequisiteError('Postfix + Dovecot', missing);
}
