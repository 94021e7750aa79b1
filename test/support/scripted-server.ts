/**
 * A scripted SMTP server for exact-transcript tests (go-smtp style): it follows a list of steps
 * (write this, expect the client to write a line starting with that, upgrade to TLS, hang up,
 * go silent ...) and records every byte the client wrote, so a test can assert the exact wire
 * transcript and provoke each failure at a chosen stage. It misbehaves only when told to.
 *
 * One connection per server: a second connection is counted and dropped at once, so a client
 * that silently reconnects is caught by `connections`.
 */
import net from 'node:net';
import tls from 'node:tls';

/** How `sendBytes` cuts its data into writes. */
export type Split = 'whole' | 'bytewise' | { readonly chunkSize: number };

/** What a `custom` step can do on the live connection. */
export interface ScriptIo {
  /** Next line the client wrote, without its CRLF (a bare LF is recorded as a failure). */
  readLine(): Promise<string>;
  /** Exactly `count` more bytes from the client. */
  readBytes(count: number): Promise<Buffer>;
  write(data: string | Uint8Array): Promise<void>;
}

export type Step =
  | { readonly kind: 'send'; readonly data: Buffer; readonly split: Split }
  | { readonly kind: 'expect'; readonly prefix: string }
  | { readonly kind: 'expectData' }
  | { readonly kind: 'expectBytes'; readonly count: number }
  | { readonly kind: 'expectQuiet'; readonly ms: number }
  | { readonly kind: 'startTls'; readonly cert: string; readonly key: string }
  | { readonly kind: 'pause'; readonly ms: number }
  | { readonly kind: 'custom'; readonly run: (io: ScriptIo) => Promise<void> }
  /** Half-close (FIN); keeps reading and recording until the client closes. */
  | { readonly kind: 'close' }
  /** Abortive close (RST). */
  | { readonly kind: 'reset' }
  /** Never write again, not even to QUIT; keep recording until the client closes. */
  | { readonly kind: 'silence' };

// ---- step builders ------------------------------------------------------------------------

export const send = (text: string): Step => ({ kind: 'send', data: Buffer.from(text, 'utf8'), split: 'whole' });
export const sendBytes = (data: string | Uint8Array, options: { readonly split: Split } = { split: 'whole' }): Step => ({
  kind: 'send',
  data: typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data),
  split: options.split,
});
/** Read one client line (through CRLF) and check that it starts with `prefix`. */
export const expect = (prefix: string): Step => ({ kind: 'expect', prefix });
/** Read the DATA content up to and including the terminating `CRLF.CRLF` (RFC 5321 4.1.1.4). */
export const expectData = (): Step => ({ kind: 'expectData' });
export const expectBytes = (count: number): Step => ({ kind: 'expectBytes', count });
/** Wait `ms` and fail if the client wrote anything meanwhile. */
export const expectQuiet = (ms: number): Step => ({ kind: 'expectQuiet', ms });
export const startTls = (pair: { readonly cert: string; readonly key: string }): Step => ({ kind: 'startTls', cert: pair.cert, key: pair.key });
export const pause = (ms: number): Step => ({ kind: 'pause', ms });
export const custom = (run: (io: ScriptIo) => Promise<void>): Step => ({ kind: 'custom', run });
export const close = (): Step => ({ kind: 'close' });
export const reset = (): Step => ({ kind: 'reset' });
export const silence = (): Step => ({ kind: 'silence' });

export interface ScriptedServerOptions {
  /**
   * Implicit TLS (RFC 8314): the listener is a TLS server with this certificate and key.
   * `maxVersion: 'TLSv1.2'` keeps record types visible on the wire (TLS 1.3 hides alerts).
   */
  readonly implicitTls?: { readonly cert: string; readonly key: string; readonly maxVersion?: 'TLSv1.2' | 'TLSv1.3' };
  /** How long an `expect*` step waits for the client before it counts as a failure. */
  readonly stepTimeoutMs?: number;
  /**
   * After the last step (unless it was close/reset/silence) a `QUIT` line is answered with
   * `221` and a hang-up, so polite clients finish fast. Default true.
   */
  readonly answerQuitAfterScript?: boolean;
}

class StepFailure extends Error {}

/** Where each chunk of client bytes arrived: before or after the TLS upgrade. */
export interface ReceivedChunk {
  readonly bytes: Buffer;
  readonly secure: boolean;
}

export class ScriptedServer {
  readonly host = '127.0.0.1';
  /** Every mismatch between the script and what the client did. Empty when the script held. */
  readonly failures: string[] = [];
  /** TLS errors seen by the server side (a client refusing our certificate shows up here). */
  readonly tlsErrors: Error[] = [];
  /** Each read from the client, in order; a chunk holding several commands shows pipelining. */
  readonly chunks: ReceivedChunk[] = [];
  /** TCP connections accepted (should be 1). */
  connections = 0;
  /** Byte offset in the transcript where TLS (STARTTLS) began, if it did. */
  tlsStartOffset: number | undefined;

  private readonly listener: net.Server;
  private readonly rawSockets = new Set<net.Socket>();
  private readonly openRawSockets = new Set<net.Socket>();
  private readonly closeWaiters: Array<() => void> = [];
  private current: net.Socket | undefined;
  private unread: Buffer = Buffer.alloc(0);
  private dataWaiter: (() => void) | undefined;
  private peerEnded = false;
  private scriptFinished = false;
  private readonly scriptDoneWaiters: Array<() => void> = [];
  private mode: 'script' | 'drain' | 'silent' | 'closed' = 'script';
  private closed = false;

  private constructor(
    private readonly script: readonly Step[],
    private readonly options: ScriptedServerOptions,
  ) {
    const onConnection = (raw: net.Socket): void => this.track(raw);
    if (options.implicitTls) {
      const { cert, key, maxVersion } = options.implicitTls;
      const server = tls.createServer(maxVersion === undefined ? { cert, key } : { cert, key, maxVersion });
      server.on('connection', onConnection);
      server.on('secureConnection', (secure: tls.TLSSocket) => this.begin(secure, true));
      server.on('tlsClientError', (error: Error) => this.tlsErrors.push(error));
      this.listener = server;
    } else {
      const server = net.createServer();
      server.on('connection', (raw: net.Socket) => {
        onConnection(raw);
        this.begin(raw, false);
      });
      this.listener = server;
    }
  }

  static async start(script: readonly Step[], options: ScriptedServerOptions = {}): Promise<ScriptedServer> {
    const server = new ScriptedServer(script, options);
    await new Promise<void>((resolve, reject) => {
      server.listener.once('error', reject);
      server.listener.listen(0, '127.0.0.1', () => resolve());
    });
    return server;
  }

  get port(): number {
    const address = this.listener.address();
    if (address === null || typeof address === 'string') throw new Error('scripted server is not listening');
    return address.port;
  }

  /** Every byte the client wrote, at the application level (plaintext, then decrypted TLS). */
  get transcript(): Buffer {
    return Buffer.concat(this.chunks.map((c) => c.bytes));
  }

  /** The transcript as a byte-for-byte string (latin1), for exact comparisons. */
  get text(): string {
    return this.transcript.toString('latin1');
  }

  /** Transcript bytes written before the TLS upgrade. */
  get plainText(): string {
    return Buffer.concat(this.chunks.filter((c) => !c.secure).map((c) => c.bytes)).toString('latin1');
  }

  /** Transcript bytes written inside TLS (implicit or after STARTTLS). */
  get secureText(): string {
    return Buffer.concat(this.chunks.filter((c) => c.secure).map((c) => c.bytes)).toString('latin1');
  }

  /** Resolves once every accepted TCP connection has closed (the client let go of its socket). */
  async clientGone(timeoutMs = 2000): Promise<void> {
    await withTimeout(
      new Promise<void>((resolve) => {
        if (this.connections > 0 && this.openRawSockets.size === 0) resolve();
        else this.closeWaiters.push(resolve);
      }),
      timeoutMs,
      `the client did not close its connection within ${timeoutMs} ms (connections: ${this.connections})`,
    );
  }

  /** Resolves when the script has run out (or stopped on a failure). */
  async scriptDone(timeoutMs = 2000): Promise<void> {
    await withTimeout(
      new Promise<void>((resolve) => {
        if (this.scriptFinished) resolve();
        else this.scriptDoneWaiters.push(resolve);
      }),
      timeoutMs,
      `the script did not finish within ${timeoutMs} ms`,
    );
  }

  /** Stop listening and destroy every socket. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.mode = 'closed';
    for (const socket of this.rawSockets) socket.destroy();
    this.current?.destroy();
    this.wake();
    await new Promise<void>((resolve) => this.listener.close(() => resolve()));
  }

  // ---- connection handling ----------------------------------------------------------------

  private track(raw: net.Socket): void {
    this.connections += 1;
    this.rawSockets.add(raw);
    this.openRawSockets.add(raw);
    raw.setNoDelay(true);
    raw.on('error', () => undefined); // resets are expected in these tests; `close` records the end
    raw.on('close', () => {
      this.openRawSockets.delete(raw);
      if (this.openRawSockets.size === 0) for (const resolve of this.closeWaiters.splice(0)) resolve();
    });
    if (this.connections > 1) {
      this.failures.push(`unexpected connection #${this.connections}`);
      raw.destroy();
    }
  }

  private begin(socket: net.Socket, secure: boolean): void {
    if (this.current !== undefined || this.closed) return;
    this.attach(socket, secure);
    void this.runScript();
  }

  private attach(socket: net.Socket, secure: boolean): void {
    this.current = socket;
    socket.on('data', (chunk: Buffer) => {
      this.chunks.push({ bytes: chunk, secure });
      this.unread = Buffer.concat([this.unread, chunk]);
      this.afterData();
    });
    socket.on('end', () => {
      this.peerEnded = true;
      this.wake();
    });
    socket.on('close', () => {
      this.peerEnded = true;
      this.wake();
    });
    socket.on('error', (error: Error) => {
      if (secure) this.tlsErrors.push(error);
    });
  }

  private afterData(): void {
    this.wake();
    if (this.mode === 'drain' && /(^|\r\n)QUIT\r\n$/i.test(this.unread.toString('latin1'))) {
      this.unread = Buffer.alloc(0);
      const socket = this.current;
      this.mode = 'closed';
      socket?.end('221 2.0.0 Bye\r\n');
    }
  }

  private wake(): void {
    const waiter = this.dataWaiter;
    this.dataWaiter = undefined;
    waiter?.();
  }

  private async runScript(): Promise<void> {
    try {
      for (const [index, step] of this.script.entries()) {
        if (this.mode !== 'script') break;
        try {
          await this.run(step);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          this.failures.push(`step ${index + 1} (${describe(step)}): ${message}`);
          this.mode = 'closed';
          this.current?.destroy();
          break;
        }
      }
      if (this.mode === 'script') {
        this.mode = this.options.answerQuitAfterScript === false ? 'silent' : 'drain';
        if (this.mode === 'drain') this.afterData();
      }
    } finally {
      this.scriptFinished = true;
      for (const resolve of this.scriptDoneWaiters.splice(0)) resolve();
    }
  }

  private async run(step: Step): Promise<void> {
    const socket = this.current;
    if (socket === undefined) throw new StepFailure('no connection');
    switch (step.kind) {
      case 'send':
        await this.write(step.data, step.split);
        return;
      case 'expect': {
        const line = await this.readLine();
        if (!line.startsWith(step.prefix)) {
          throw new StepFailure(`client wrote ${JSON.stringify(line)}`);
        }
        return;
      }
      case 'expectData':
        await this.readUntil('\r\n.\r\n');
        return;
      case 'expectBytes':
        await this.readBytes(step.count);
        return;
      case 'expectQuiet': {
        const before = this.unread.length;
        await delay(step.ms);
        if (this.unread.length !== before) {
          throw new StepFailure(`client wrote ${JSON.stringify(this.unread.subarray(before).toString('latin1'))}`);
        }
        return;
      }
      case 'startTls':
        await this.upgrade(socket, step.cert, step.key);
        return;
      case 'pause':
        await delay(step.ms);
        return;
      case 'custom':
        await step.run({
          readLine: () => this.readLine(),
          readBytes: (count) => this.readBytes(count),
          write: (data) => this.write(Buffer.from(data), 'whole'),
        });
        return;
      case 'close':
        this.mode = 'closed';
        socket.end();
        return;
      case 'reset':
        this.mode = 'closed';
        socket.resetAndDestroy();
        return;
      case 'silence':
        this.mode = 'silent';
        return;
    }
  }

  private async write(data: Buffer, split: Split): Promise<void> {
    const socket = this.current;
    if (socket === undefined || socket.destroyed) throw new StepFailure('connection already closed');
    const size = split === 'whole' ? data.length : split === 'bytewise' ? 1 : split.chunkSize;
    for (let offset = 0; offset < data.length; offset += size) {
      if (socket.destroyed) throw new StepFailure('connection closed while writing');
      socket.write(data.subarray(offset, offset + size));
      // Yield to the event loop so each piece leaves as its own write.
      if (size < data.length) await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  /** Server side of STARTTLS (RFC 3207 4.2): wrap the same TCP socket and wait for the handshake. */
  private async upgrade(socket: net.Socket, cert: string, key: string): Promise<void> {
    if (this.unread.length > 0) {
      // RFC 3207 4.2 / 6: nothing may be pipelined after STARTTLS; these bytes sat before TLS.
      throw new StepFailure(`client wrote ${JSON.stringify(this.unread.toString('latin1'))} after STARTTLS, before the TLS handshake`);
    }
    socket.removeAllListeners('data');
    socket.removeAllListeners('end');
    this.tlsStartOffset = this.transcript.length;
    const secure = new tls.TLSSocket(socket, { isServer: true, secureContext: tls.createSecureContext({ cert, key }) });
    this.attach(secure, true);
    await withTimeout(
      new Promise<void>((resolve, reject) => {
        secure.once('secure', () => resolve());
        secure.once('error', (error: Error) => reject(new StepFailure(`TLS handshake failed: ${error.message}`)));
        secure.once('close', () => reject(new StepFailure('connection closed during the TLS handshake')));
      }),
      this.stepTimeout,
      'TLS handshake did not complete',
    );
  }

  private get stepTimeout(): number {
    return this.options.stepTimeoutMs ?? 2000;
  }

  private async readLine(): Promise<string> {
    const raw = await this.readUntil('\n');
    if (!raw.endsWith('\r\n')) throw new StepFailure(`line ended with a bare LF: ${JSON.stringify(raw)}`);
    return raw.slice(0, -2);
  }

  private async readUntil(terminator: string): Promise<string> {
    const deadline = Date.now() + this.stepTimeout;
    for (;;) {
      const at = this.unread.indexOf(terminator, 0, 'latin1');
      if (at >= 0) {
        const taken = this.unread.subarray(0, at + terminator.length);
        this.unread = this.unread.subarray(at + terminator.length);
        return taken.toString('latin1');
      }
      await this.waitForData(deadline, `waiting for ${JSON.stringify(terminator)}`);
    }
  }

  private async readBytes(count: number): Promise<Buffer> {
    const deadline = Date.now() + this.stepTimeout;
    while (this.unread.length < count) await this.waitForData(deadline, `waiting for ${count} bytes`);
    const taken = this.unread.subarray(0, count);
    this.unread = this.unread.subarray(count);
    return taken;
  }

  private async waitForData(deadline: number, what: string): Promise<void> {
    if (this.peerEnded) {
      throw new StepFailure(`connection closed by the client while ${what}; unread ${JSON.stringify(this.unread.toString('latin1'))}`);
    }
    if (this.mode === 'closed') throw new StepFailure(`server closed while ${what}`);
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new StepFailure(`timed out ${what}; unread ${JSON.stringify(this.unread.toString('latin1'))}`);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, remaining);
      this.dataWaiter = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

/** Start a scripted server on 127.0.0.1 and an ephemeral port. */
export function startScriptedServer(script: readonly Step[], options: ScriptedServerOptions = {}): Promise<ScriptedServer> {
  return ScriptedServer.start(script, options);
}

function describe(step: Step): string {
  switch (step.kind) {
    case 'send':
      return `send ${JSON.stringify(step.data.toString('latin1').slice(0, 60))}`;
    case 'expect':
      return `expect ${JSON.stringify(step.prefix)}`;
    case 'expectBytes':
      return `expectBytes ${step.count}`;
    case 'expectQuiet':
    case 'pause':
      return `${step.kind} ${step.ms} ms`;
    default:
      return step.kind;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(message)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
