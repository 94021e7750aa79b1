/**
 * aiosmtpd (Python, Debian's python3-aiosmtpd) as an SMTP sink in its own process. It offers
 * SIZE, 8BITMIME, SMTPUTF8, STARTTLS and AUTH PLAIN/LOGIN but no PIPELINING, so it exercises
 * a client's sequential, one-command-at-a-time path. What it stores is exact:
 * `envelope.original_content` is the DATA bytes after dot-unstuffing, CRLF kept.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createTestCertificate } from './certificate';
import type { TestCertificate } from './certificate';
import { makeServerRoot, startDaemon, waitUntilReady } from './daemon';
import type { Daemon } from './daemon';
import { PYTHON, requireAiosmtpd } from './prerequisites';
import { sleep } from './processes';

const SCRIPT = path.join(__dirname, 'aiosmtpd_server.py');

export interface AiosmtpdOptions {
  /** Offer STARTTLS on `port` and open an implicit-TLS listener on `tlsPort`. Default false. */
  readonly tls?: boolean;
  /** Certificate to use with `tls`; default: a fresh self-signed one (see `server.certificate`). */
  readonly certificate?: TestCertificate;
  /** Accept exactly this user and password for AUTH PLAIN/LOGIN; without it every AUTH fails. */
  readonly auth?: { readonly username: string; readonly password: string };
  /** Advertise SMTPUTF8 (RFC 6531). Default true. */
  readonly smtputf8?: boolean;
  /** Refuse everything but EHLO/STARTTLS/QUIT before STARTTLS. Default false. */
  readonly requireStartTls?: boolean;
  /** Refuse MAIL before AUTH. Default false. */
  readonly authRequired?: boolean;
  /** Offer AUTH on the plain listener only after STARTTLS (aiosmtpd's default). Default true. */
  readonly authRequireTls?: boolean;
  /** SIZE limit advertised and enforced. Default 32 MiB. */
  readonly dataSizeLimit?: number;
  /** Name in the greeting and EHLO reply. Default `aiosmtpd.test`. */
  readonly hostname?: string;
  /** Bound on start-up. Default 15 s. */
  readonly startTimeoutMs?: number;
}

/** One message as aiosmtpd received it. */
export interface CapturedMessage {
  /** 1, 2, 3... in arrival order. */
  readonly seq: number;
  readonly mailFrom: string;
  readonly rcptTos: readonly string[];
  /** MAIL FROM parameters as sent, e.g. `SIZE=123`, `BODY=8BITMIME`, `SMTPUTF8`. */
  readonly mailOptions: readonly string[];
  readonly rcptOptions: readonly string[];
  readonly smtpUtf8: boolean;
  /** The EHLO/HELO name the client gave. */
  readonly heloName: string | null;
  /** `TLSv1.3` etc. when the message came over TLS (implicit or STARTTLS), else null. */
  readonly tlsVersion: string | null;
  readonly authenticatedAs: string | null;
  /** `PLAIN` or `LOGIN` when authenticated. */
  readonly authMechanism: string | null;
  /** The exact DATA bytes, dot-unstuffed, without the terminating `.CRLF`. */
  readonly content: Buffer;
}

export interface AiosmtpdServer {
  readonly host: string;
  /** Plaintext port; offers STARTTLS when started with `tls`. */
  readonly port: number;
  /** Implicit-TLS port, present when started with `tls`. */
  readonly tlsPort?: number;
  /** The certificate served, present when started with `tls`; pass `certPem` as the client's `tls.ca`. */
  readonly certificate?: TestCertificate;
  /** Every message stored so far, in arrival order (complete once the client saw the 250). */
  messages(): Promise<CapturedMessage[]>;
  /** Waits until at least `count` messages are stored; throws after timeoutMs. */
  waitForMessages(count: number, timeoutMs?: number): Promise<CapturedMessage[]>;
  /** What aiosmtpd wrote to stderr (its warnings and tracebacks). */
  stderr(): string;
  /** Stops the process and removes its temporary folder. Idempotent. */
  stop(): Promise<void>;
}

interface RawRecord {
  seq: number;
  mailFrom: string;
  rcptTos: string[];
  mailOptions: string[];
  rcptOptions: string[];
  smtpUtf8: boolean;
  heloName: string | null;
  tlsVersion: string | null;
  authenticatedAs: string | null;
  authMechanism: string | null;
  content: string;
}

function readMessages(outDir: string): CapturedMessage[] {
  const files = fs.readdirSync(outDir).filter((name) => /^\d+\.json$/.test(name)).sort();
  return files.map((name) => {
    const raw = JSON.parse(fs.readFileSync(path.join(outDir, name), 'utf8')) as RawRecord;
    return { ...raw, content: Buffer.from(raw.content, 'base64') };
  });
}

/** Starts aiosmtpd on 127.0.0.1 and resolves once every listener answers with 220. */
export async function startAiosmtpd(options: AiosmtpdOptions = {}): Promise<AiosmtpdServer> {
  requireAiosmtpd();
  const host = '127.0.0.1';
  const startTimeoutMs = options.startTimeoutMs ?? 15_000;
  const deadline = Date.now() + startTimeoutMs;
  const serverRoot = makeServerRoot('sae-aio-');
  const root = serverRoot.dir;
  const outDir = path.join(root, 'messages');
  fs.mkdirSync(outDir);
  let daemon: Daemon | undefined;

  const stop = async (): Promise<void> => {
    await daemon?.stop();
    serverRoot.remove();
  };

  try {
    const certificate = options.tls ? (options.certificate ?? (await createTestCertificate(root))) : undefined;
    const config = {
      host,
      outDir,
      hostname: options.hostname ?? 'aiosmtpd.test',
      smtputf8: options.smtputf8 ?? true,
      requireStartTls: options.requireStartTls ?? false,
      authRequired: options.authRequired ?? false,
      authRequireTls: options.authRequireTls ?? true,
      dataSizeLimit: options.dataSizeLimit ?? 32 * 1024 * 1024,
      ...(certificate ? { certPath: certificate.certPath, keyPath: certificate.keyPath } : {}),
      ...(options.auth ? { auth: { username: options.auth.username, password: options.auth.password } } : {}),
    };
    const started = startDaemon({
      name: 'aiosmtpd',
      command: PYTHON,
      args: ['-u', SCRIPT],
      stdin: 'pipe',
      stdout: 'pipe',
      // EOF on stdin asks the script to close its listeners and exit.
      politeStop: (child) => child.stdin?.end(),
    });
    daemon = started;
    // The configuration (with the password) goes through stdin, never argv or the environment.
    started.child.stdin?.write(`${JSON.stringify(config)}\n`);

    // aiosmtpd binds port 0 itself and prints the ports it got: no port can be taken in between.
    const ready = await new Promise<{ port: number; tlsPort: number | null }>((resolve, reject) => {
      let buffered = '';
      const timer = setTimeout(() => reject(new Error(`no ready line within ${startTimeoutMs} ms`)), startTimeoutMs);
      started.child.stdout?.on('data', (chunk: Buffer) => {
        buffered += chunk.toString('utf8');
        const newline = buffered.indexOf('\n');
        if (newline < 0) return;
        clearTimeout(timer);
        try {
          resolve(JSON.parse(buffered.slice(0, newline)) as { port: number; tlsPort: number | null });
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
      started.child.once('exit', () => {
        clearTimeout(timer);
        reject(new Error(started.exited() ?? 'aiosmtpd exited'));
      });
    });
    const probe = { host, expect: '220', goodbye: 'QUIT\r\n' } as const;
    await waitUntilReady(started, [{ ...probe, port: ready.port }, ...(ready.tlsPort === null ? [] : [{ ...probe, port: ready.tlsPort, tls: true }])], deadline);

    const server: AiosmtpdServer = {
      host,
      port: ready.port,
      ...(ready.tlsPort !== null ? { tlsPort: ready.tlsPort } : {}),
      ...(certificate ? { certificate } : {}),
      messages: () => Promise.resolve(readMessages(outDir)),
      waitForMessages: async (count, timeoutMs = 5000) => {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          const messages = readMessages(outDir);
          if (messages.length >= count) return messages;
          if (Date.now() > deadline) throw new Error(`aiosmtpd holds ${messages.length} message(s), expected ${count} within ${timeoutMs} ms`);
          await sleep(20);
        }
      },
      stderr: () => started.stderr(),
      stop,
    };
    return server;
  } catch (error) {
    const stderr = daemon?.stderr() ?? '';
    await stop();
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`aiosmtpd did not start: ${reason}\n--- aiosmtpd stderr (tail) ---\n${stderr.split('\n').slice(-20).join('\n')}`, { cause: error });
  }
}
