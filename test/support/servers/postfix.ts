/**
 * A private Postfix 3.7 + Dovecot 2.3 instance on loopback, started and stopped by the tests:
 * real submission (STARTTLS, port-587 style) and smtps (implicit TLS, port-465 style) with
 * SASL through Dovecot, delivery into Maildirs, and IMAP from Dovecot to read them back.
 * Everything lives in one temporary folder, with free ports chosen at start; stop() leaves
 * no process and no file behind.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestCertificate } from './certificate';
import type { TestCertificate } from './certificate';
import { startDaemon, waitUntilReady } from './daemon';
import { readImapAccount } from './dovecot-imap';
import type { Daemon } from './daemon';
import { lfToCrlf, maildirFiles, readMaildirAsSent, readMaildirRaw, stripDeliveryTraceHeaders } from './maildir';
import {
  MAIL_GID,
  MAIL_UID,
  dovecotConf,
  dovecotPasswdFile,
  mainCf,
  masterCf,
  virtualMailboxMap,
} from './postfix-config';
import type { InstanceLayout, InstancePorts, MailUser } from './postfix-config';
import { freePorts } from './ports';
import { DOVECOT, POSTFIX, requirePostfixAndDovecot } from './prerequisites';
import {
  cleanupOnExit,
  descendantPids,
  processAlive,
  readPidFile,
  runCommand,
  signal,
  sleep,
  tailFile,
  terminatePids,
  waitForGreeting,
} from './processes';


export interface PostfixOptions {
  /** Domain with the named users and a catch-all. Default `example.test`. */
  readonly domain?: string;
  /** Users of `domain`. Default alice, bob, carol, dave, audit. */
  readonly localParts?: readonly string[];
  /** Postfix message_size_limit (advertised as SIZE). Default 50 MiB. */
  readonly messageSizeLimit?: number;
  /** Certificate to serve; default a fresh self-signed one (`instance.certificate`). */
  readonly certificate?: TestCertificate;
  /** Bound on the whole start-up. Default 45 s. */
  readonly startTimeoutMs?: number;
  /**
   * A Dovecot auth socket for one more submission service (STARTTLS, AUTH required), served on
   * `extraSubmissionPort`: oauth-chain.ts points it at a Dovecot with the oauth2 passdb.
   */
  readonly extraSubmissionSaslPath?: string;
}

export interface PostfixUser {
  readonly address: string;
  /** Random per run; accepted by AUTH PLAIN/LOGIN on submission/smtps and by IMAP. */
  readonly password: string;
}

export interface ReadOptions {
  /** Return the stored bytes unchanged (trace headers kept; LF endings for Maildir files). */
  readonly raw?: boolean;
}

/**
 * A send-as-email profile for alice@example.test through `instance`'s submission port (STARTTLS,
 * its CA), as the CLI's config file and the extension's settings spell it.
 */
export function aliceSubmissionProfile(instance: Pick<PostfixInstance, 'submissionPort' | 'certificate'>): Record<string, unknown> {
  return { host: 'localhost', port: instance.submissionPort, security: 'starttls', username: 'alice@example.test', from: 'Alice <alice@example.test>', tls: { ca: instance.certificate.certPath } };
}

export interface PostfixInstance {
  readonly host: string;
  /** Plain SMTP (25 style): STARTTLS offered, no AUTH; accepts mail for the served domains. */
  readonly smtpPort: number;
  /** Submission (587 style): STARTTLS required, AUTH PLAIN/LOGIN required before RCPT. */
  readonly submissionPort: number;
  /** Submission over implicit TLS (465 style): AUTH required before RCPT. */
  readonly smtpsPort: number;
  /** The submission service of `extraSubmissionSaslPath`, when one was asked for. */
  readonly extraSubmissionPort: number | undefined;
  /** Dovecot IMAP, plaintext on loopback. */
  readonly imapPort: number;
  /** `example.test` unless changed: alice, bob, carol, dave, audit, catchall and a catch-all. */
  readonly domain: string;
  /** `strict.test`: only `erin@strict.test`, no catch-all, so unknown users get 550 5.1.1 at RCPT. */
  readonly strictDomain: string;
  /** Every mailbox owner with a password (including `catchall@<domain>` and `erin@<strictDomain>`). */
  readonly users: readonly PostfixUser[];
  /** The address whose mailbox receives mail for unknown users of `domain`. */
  readonly catchAll: string;
  /** The served certificate: pass `certificate.certPem` as the client's `tls.ca`. */
  readonly certificate: TestCertificate;
  /** A user by address or local part of `domain` (throws if unknown). */
  user(name: string): PostfixUser;
  /** Absolute Maildir path of a user (by address or local part). */
  maildirOf(user: string): string;
  /** Delivered messages, oldest first, as sent: trace headers stripped and CRLF restored. */
  readDelivered(user: string, options?: ReadOptions): Promise<Buffer[]>;
  /** Every message in INBOX fetched over real IMAP from Dovecot (trace headers stripped unless raw). */
  readViaImap(user: string, password?: string, options?: ReadOptions): Promise<Buffer[]>;
  /** Waits until the user's Maildir holds at least `count` messages; returns them as readDelivered. */
  waitForDelivery(user: string, count: number, timeoutMs?: number): Promise<Buffer[]>;
  /** Waits for a delivered message containing `token` (e.g. a unique Subject); returns it as sent. */
  waitForMessage(user: string, token: string, timeoutMs?: number): Promise<Buffer>;
  /** Postfix's log so far (for diagnostics). */
  maillog(): string;
  dovecotLog(): string;
  /** Stops Postfix and Dovecot, kills leftovers, removes the folder. Idempotent. */
  stop(): Promise<void>;
}

/** Stage timings on stderr with SAE_HARNESS_DEBUG=1 (start-up and shutdown dominate suite time). */
function debug(text: string): void {
  if (process.env.SAE_HARNESS_DEBUG === '1') console.error(`[postfix harness] ${text}`);
}

const DEFAULT_LOCAL_PARTS = ['alice', 'bob', 'carol', 'dave', 'audit'] as const;

function makePassword(nonAscii: boolean): string {
  // Distinctive per run, so a leak check that searches logs for it cannot be fooled by chance.
  const random = randomBytes(12).toString('base64url');
  return nonAscii ? `Pässwörd-${random}-密码` : `S3cret-${random}!`;
}

function layoutOf(root: string, certificate: TestCertificate): InstanceLayout {
  const dovecotBaseDir = path.join(root, 'dovecot', 'run');
  return {
    root,
    etcDir: path.join(root, 'etc'),
    queueDir: path.join(root, 'queue'),
    dataDir: path.join(root, 'data'),
    maillog: path.join(root, 'log', 'maillog'),
    mailBase: path.join(root, 'mail'),
    certPath: certificate.certPath,
    keyPath: certificate.keyPath,
    dovecotBaseDir,
    dovecotStateDir: path.join(root, 'dovecot', 'state'),
    dovecotLog: path.join(root, 'dovecot', 'dovecot.log'),
    dovecotUsers: path.join(root, 'dovecot', 'users'),
    authSocket: path.join(dovecotBaseDir, 'auth-postfix'),
  };
}

/** Daemons we started: Postfix's master (by pid file) and Dovecot's master (our child). */
interface Daemons {
  dovecot: Daemon | undefined;
  postfixStarted: boolean;
}

async function stopDaemons(layout: InstanceLayout, daemons: Daemons): Promise<void> {
  if (daemons.postfixStarted) {
    daemons.postfixStarted = false;
    const master = readPidFile(path.join(layout.queueDir, 'pid', 'master.pid'));
    const tracked = master !== undefined && processAlive(master) ? [master, ...descendantPids(master)] : [];
    const t = Date.now();
    await runCommand(POSTFIX, ['-c', layout.etcDir, 'stop'], 15_000).catch(() => undefined);
    debug(`postfix stop ${Date.now() - t} ms`);
    // `postfix stop` waits for the master; anything it left (a stuck child) gets killed by pid.
    await terminatePids(tracked.filter(processAlive), 2000);
  }
  const dovecot = daemons.dovecot;
  if (dovecot !== undefined) {
    const t = Date.now();
    await dovecot.stop();
    debug(`dovecot stop ${Date.now() - t} ms`);
  }
}

function killDaemonsNow(layout: InstanceLayout, daemons: Daemons): void {
  const master = readPidFile(path.join(layout.queueDir, 'pid', 'master.pid'));
  const pids: number[] = [];
  if (daemons.postfixStarted && master !== undefined) pids.push(master, ...descendantPids(master));
  // Dovecot is a harness daemon: its own exit hook ends it.
  for (const pid of pids) signal(pid, 'SIGKILL');
}

async function startDovecot(layout: InstanceLayout, ports: InstancePorts, daemons: Daemons, deadline: number): Promise<void> {
  const conf = path.join(layout.root, 'dovecot', 'dovecot.conf');
  // -F: stay in the foreground as our child, so we know its pid and see it die.
  const dovecot = startDaemon({ name: 'dovecot', command: DOVECOT, args: ['-F', '-c', conf], graceMs: 5000 });
  daemons.dovecot = dovecot;
  const isDead = (): string | undefined => dovecot.exited();
  await waitUntilReady(dovecot, [{ host: '127.0.0.1', port: ports.imap, expect: '* OK', goodbye: 'a LOGOUT\r\n' }], deadline);
  // A broken passdb (say, an unreadable users file) only shows in the log: fail now, not at AUTH.
  const errors = tailFile(layout.dovecotLog, 200).split('\n').filter((line) => /\b(Error|Fatal|Panic):/.test(line));
  if (errors.length > 0) throw new Error(`dovecot logged errors at start:\n${errors.join('\n')}`);
  while (!fs.existsSync(layout.authSocket)) {
    if (Date.now() > deadline) throw new Error(`dovecot auth socket ${layout.authSocket} did not appear`);
    const dead = isDead();
    if (dead !== undefined) throw new Error(dead);
    await sleep(20);
  }
}

/** uid or gid of a name from /etc/passwd or /etc/group. */
function idOf(file: '/etc/passwd' | '/etc/group', name: string): number {
  const line = fs.readFileSync(file, 'utf8').split('\n').find((entry) => entry.startsWith(`${name}:`));
  const id = Number(line?.split(':')[2]);
  if (line === undefined || !Number.isInteger(id)) throw new Error(`no ${name} in ${file} (is Postfix installed?)`);
  return id;
}

/**
 * Creates the queue and data folders the way Postfix's postfix-files lists them, then marks
 * the queue `quick-start`: `postfix start` then skips its integrity check (post-install and
 * `postfix check`), which takes 5 to 8 s on two cores. The master still fails loudly on a bad
 * configuration (`master -w`).
 */
function prepareQueue(layout: InstanceLayout): void {
  const postfixUid = idOf('/etc/passwd', 'postfix');
  const postfixGid = idOf('/etc/group', 'postfix');
  const postdropGid = idOf('/etc/group', 'postdrop');
  const make = (dir: string, uid: number, gid: number, mode: number): void => {
    fs.mkdirSync(dir, { recursive: true });
    fs.chownSync(dir, uid, gid);
    fs.chmodSync(dir, mode);
  };
  make(layout.queueDir, 0, 0, 0o755);
  make(layout.dataDir, postfixUid, postfixGid, 0o700);
  for (const sub of ['active', 'bounce', 'corrupt', 'defer', 'deferred', 'flush', 'hold', 'incoming', 'private', 'saved', 'trace']) {
    make(path.join(layout.queueDir, sub), postfixUid, postfixGid, 0o700);
  }
  make(path.join(layout.queueDir, 'maildrop'), postfixUid, postdropGid, 0o730);
  make(path.join(layout.queueDir, 'public'), postfixUid, postdropGid, 0o710);
  make(path.join(layout.queueDir, 'pid'), 0, 0, 0o755);
  fs.writeFileSync(path.join(layout.queueDir, 'quick-start'), '');
}

async function startPostfixMaster(layout: InstanceLayout, ports: InstancePorts, daemons: Daemons, deadline: number): Promise<void> {
  prepareQueue(layout);
  const result = await runCommand(POSTFIX, ['-c', layout.etcDir, 'start'], Math.max(1000, deadline - Date.now()));
  daemons.postfixStarted = true;
  if (result.code !== 0) {
    throw new Error(`postfix start exited ${result.code ?? result.signal}: ${(result.stderr + result.stdout).trim()}`);
  }
  const masterPid = path.join(layout.queueDir, 'pid', 'master.pid');
  const isDead = (): string | undefined => {
    const pid = readPidFile(masterPid);
    return pid !== undefined && !processAlive(pid) ? 'the Postfix master process exited' : undefined;
  };
  const probe = { host: '127.0.0.1', expect: '220', goodbye: 'QUIT\r\n' } as const;
  // Each service starts its own smtpd on first contact (~0.5 s each): probe them together.
  await Promise.all([
    waitForGreeting({ ...probe, port: ports.smtp }, deadline - Date.now(), isDead),
    waitForGreeting({ ...probe, port: ports.submission }, deadline - Date.now(), isDead),
    waitForGreeting({ ...probe, port: ports.smtps, tls: true }, deadline - Date.now(), isDead),
    ...(ports.extraSubmission === undefined ? [] : [waitForGreeting({ ...probe, port: ports.extraSubmission.port }, deadline - Date.now(), isDead)]),
  ]);
}

/** Starts Dovecot, then Postfix (Postfix's smtpd needs Dovecot's auth socket). */
export async function startPostfix(options: PostfixOptions = {}): Promise<PostfixInstance> {
  requirePostfixAndDovecot();
  const domain = options.domain ?? 'example.test';
  const strictDomain = 'strict.test';
  const startTimeoutMs = options.startTimeoutMs ?? 45_000;
  const deadline = Date.now() + startTimeoutMs;

  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sae-pf-'));
  // Postfix daemons (user postfix) and the Maildir writers (uid 65534) must traverse it.
  fs.chmodSync(root, 0o755);
  for (const dir of ['etc', 'queue', 'log', 'dovecot', 'dovecot/state']) fs.mkdirSync(path.join(root, dir), { mode: 0o755 });
  fs.mkdirSync(path.join(root, 'mail'), { mode: 0o755 });
  fs.chownSync(path.join(root, 'mail'), MAIL_UID, MAIL_GID);

  const daemons: Daemons = { dovecot: undefined, postfixStarted: false };
  let layout: InstanceLayout | undefined;
  const unregister = cleanupOnExit(() => {
    if (layout !== undefined) killDaemonsNow(layout, daemons);
    fs.rmSync(root, { recursive: true, force: true });
  });
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    if (layout !== undefined) await stopDaemons(layout, daemons);
    unregister();
    fs.rmSync(root, { recursive: true, force: true });
  };

  const mailUsers: MailUser[] = [
    ...[...(options.localParts ?? DEFAULT_LOCAL_PARTS), 'catchall'].map((local) => ({
      address: `${local}@${domain}`,
      // dave's password has non-ASCII characters: AUTH must send UTF-8 (RFC 4616 section 2).
      password: makePassword(local === 'dave'),
      maildir: `${domain}/${local}/`,
    })),
    { address: `erin@${strictDomain}`, password: makePassword(false), maildir: `${strictDomain}/erin/` },
  ];
  const catchAll = `catchall@${domain}`;

  try {
    const certificate = options.certificate ?? (await createTestCertificate(path.join(root, 'etc')));
    layout = layoutOf(root, certificate);
    const fixedLayout = layout;
    fs.writeFileSync(path.join(fixedLayout.etcDir, 'vmailbox'), virtualMailboxMap(mailUsers, new Map([[domain, `${domain}/catchall/`]])));
    // Dovecot's auth process reads it as user dovecot; nobody else needs the passwords.
    fs.writeFileSync(fixedLayout.dovecotUsers, dovecotPasswdFile(mailUsers, fixedLayout.mailBase), { mode: 0o640 });
    fs.chownSync(fixedLayout.dovecotUsers, 0, idOf('/etc/group', 'dovecot'));

    // A port can be taken between choosing and binding it: retry with fresh ones.
    let ports: InstancePorts | undefined;
    for (let attempt = 1; ports === undefined; attempt++) {
      const [smtp, submission, smtps, imap, extra] = await freePorts(5);
      const saslPath = options.extraSubmissionSaslPath;
      const candidate: InstancePorts = {
        smtp: smtp as number,
        submission: submission as number,
        smtps: smtps as number,
        imap: imap as number,
        ...(saslPath === undefined ? {} : { extraSubmission: { port: extra as number, saslPath } }),
      };
      fs.writeFileSync(path.join(fixedLayout.etcDir, 'main.cf'), mainCf(fixedLayout, [domain, strictDomain], options.messageSizeLimit ?? 50 * 1024 * 1024));
      fs.writeFileSync(path.join(fixedLayout.etcDir, 'master.cf'), masterCf(candidate));
      fs.writeFileSync(path.join(root, 'dovecot', 'dovecot.conf'), dovecotConf(fixedLayout, candidate, `sae-${path.basename(root)}`));
      try {
        const t0 = Date.now();
        await startDovecot(fixedLayout, candidate, daemons, deadline);
        const t1 = Date.now();
        await startPostfixMaster(fixedLayout, candidate, daemons, deadline);
        debug(`started dovecot in ${t1 - t0} ms, postfix in ${Date.now() - t1} ms`);
        ports = candidate;
      } catch (error) {
        const logs = tailFile(fixedLayout.maillog, 40) + tailFile(fixedLayout.dovecotLog, 40) + (daemons.dovecot?.stderr() ?? '');
        await stopDaemons(fixedLayout, daemons);
        if (attempt >= 3 || !/address already in use/i.test(logs) || Date.now() > deadline) throw error;
      }
    }

    const readyPorts = ports;
    const userOf = (name: string): PostfixUser => {
      const address = name.includes('@') ? name : `${name}@${domain}`;
      const found = mailUsers.find((user) => user.address.toLowerCase() === address.toLowerCase());
      if (found === undefined) throw new Error(`no user ${address} in this Postfix instance`);
      return { address: found.address, password: found.password };
    };
    const maildirOf = (name: string): string => {
      const address = userOf(name).address;
      const found = mailUsers.find((user) => user.address === address) as MailUser;
      return path.join(fixedLayout.mailBase, found.maildir);
    };
    const diagnostics = (): string =>
      `\n--- maillog (tail) ---\n${tailFile(fixedLayout.maillog, 30)}\n--- dovecot log (tail) ---\n${tailFile(fixedLayout.dovecotLog, 15)}`;

    const instance: PostfixInstance = {
      host: '127.0.0.1',
      smtpPort: readyPorts.smtp,
      submissionPort: readyPorts.submission,
      smtpsPort: readyPorts.smtps,
      extraSubmissionPort: readyPorts.extraSubmission?.port,
      imapPort: readyPorts.imap,
      domain,
      strictDomain,
      users: mailUsers.map(({ address, password }) => ({ address, password })),
      catchAll,
      certificate,
      user: userOf,
      maildirOf,
      readDelivered: (user, readOptions) => {
        const dir = maildirOf(user);
        return Promise.resolve(readOptions?.raw ? readMaildirRaw(dir) : readMaildirAsSent(dir));
      },
      readViaImap: async (user, password, readOptions) => {
        const account = userOf(user);
        // The same independent client (Python's imaplib) the Sent-folder tests read with.
        const target = { host: '127.0.0.1', port: readyPorts.imap, ca: undefined, user: account.address, password: password ?? account.password };
        const { messages } = await readImapAccount(target, 'INBOX').catch((error: unknown) => {
          throw new Error(`IMAP fetch for ${account.address} failed: ${error instanceof Error ? error.message : String(error)}${diagnostics()}`);
        });
        const raw = messages.map((message) => message.bytes);
        // IMAP serves CRLF already (RFC 3501 literals); lfToCrlf leaves CRLF alone.
        return readOptions?.raw ? raw : raw.map((message) => lfToCrlf(stripDeliveryTraceHeaders(message)));
      },
      waitForDelivery: async (user, count, timeoutMs = 10_000) => {
        const dir = maildirOf(user);
        const until = Date.now() + timeoutMs;
        while (maildirFiles(dir).length < count) {
          if (Date.now() > until) {
            throw new Error(`${userOf(user).address} has ${maildirFiles(dir).length} message(s), expected ${count} within ${timeoutMs} ms${diagnostics()}`);
          }
          await sleep(15);
        }
        return readMaildirAsSent(dir);
      },
      waitForMessage: async (user, token, timeoutMs = 10_000) => {
        const dir = maildirFiles.bind(undefined, maildirOf(user));
        const until = Date.now() + timeoutMs;
        for (;;) {
          for (const file of dir()) {
            const raw = fs.readFileSync(file);
            if (raw.includes(token)) return lfToCrlf(stripDeliveryTraceHeaders(raw));
          }
          if (Date.now() > until) throw new Error(`no message containing ${JSON.stringify(token)} for ${userOf(user).address} within ${timeoutMs} ms${diagnostics()}`);
          await sleep(15);
        }
      },
      maillog: () => tailFile(fixedLayout.maillog, 100_000),
      dovecotLog: () => tailFile(fixedLayout.dovecotLog, 100_000),
      stop,
    };
    return instance;
  } catch (error) {
    const logs = layout === undefined ? '' : `\n--- maillog (tail) ---\n${tailFile(layout.maillog, 30)}\n--- dovecot log (tail) ---\n${tailFile(layout.dovecotLog, 20)}\n--- dovecot stderr ---\n${(daemons.dovecot?.stderr() ?? '').trim()}`;
    await stop();
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Postfix + Dovecot did not start within ${startTimeoutMs} ms: ${reason}${logs}`, { cause: error });
  }
}
