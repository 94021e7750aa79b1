/**
 * aiosmtpd (Python, Debian's python3-aiosmtpd) as an SMTP sink in its own process. It offers
 * SIZE, 8BITMIME, SMTPUTF8, STARTTLS and AUTH PLAIN/LOGIN but no PIPELINING, so it exercises
 * a client's sequential, one-command-at-a-time path. What it stores is exact:
 * `envelope.original_content` is the DATA bytes after dot-unstuffing, CRLF kept.
 */
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestCertificate } from './certificate';
import type { TestCertificate } from './certificate';
import { PYTHON, requireAiosmtpd } from './prerequisites';
import { cleanupOnExit, signal, sleep, terminatePids, waitForGreeting } from './processes';

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
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sae-aio-'));
  const outDir = path.join(root, 'messages');
  fs.mkdirSync(outDir);
  let child: ChildProcessWithoutNullStreams | undefined;
  let stderr = '';
  let exited: string | undefined;
  let unregister: () => void = () => undefined;

  const removeRoot = (): void => fs.rmSync(root, { recursive: true, force: true });
  const stop = async (): Promise<void> => {
    unregister();
    const running = child;
    child = undefined;
    if (running !== undefined && exited === undefined) {
      const gone = new Promise<void>((resolve) => running.once('exit', () => resolve()));
      // EOF on stdin asks the script to close its listeners and exit; SIGKILL if it does not.
      running.stdin.end();
      await Promise.race([gone, sleep(3000)]);
      if (exited === undefined && running.pid !== undefined) await terminatePids([running.pid], 0);
      await Promise.race([gone, sleep(2000)]);
    }
    removeRoot();
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
    const started = spawn(PYTHON, ['-u', SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] });
    child = started;
    const pid = started.pid;
    if (pid !== undefined) unregister = cleanupOnExit(() => signal(pid, 'SIGKILL'));
    started.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-20_000);
    });
    started.once('exit', (code, sig) => {
      exited = `aiosmtpd exited (code ${code ?? 'none'}, signal ${sig ?? 'none'})`;
    });
    // The configuration (with the password) goes through stdin, never argv or the environment.
    started.stdin.write(`${JSON.stringify(config)}\n`);

    const ready = await new Promise<{ port: number; tlsPort: number | null }>((resolve, reject) => {
      let buffered = '';
      const timer = setTimeout(() => reject(new Error(`no ready line within ${startTimeoutMs} ms`)), startTimeoutMs);
      started.stdout.on('data', (chunk: Buffer) => {
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
      started.once('exit', () => {
        clearTimeout(timer);
        reject(new Error(exited ?? 'aiosmtpd exited'));
      });
    });
    const isDead = (): string | undefined => exited;
    await waitForGreeting({ host, port: ready.port, expect: '220', goodbye: 'QUIT\r\n' }, startTimeoutMs, isDead);
    if (ready.tlsPort !== null) {
      await waitForGreeting({ host, port: ready.tlsPort, expect: '220', tls: true, goodbye: 'QUIT\r\n' }, startTimeoutMs, isDead);
    }

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
      stderr: () => stderr,
      stop,
    };
    return server;
  } catch (error) {
    await stop();
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`aiosmtpd did not start: ${reason}\n--- aiosmtpd stderr (tail) ---\n${stderr.split('\n').slice(-20).join('\n')}`, { cause: error });
  }
}
