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
/** Where scripts/provision.sh unpacks Debian's Exim packages (never installed as the MTA). */
export const EXIM_DIR = process.env['SEND_AS_EMAIL_EXIM_DIR'] ?? '/opt/send-as-email/exim4';
export const EXIM = `${EXIM_DIR}/usr/sbin/exim4`;
/** libidn12, unpacked beside Exim. */
export const EXIM_LIBRARY_DIR = `${EXIM_DIR}/usr/lib/x86_64-linux-gnu`;

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

/**
 * Throws MissingPrerequisiteError unless Exim is unpacked (scripts/provision.sh), the tools that
 * give it its own user database (unshare, setpriv) exist, and we are root (unshare -m needs it).
 */
export function requireExim(): void {
  const missing = missingExecutables([
    [EXIM, 'exim4-daemon-light, unpacked by scripts/provision.sh'],
    ['/usr/bin/unshare', 'util-linux'],
    ['/usr/bin/setpriv', 'util-linux'],
    [OPENSSL, 'openssl'],
  ]);
  if (!fs.existsSync(`${EXIM_LIBRARY_DIR}/libidn.so.12`)) missing.push(`${EXIM_LIBRARY_DIR}/libidn.so.12 (libidn12, unpacked by scripts/provision.sh)`);
  if (process.getuid?.() !== 0) missing.push('root privileges (Exim runs in its own mount namespace, then as uid 65534)');
  if (missing.length > 0) throw new MissingPrerequisiteError('Exim', missing);
}
