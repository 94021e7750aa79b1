/**
 * A private Exim 4.96 on loopback: Debian's exim4-daemon-light unpacked by scripts/provision.sh
 * (never installed as the system MTA), run as an unprivileged user. Exim is the strictest of
 * the common servers about SMTP synchronisation (RFC 2920 section 3.1: without PIPELINING a
 * client must wait for each reply) and logs how every session ended, so the tests can check
 * that the client always says QUIT (RFC 5321 4.1.1.10), after failures too.
 *
 * Exim looks up its compiled-in user `Debian-exim` by name when it starts. Rather than add that
 * user to the machine, the daemon runs in its own mount namespace (`unshare -m`) in which copies
 * of /etc/passwd and /etc/group that add it are bind-mounted, then drops to uid/gid 65534 with
 * `setpriv`; the unpacked binary has no setuid bit, so it never regains root.
 *
 * Listeners (all on 127.0.0.1, free ports chosen at start):
 * - `pipeliningPort`: PIPELINING, AUTH PLAIN/LOGIN, STARTTLS, SIZE;
 * - `plainPort`: the same without PIPELINING (`pipelining_advertise_hosts` empty there);
 * - `tlsPort`: implicit TLS (`tls_on_connect_ports`).
 * One accept router delivers every recipient into one Maildir. RCPT policy: local parts starting
 * `reject` get 550, local parts starting `tempfail` get 451.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { createTestCertificate } from './certificate';
import type { TestCertificate } from './certificate';
import { makeServerRoot, startDaemon, waitUntilReady, withFreshPorts } from './daemon';
import type { Daemon } from './daemon';
import { lfToCrlf, maildirFiles } from './maildir';
import { EXIM, EXIM_LIBRARY_DIR, requireExim } from './prerequisites';
import { sleep, tailFile } from './processes';

/** The unprivileged user Exim runs as (nobody/nogroup on Debian). */
const EXIM_UID = 65534;
const EXIM_GID = 65534;

export interface EximOptions {
  /** message_size_limit, advertised as SIZE (RFC 1870). Default 512 KiB. */
  readonly messageSizeLimit?: number;
  /** Bound on start-up. Default 20 s. */
  readonly startTimeoutMs?: number;
}

/** How one SMTP connection ended, as Exim's mainlog tells. */
export interface EximSession {
  /** The client's source port. */
  readonly clientPort: number;
  /**
   * `QUIT`, `lost` (the client dropped the connection), the log line of another ending (a
   * timeout, too many errors), or undefined while the connection is open.
   */
  readonly ending: string | undefined;
  /** Every mainlog line that names this connection. */
  readonly lines: readonly string[];
}

export interface EximInstance {
  readonly host: string;
  readonly pipeliningPort: number;
  readonly plainPort: number;
  readonly tlsPort: number;
  readonly messageSizeLimit: number;
  readonly certificate: TestCertificate;
  /** Accepted by AUTH PLAIN and LOGIN on every port. */
  readonly username: string;
  readonly password: string;
  /** Every message in the Maildir, oldest first, with CRLF restored (Exim adds no header here). */
  delivered(): Buffer[];
  /** Waits for a delivered message containing `token`; returns it as sent. */
  waitForMessage(token: string, timeoutMs?: number): Promise<Buffer>;
  /** Where the mainlog is now: pass to `sessionsSince` to see only what came after. */
  logMark(): number;
  /**
   * The connections that began after `mark`, once each has ended (or after timeoutMs, with the
   * open ones as `ending: undefined`). Exim writes the ending after the client has gone.
   */
  sessionsSince(mark: number, timeoutMs?: number): Promise<EximSession[]>;
  /** The mainlog after `mark` (whole when omitted). */
  mainlog(mark?: number): string;
  stop(): Promise<void>;
}

interface Layout {
  readonly root: string;
  readonly config: string;
  readonly passwd: string;
  readonly group: string;
  readonly spool: string;
  readonly logDir: string;
  readonly maildir: string;
}

function eximConfig(layout: Layout, ports: { pipelining: number; plain: number; tls: number }, certificate: TestCertificate, account: { username: string; password: string }, sizeLimit: number): string {
  return `# Written by test/support/servers/exim.ts for one test run.
primary_hostname = exim.test
qualify_domain = exim.test
exim_path = ${EXIM}
spool_directory = ${layout.spool}
log_file_path = ${path.join(layout.logDir, '%slog')}
pid_file_path = ${path.join(layout.root, 'exim.pid')}
# Re-executed delivery processes need the unpacked libidn.
keep_environment = LD_LIBRARY_PATH
local_interfaces = <; 127.0.0.1.${ports.pipelining} ; 127.0.0.1.${ports.plain} ; 127.0.0.1.${ports.tls}
tls_on_connect_ports = ${ports.tls}
pipelining_advertise_hosts = \${if eq{$received_port}{${ports.plain}}{}{*}}
tls_advertise_hosts = *
tls_certificate = ${certificate.certPath}
tls_privatekey = ${certificate.keyPath}
host_lookup =
rfc1413_hosts =
message_size_limit = ${sizeLimit}
# Without a Received header the stored message is exactly the bytes the client sent.
received_header_text =
log_selector = +smtp_connection +incoming_port +smtp_protocol_error +smtp_syntax_error +pipelining +smtp_incomplete_transaction
acl_smtp_rcpt = acl_check_rcpt

begin acl
acl_check_rcpt:
  deny  local_parts = ^reject.*
        message = rejected by test policy
  defer local_parts = ^tempfail.*
        message = try again later (test policy)
  accept

begin routers
everyone:
  driver = accept
  transport = maildir

begin transports
maildir:
  driver = appendfile
  directory = ${layout.maildir}
  maildir_format
  create_directory
  user = Debian-exim
  group = Debian-exim
  mode = 0644
  return_path_add = false
  envelope_to_add = false
  delivery_date_add = false

begin authenticators
plain:
  driver = plaintext
  public_name = PLAIN
  server_prompts = :
  server_condition = \${if and{{eq{$auth2}{${account.username}}}{eq{$auth3}{${account.password}}}}}
  server_set_id = $auth2
login:
  driver = plaintext
  public_name = LOGIN
  server_prompts = Username:: : Password::
  server_condition = \${if and{{eq{$auth1}{${account.username}}}{eq{$auth2}{${account.password}}}}}
  server_set_id = $auth1
`;
}

/** The mainlog's connection lines, grouped by client port. */
function parseSessions(log: string): EximSession[] {
  const sessions = new Map<number, { ending: string | undefined; lines: string[] }>();
  for (const line of log.split('\n')) {
    const start = /SMTP connection from \[127\.0\.0\.1\]:(\d+) \(TCP\/IP connection count/.exec(line);
    if (start !== null) {
      sessions.set(Number(start[1]), { ending: undefined, lines: [line] });
      continue;
    }
    const port = /\[127\.0\.0\.1\]:(\d+)/.exec(line);
    const session = port === null ? undefined : sessions.get(Number(port[1]));
    if (session === undefined) continue;
    session.lines.push(line);
    if (/ closed by QUIT$/.test(line)) session.ending = 'QUIT';
    else if (/ lost( while reading message data)?/.test(line) || /unexpected disconnection/.test(line)) session.ending ??= 'lost';
    else if (/(timeout|too many|dropped|closed by DROP|closed after)/i.test(line)) session.ending ??= line;
  }
  return [...sessions].map(([clientPort, { ending, lines }]) => ({ clientPort, ending, lines }));
}

/** Starts Exim and resolves once all three listeners greet. */
export async function startExim(options: EximOptions = {}): Promise<EximInstance> {
  requireExim();
  const startTimeoutMs = options.startTimeoutMs ?? 20_000;
  const deadline = Date.now() + startTimeoutMs;
  const sizeLimit = options.messageSizeLimit ?? 512 * 1024;
  // 0o755: Exim, as uid 65534, must enter it.
  const serverRoot = makeServerRoot('sae-exim-', 0o755);
  const root = serverRoot.dir;
  const layout: Layout = {
    root,
    config: path.join(root, 'exim.conf'),
    passwd: path.join(root, 'passwd'),
    group: path.join(root, 'group'),
    spool: path.join(root, 'spool'),
    logDir: path.join(root, 'log'),
    maildir: path.join(root, 'maildir'),
  };
  for (const dir of [layout.spool, layout.logDir, layout.maildir]) {
    fs.mkdirSync(dir);
    fs.chownSync(dir, EXIM_UID, EXIM_GID);
  }
  // The namespace's view of the user database: the machine's, plus Exim's user.
  fs.writeFileSync(layout.passwd, `${fs.readFileSync('/etc/passwd', 'utf8').trimEnd()}\nDebian-exim:x:${EXIM_UID}:${EXIM_GID}:Exim test daemon:/nonexistent:/usr/sbin/nologin\n`, { mode: 0o644 });
  fs.writeFileSync(layout.group, `${fs.readFileSync('/etc/group', 'utf8').trimEnd()}\nDebian-exim:x:${EXIM_GID}:\n`, { mode: 0o644 });
  const account = { username: 'sender@exim.test', password: `exim${randomBytes(12).toString('hex')}` };
  const mainlogPath = path.join(layout.logDir, 'mainlog');
  let daemon: Daemon | undefined;

  const stop = async (): Promise<void> => {
    await daemon?.stop();
    serverRoot.remove();
  };

  try {
    const certificate = await createTestCertificate(root);
    const ports = await withFreshPorts(
      3,
      async ([pipelining = 0, plain = 0, tls = 0]) => {
        const chosen = { pipelining, plain, tls };
        // Exim refuses a configuration file others can write (and reads it as uid 65534).
        fs.writeFileSync(layout.config, eximConfig(layout, chosen, certificate, account, sizeLimit), { mode: 0o644 });
        const script = [
          'set -e',
          `mount --bind '${layout.passwd}' /etc/passwd`,
          `mount --bind '${layout.group}' /etc/group`,
          `exec setpriv --reuid=${EXIM_UID} --regid=${EXIM_GID} --clear-groups env LD_LIBRARY_PATH='${EXIM_LIBRARY_DIR}' '${EXIM}' -C '${layout.config}' -bdf -odi`,
        ].join('\n');
        const started = startDaemon({ name: 'exim', command: '/usr/bin/unshare', args: ['--mount', '--propagation', 'private', '--', '/bin/sh', '-c', script] });
        daemon = started;
        try {
          const probe = { host: '127.0.0.1', expect: '220', goodbye: 'QUIT\r\n' } as const;
          await waitUntilReady(started, [{ ...probe, port: pipelining }, { ...probe, port: plain }, { ...probe, port: tls, tls: true }], deadline);
        } catch (error) {
          await started.stop();
          throw new Error(`${error instanceof Error ? error.message : String(error)}\n--- exim stderr ---\n${started.stderr()}\n--- mainlog ---\n${tailFile(mainlogPath, 20)}\n--- paniclog ---\n${tailFile(path.join(layout.logDir, 'paniclog'), 20)}`, { cause: error });
        }
        return chosen;
      },
      (error) => /address already in use/i.test(error instanceof Error ? error.message : String(error)),
    );

    const readLog = (): string => {
      try {
        return fs.readFileSync(mainlogPath, 'utf8');
      } catch {
        return '';
      }
    };
    const delivered = (): Buffer[] => maildirFiles(layout.maildir).map((file) => lfToCrlf(fs.readFileSync(file)));

    return {
      host: '127.0.0.1',
      pipeliningPort: ports.pipelining,
      plainPort: ports.plain,
      tlsPort: ports.tls,
      messageSizeLimit: sizeLimit,
      certificate,
      username: account.username,
      password: account.password,
      delivered,
      waitForMessage: async (token, timeoutMs = 10_000) => {
        const until = Date.now() + timeoutMs;
        for (;;) {
          const found = delivered().find((message) => message.includes(token));
          if (found !== undefined) return found;
          if (Date.now() > until) throw new Error(`Exim delivered no message containing ${JSON.stringify(token)} within ${timeoutMs} ms\n--- mainlog (tail) ---\n${tailFile(mainlogPath, 30)}`);
          await sleep(15);
        }
      },
      logMark: () => Buffer.byteLength(readLog()),
      sessionsSince: async (mark, timeoutMs = 5000) => {
        const until = Date.now() + timeoutMs;
        for (;;) {
          const sessions = parseSessions(Buffer.from(readLog()).subarray(mark).toString('utf8'));
          if (sessions.every((session) => session.ending !== undefined) || Date.now() > until) return sessions;
          await sleep(20);
        }
      },
      mainlog: (mark = 0) => Buffer.from(readLog()).subarray(mark).toString('utf8'),
      stop,
    };
  } catch (error) {
    await stop();
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Exim did not start within ${startTimeoutMs} ms: ${reason}`, { cause: error });
  }
}
