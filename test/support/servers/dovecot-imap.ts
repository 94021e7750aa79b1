/**
 * A private Dovecot 2.3 IMAP server on loopback for the Sent-folder tests: implicit TLS
 * (993 style) and STARTTLS (143 style) on ephemeral ports, served with a fresh self-signed
 * certificate, users from a passwd-file, Maildirs under one temporary folder owned by the
 * unprivileged mail user (uid 65534). The accounts cover each way a Sent folder is found:
 *
 *   special   "Gesendet" carries `\Sent` (RFC 6154 SPECIAL-USE) and "Sent Items" exists too:
 *             the marked one must win over the name.
 *   named     only "Sent Items", unmarked: the name fallback.
 *   empty     no Sent-like folder: "Sent" must be created.
 *   full      a "Sent" folder, but a 1 KiB quota: APPEND is refused with NO [OVERQUOTA] until
 *             `setQuota('full', undefined)` lifts it (Dovecot re-reads the passwd-file).
 *
 * What the tests read back comes through Python's imaplib (imap_mailbox.py), an IMAP client
 * independent of the one under test.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestCertificate } from './certificate';
import type { TestCertificate } from './certificate';
import { makeServerRoot, startDaemon, waitUntilReady, withFreshPorts } from './daemon';
import type { ServerRoot } from './daemon';
import type { Daemon } from './daemon';
import { DOVECOT, PYTHON, requirePostfixAndDovecot } from './prerequisites';
import { runCommand, sleep, tailFile } from './processes';

const READ_SCRIPT = path.join(__dirname, 'imap_mailbox.py');
const DOVEADM = '/usr/bin/doveadm';
const MAIL_UID = 65534;
const MAIL_GID = 65534;
const DOMAIN = 'example.test';

export type DovecotAccount = 'special' | 'named' | 'empty' | 'full';

export interface ImapUser {
  readonly address: string;
  readonly password: string;
}

export interface StoredMessage {
  /** BODY.PEEK[]: the stored bytes, CRLF. */
  readonly bytes: Buffer;
  readonly flags: readonly string[];
  /** INTERNALDATE as the server wrote it, e.g. `02-Dec-2026 10:00:00 +0000`. */
  readonly internalDate: string | undefined;
}

export interface MailboxInfo {
  readonly name: string;
  readonly flags: readonly string[];
}

export interface DovecotImap {
  readonly host: string;
  /** IMAP over implicit TLS. */
  readonly imapsPort: number;
  /** IMAP with STARTTLS required before login. */
  readonly imapPort: number;
  readonly certificate: TestCertificate;
  user(account: DovecotAccount): ImapUser;
  mailboxes(account: DovecotAccount): Promise<MailboxInfo[]>;
  messages(account: DovecotAccount, mailbox: string): Promise<StoredMessage[]>;
  /**
   * The message files of a folder as Dovecot stored them in the Maildir (LF line endings), for
   * callers that cannot run the IMAP reader (the host suites, bundled away from its script).
   */
  storedFiles(account: DovecotAccount, folder: string): Buffer[];
  /** A storage quota in KiB for the account, or none; resolves once Dovecot applies it. */
  setQuota(account: DovecotAccount, kib: number | undefined): Promise<void>;
  log(): string;
  stop(): Promise<void>;
}

interface Account {
  readonly name: DovecotAccount;
  readonly address: string;
  readonly password: string;
  readonly home: string;
  /** Maildir++ folders made before start. */
  readonly folders: readonly string[];
  quotaKib: number | undefined;
}

function passwdFile(accounts: readonly Account[]): string {
  return accounts
    .map((account) => {
      const extra = account.quotaKib === undefined ? '' : `userdb_quota_rule=*:storage=${account.quotaKib}K`;
      return `${account.address}:${account.password}:${MAIL_UID}:${MAIL_GID}::${account.home}::${extra}`;
    })
    .join('\n')
    .concat('\n');
}

function dovecotConf(root: string, certificate: TestCertificate, users: string, imapPort: number, imapsPort: number): string {
  return `# Private IMAP test server: loopback only, TLS required before any login.
instance_name = sae-imap-${path.basename(root)}
base_dir = ${root}/run
state_dir = ${root}/state
log_path = ${root}/dovecot.log
info_log_path = ${root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = required
ssl_cert = <${certificate.certPath}
ssl_key = <${certificate.keyPath}
disable_plaintext_auth = yes
auth_mechanisms = plain login
auth_failure_delay = 0
mail_location = maildir:~/Maildir
first_valid_uid = ${MAIL_UID}
last_valid_uid = ${MAIL_UID}
mail_plugins = quota
plugin {
  quota = count:User quota
  quota_vsizes = yes
}
namespace inbox {
  inbox = yes
  separator = /
  mailbox Gesendet {
    special_use = \\Sent
  }
}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${users}
}
userdb {
  driver = passwd-file
  args = username_format=%u ${users}
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${imapPort}
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = ${imapsPort}
    ssl = yes
  }
}
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
`;
}

function makeMaildir(dir: string): void {
  for (const sub of ['cur', 'new', 'tmp']) fs.mkdirSync(path.join(dir, sub), { recursive: true });
}

function chownTree(dir: string): void {
  fs.chownSync(dir, MAIL_UID, MAIL_GID);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) chownTree(full);
    else fs.chownSync(full, MAIL_UID, MAIL_GID);
  }
}

interface ReadResult {
  readonly mailboxes?: MailboxInfo[];
  readonly messages?: Array<{ flags: string[]; internaldate: string | null; body: string }>;
  readonly error?: string;
}

export interface ImapReadTarget {
  readonly host: string;
  readonly port: number;
  /** CA file for implicit TLS; absent: plaintext (loopback only). */
  readonly ca: string | undefined;
  readonly user: string;
  readonly password: string;
}

/**
 * One account's mailboxes, and the messages of `mailbox` when given, read with Python's imaplib:
 * also usable against the Postfix harness's Dovecot (plaintext on loopback).
 */
export async function readImapAccount(target: ImapReadTarget, mailbox: string | undefined): Promise<{ mailboxes: MailboxInfo[]; messages: StoredMessage[] }> {
  const input = JSON.stringify({ host: target.host, port: target.port, ca: target.ca ?? '', user: target.user, password: target.password, mailbox: mailbox ?? '' });
  const result = await runCommand(PYTHON, [READ_SCRIPT], 20_000, input);
  let parsed: ReadResult = {};
  try {
    parsed = JSON.parse(result.stdout) as ReadResult;
  } catch {
    parsed = { error: `imap_mailbox.py printed no JSON: ${result.stderr.slice(-2000)}` };
  }
  if (parsed.mailboxes === undefined || parsed.messages === undefined) throw new Error(`reading ${target.user} failed: ${parsed.error ?? 'unknown'}`);
  return {
    mailboxes: parsed.mailboxes,
    messages: parsed.messages.map((m) => ({ bytes: Buffer.from(m.body, 'base64'), flags: m.flags, internalDate: m.internaldate ?? undefined })),
  };
}

/** Whether every folder from `dir` up may be entered by other users (o+x). */
function traversable(dir: string): boolean {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    if ((fs.statSync(current).mode & 0o001) === 0) return false;
    if (path.dirname(current) === current) return true;
  }
}

/**
 * The server's folder. Dovecot's processes drop to other users and must reach it: when the
 * temporary folder is private (the host suites run with TMPDIR in a 0700 folder), the POSIX
 * /tmp is used instead.
 */
function serverRoot(): ServerRoot {
  return makeServerRoot('sae-imap-', 0o755, traversable(os.tmpdir()) ? os.tmpdir() : '/tmp');
}

export async function startDovecotImap(): Promise<DovecotImap> {
  requirePostfixAndDovecot();
  const root = serverRoot();
  const dir = root.dir;
  for (const sub of ['run', 'state', 'mail']) fs.mkdirSync(path.join(dir, sub), { mode: 0o755 });
  // Its own subject name: a client trusting this and another self-signed localhost certificate
  // (one CA file for SMTP and IMAP) must be able to tell them apart.
  const certificate = await createTestCertificate(dir, 'imap.localhost');
  const secret = (): string => `Imap-${randomBytes(12).toString('base64url')}!`;
  const folders: Record<DovecotAccount, readonly string[]> = { special: ['Gesendet', 'Sent Items'], named: ['Sent Items'], empty: [], full: ['Sent'] };
  const accounts: Account[] = (Object.keys(folders) as DovecotAccount[]).map((name) => ({
    name,
    address: `${name}@${DOMAIN}`,
    password: secret(),
    home: path.join(dir, 'mail', name),
    folders: folders[name],
    quotaKib: name === 'full' ? 1 : undefined,
  }));
  for (const account of accounts) {
    const maildir = path.join(account.home, 'Maildir');
    makeMaildir(maildir);
    // Maildir++: a folder is a dot-directory of the Maildir.
    for (const folder of account.folders) makeMaildir(path.join(maildir, `.${folder}`));
    chownTree(account.home);
  }
  const users = path.join(dir, 'users');
  const writeUsers = (): void => {
    fs.writeFileSync(users, passwdFile(accounts), { mode: 0o640 });
    // Dovecot's auth process reads it as user dovecot.
    fs.chownSync(users, 0, Number(fs.readFileSync('/etc/group', 'utf8').split('\n').find((line) => line.startsWith('dovecot:'))?.split(':')[2] ?? 0));
  };
  writeUsers();
  const conf = path.join(dir, 'dovecot.conf');
  const log = path.join(dir, 'dovecot.log');

  let daemon: Daemon | undefined;
  try {
    const ports = await withFreshPorts(
      2,
      async ([imapPort = 0, imapsPort = 0]) => {
        fs.writeFileSync(conf, dovecotConf(dir, certificate, users, imapPort, imapsPort));
        daemon = startDaemon({ name: 'dovecot', command: DOVECOT, args: ['-F', '-c', conf], graceMs: 5000 });
        const started = daemon;
        try {
          await waitUntilReady(
            started,
            [
              { host: '127.0.0.1', port: imapPort, expect: '* OK', goodbye: 'a LOGOUT\r\n' },
              { host: '127.0.0.1', port: imapsPort, expect: '* OK', goodbye: 'a LOGOUT\r\n', tls: true },
            ],
            Date.now() + 20_000,
          );
        } catch (error) {
          await started.stop();
          throw new Error(`${error instanceof Error ? error.message : String(error)}\n${tailFile(log, 20)}\n${started.stderr()}`, { cause: error });
        }
        return { imapPort, imapsPort };
      },
      (error) => /address already in use/i.test(String(error)),
    );
    const errors = tailFile(log, 200).split('\n').filter((line) => /\b(Error|Fatal|Panic):/.test(line));
    if (errors.length > 0) throw new Error(`dovecot logged errors at start:\n${errors.join('\n')}`);

    const accountOf = (name: DovecotAccount): Account => accounts.find((account) => account.name === name) as Account;
    const read = async (name: DovecotAccount, mailbox: string | undefined): Promise<{ mailboxes: MailboxInfo[]; messages: StoredMessage[] }> => {
      const account = accountOf(name);
      try {
        return await readImapAccount({ host: '127.0.0.1', port: ports.imapsPort, ca: certificate.certPath, user: account.address, password: account.password }, mailbox);
      } catch (error) {
        throw new Error(`${error instanceof Error ? error.message : String(error)}\n${tailFile(log, 20)}`, { cause: error });
      }
    };
    let stopped = false;
    return {
      host: '127.0.0.1',
      imapPort: ports.imapPort,
      imapsPort: ports.imapsPort,
      certificate,
      user: (name) => ({ address: accountOf(name).address, password: accountOf(name).password }),
      mailboxes: async (name) => (await read(name, undefined)).mailboxes,
      messages: async (name, mailbox) => (await read(name, mailbox)).messages,
      storedFiles: (name, folder) => {
        const base = path.join(accountOf(name).home, 'Maildir', `.${folder.replace(/\//g, '.')}`);
        return ['new', 'cur'].flatMap((sub) => {
          const dir = path.join(base, sub);
          return fs.existsSync(dir) ? fs.readdirSync(dir).map((file) => fs.readFileSync(path.join(dir, file))) : [];
        });
      },
      setQuota: async (name, kib) => {
        accountOf(name).quotaKib = kib;
        writeUsers();
        // Dovecot notices a changed passwd-file by its stat, not at once: wait until the userdb
        // lookup (what the next login gets) reports the new rule.
        const wanted = kib === undefined ? '' : `*:storage=${kib}K`;
        const until = Date.now() + 15_000;
        for (;;) {
          const result = await runCommand(DOVEADM, ['-c', conf, 'user', '-f', 'quota_rule', accountOf(name).address], 10_000);
          if (result.stdout.trim() === wanted) return;
          if (Date.now() > until) throw new Error(`dovecot did not apply the quota ${wanted || '(none)'}: ${result.stdout}${result.stderr}`);
          await sleep(200);
        }
      },
      log: () => tailFile(log, 100_000),
      stop: async () => {
        if (stopped) return;
        stopped = true;
        await daemon?.stop();
        root.remove();
      },
    };
  } catch (error) {
    await daemon?.stop();
    root.remove();
    throw error;
  }
}
