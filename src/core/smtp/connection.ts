/**
 * One SMTP connection's socket: connecting, the TLS handshake (implicit or after STARTTLS),
 * writing, reading whole replies, the wait timer and the single failure that ends it.
 *
 * Whatever ends the connection — a timeout, the caller's abort, the server hanging up, a
 * malformed or untimely reply, the client's own QUIT — goes through `fail()`: every waiter gets
 * that one typed error, later calls get the same error at once, and the socket is closed
 * politely where it still can be (FIN, and for TLS a close_notify alert first, RFC 8446 6.1,
 * so the server can tell a clean end from a truncation) and destroyed where it cannot.
 *
 * The stage of each wait is passed in by the client; the connection only keeps a private
 * record of the current one, to name the stage of errors that arrive without being asked for
 * (a reset, a hang-up, a malformed reply).
 */
import { connect as netConnect } from 'node:net';
import type { Socket } from 'node:net';
import type { ConnectionOptions, TLSSocket } from 'node:tls';
import { localized } from '../text';
import type { LocalizedText } from '../text';
import { SmtpAbortError, SmtpConnectionError, SmtpProtocolError, SmtpTimeoutError, SmtpTlsError } from './errors';
import type { SmtpError, SmtpStage } from './errors';
import { MalformedReplyError, ReplyParser } from './reply-parser';
import type { ParsedReply } from './reply-parser';
import { formatReply } from './reply-text';
import { oneLine, tlsDetails } from './tls-setup';
import type { SmtpEvent, TlsDetails } from './types';
import { nodeTls } from '../lazy';

/**
 * Reply text nobody asked for yet, in bytes. A pipelined batch is read as it arrives, so only
 * early or unsolicited replies wait here; a server that floods them must not make the client
 * hold megabytes (each reply is already capped by the parser).
 */
export const MAX_QUEUED_REPLY_BYTES = 64 * 1024;

/** How long a polite close (close_notify, FIN) may take before the socket is destroyed. */
const CLOSE_GRACE_MS = 2_000;

type Waiter = (error: SmtpError) => void;

export interface ConnectionSetup {
  readonly host: string;
  readonly port: number;
  /** Receives connection events; undefined when nobody observes, so none are built. */
  readonly emit: ((event: SmtpEvent) => void) | undefined;
  /** Removes credentials from server text before it becomes an event, a result or an error. */
  readonly scrub: (text: string) => string;
  /** `starttls` or `none`: a silent greeting suggests a port that expects implicit TLS. */
  readonly plaintextGreeting: boolean;
}

export class SmtpConnection {
  /** The stage of the current wait, named by errors that arrive without a caller asking. */
  private stage: SmtpStage = 'connect';
  private socket: Socket | undefined;
  private parser = new ReplyParser();
  private readonly queue: ParsedReply[] = [];
  private queuedBytes = 0;
  /** Whoever waits for replies: `deliver` takes each one as it arrives. */
  private reader: { deliver: (reply: ParsedReply) => void; reject: (error: SmtpError) => void } | undefined;
  private readonly waiters = new Set<Waiter>();
  private failure: SmtpError | undefined;
  /** The one wait timer (see `arm`), when scheduled, and when it fires (performance.now() ms). */
  private timer: NodeJS.Timeout | undefined;
  private timerAt = 0;
  /** When the current wait expires, and what then; undefined when nothing waits. */
  private deadline: number | undefined;
  private expire: (() => void) | undefined;
  /** Set between the 354 and the final dot: no reply is due then (RFC 5321 4.1.1.4). */
  private inData = false;
  private closeEmitted = false;
  private readonly closeWaiters: (() => void)[] = [];
  private secureNow = false;
  private handshaking = false;

  constructor(private readonly setup: ConnectionSetup) {}

  get secure(): boolean {
    return this.secureNow;
  }

  get failed(): SmtpError | undefined {
    return this.failure;
  }

  get localAddress(): string | undefined {
    return this.socket?.localAddress;
  }

  get remoteAddress(): string | undefined {
    return this.socket?.remoteAddress;
  }

  /** TCP connect. Resolves once connected; the greeting is read separately. */
  connect(timeoutMs: number): Promise<void> {
    this.stage = 'connect';
    const socket = netConnect({ host: this.setup.host, port: this.setup.port });
    socket.setNoDelay(true);
    this.attach(socket);
    return this.until((done) => socket.once('connect', done), timeoutMs, () =>
      localized('Could not connect to {0} within {1}', this.where, seconds(timeoutMs)),
    );
  }

  /**
   * TLS handshake on the current socket (implicit TLS right after connect, or after the 220
   * to STARTTLS), then `verify` (pin, host name) before anything is written inside TLS.
   * Everything the parser held from the plaintext phase is dropped: nothing the server said
   * before the handshake may be read as if it came through TLS (RFC 3207 4.2).
   */
  async startTls(options: ConnectionOptions, timeoutMs: number, verify: (socket: TLSSocket) => SmtpError | undefined): Promise<TlsDetails> {
    const plain = this.socket;
    if (plain === undefined || this.failure !== undefined) throw this.failure ?? this.closedError();
    this.stage = 'tls';
    plain.removeAllListeners('data');
    this.parser = new ReplyParser();
    this.queue.length = 0;
    this.queuedBytes = 0;
    const secure = nodeTls().connect({ ...options, socket: plain });
    this.attach(secure);
    this.handshaking = true;
    try {
      await this.until((done) => secure.once('secureConnect', done), timeoutMs, () =>
        localized('The TLS handshake with {0} did not finish within {1}', this.where, seconds(timeoutMs)),
      );
    } finally {
      this.handshaking = false;
    }
    const details = tlsDetails(secure);
    this.setup.emit?.({ type: 'tls', details });
    const refused = verify(secure);
    if (refused !== undefined) {
      this.fail(refused);
      throw refused;
    }
    this.secureNow = true;
    return details;
  }

  /** Resolves once the socket has closed (at once if it never opened or already closed). */
  whenClosed(): Promise<void> {
    if (this.closeEmitted) return Promise.resolve();
    return new Promise((resolve) => this.closeWaiters.push(resolve));
  }

  /** True when bytes arrived that no command has consumed (partial or whole replies). */
  hasUnreadInput(): boolean {
    return this.queue.length > 0 || this.parser.pendingBytes > 0;
  }

  /** Writes bytes for `stage`. Returns false when the socket wants a 'drain' first (backpressure). */
  write(data: string | Uint8Array, stage: SmtpStage): boolean {
    const socket = this.socket;
    if (this.failure !== undefined || socket === undefined) throw this.failure ?? this.closedError();
    this.stage = stage;
    return socket.write(data);
  }

  /**
   * From the 354 until the final dot has been written, the server owes no reply: one that
   * arrives then (or already waits) is a protocol error, and the message is not confirmed.
   */
  setDataPhase(inData: boolean): void {
    this.inData = inData;
    const early = inData ? this.queue[0] : undefined;
    if (early !== undefined) this.failEarlyReply(early);
  }

  /**
   * The next `count` replies in order, each within the time limit of its stage (`stageAt(i)`
   * names the stage of the i-th, `timeoutFor` its limit; the timer restarts whenever one
   * arrives). Returns early, with the replies so far, after one for which `stop` is true (a
   * 421: the rest will never come, RFC 5321 3.8).
   */
  replies(
    count: number,
    stageAt: (index: number) => SmtpStage,
    timeoutFor: (stage: SmtpStage) => number,
    stop: (reply: ParsedReply) => boolean,
  ): Promise<ParsedReply[]> {
    const replies: ParsedReply[] = [];
    this.stage = stageAt(0);
    while (replies.length < count) {
      const queued = this.takeQueued();
      if (queued === undefined) break;
      replies.push(queued);
      if (stop(queued)) return Promise.resolve(replies);
      if (replies.length < count) this.stage = stageAt(replies.length);
    }
    if (replies.length === count) return Promise.resolve(replies);
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise<ParsedReply[]>((resolve, reject) => {
      const arm = (): void => {
        const stage = this.stage;
        const timeoutMs = timeoutFor(stage);
        this.arm(timeoutMs, () => this.fail(this.timeoutError(stage, timeoutMs)));
      };
      arm();
      this.reader = {
        deliver: (reply) => {
          replies.push(reply);
          if (replies.length < count && !stop(reply)) {
            this.stage = stageAt(replies.length);
            arm();
            return;
          }
          this.disarm();
          this.reader = undefined;
          resolve(replies);
        },
        reject: (error) => {
          this.disarm();
          this.reader = undefined;
          reject(error);
        },
      };
    });
  }

  /** Waits for the socket to take more data (RFC 5321 4.5.3.2.5: the data block timeout). */
  waitDrain(stage: SmtpStage, timeoutMs: number): Promise<void> {
    const socket = this.socket;
    if (this.failure !== undefined || socket === undefined) return Promise.reject(this.failure ?? this.closedError());
    this.stage = stage;
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = (error) => {
        this.disarm();
        reject(error);
      };
      this.waiters.add(waiter);
      this.arm(timeoutMs, () =>
        this.fail(new SmtpTimeoutError({ stage, timeoutMs, text: localized('The server took no data for {0}', seconds(timeoutMs)) })),
      );
      socket.once('drain', () => {
        this.disarm();
        this.waiters.delete(waiter);
        resolve();
      });
    });
  }

  /** Settles with `promise`, or rejects as soon as the connection fails (abort, timeout, hang-up). */
  guard<T>(promise: Promise<T>): Promise<T> {
    if (this.failure !== undefined) {
      promise.catch(() => undefined);
      return Promise.reject(this.failure);
    }
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter = (error) => reject(error);
      this.waiters.add(waiter);
      promise.then(
        (value) => {
          this.waiters.delete(waiter);
          resolve(value);
        },
        (error: unknown) => {
          this.waiters.delete(waiter);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }

  /** The caller's AbortSignal fired: whatever waits ends now, at the current stage. */
  abort(): void {
    this.fail(new SmtpAbortError({ stage: this.stage, text: localized('Cancelled') }));
  }

  /** The client ends the session (after QUIT, or giving up on it): the error later calls get. */
  closeByClient(): void {
    this.fail(new SmtpConnectionError({ stage: this.stage, errno: 'CLOSED', text: localized('The connection was closed by the client') }));
  }

  /** Ends the connection with `error`: wakes every waiter and closes the socket. Idempotent. */
  fail(error: SmtpError): void {
    if (this.failure !== undefined) return;
    this.failure = error;
    this.disarm();
    this.shutdown();
    this.reader?.reject(error);
    for (const waiter of [...this.waiters]) waiter(error);
    this.waiters.clear();
    // A socket that never existed emits no 'close'; report one so observers see an end.
    if (this.socket === undefined) this.emitClose(false);
  }

  private shutdown(): void {
    const socket = this.socket;
    if (socket === undefined || socket.destroyed) return;
    if (socket.connecting || this.handshaking) {
      // No session to close politely yet: a half-made connection is just dropped.
      socket.destroy();
      return;
    }
    // end(): FIN after what is already written (for TLS, close_notify first). Bytes the
    // server still sends are read and ignored; one that never closes its side is cut off.
    socket.end();
    const timer = setTimeout(() => socket.destroy(), CLOSE_GRACE_MS);
    socket.once('close', () => clearTimeout(timer));
  }

  private get where(): string {
    return `${this.setup.host}:${this.setup.port}`;
  }

  /**
   * Starts the wait for a reply or 'drain' (never both at once): `expire` runs if it lasts
   * `timeoutMs`. Waits come and go several times a message (each batch of replies, each reply
   * of a batch), while their limits are minutes (RFC 5321 4.5.3.2), so arming only moves a
   * deadline: the one timer stays scheduled and, when it fires early (the deadline moved
   * later since), is scheduled again for the deadline. A timer per wait — created, refreshed
   * and cleared for every batch — showed in a mail merge's profile as about 0.1 ms a message.
   * While nothing waits the timer does not keep the process alive (unref).
   */
  private arm(timeoutMs: number, expire: () => void): void {
    const deadline = performance.now() + timeoutMs;
    this.expire = expire;
    this.deadline = deadline;
    if (this.timer === undefined || this.timerAt > deadline) this.schedule(deadline);
    else this.timer.ref();
  }

  private schedule(deadline: number): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timerAt = deadline;
    this.timer = setTimeout(() => this.onTimer(), Math.max(0, deadline - performance.now()));
  }

  private onTimer(): void {
    this.timer = undefined;
    const deadline = this.deadline;
    if (deadline === undefined) return;
    // Timers may fire a little before their time; only a wait that has lasted its limit expires.
    if (performance.now() >= deadline - 1) this.expire?.();
    else this.schedule(deadline);
  }

  private disarm(): void {
    this.deadline = undefined;
    this.expire = undefined;
    if (this.failure !== undefined && this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.timer?.unref();
  }

  private timeoutError(stage: SmtpStage, timeoutMs: number): SmtpTimeoutError {
    if (stage === 'greeting' && this.setup.plaintextGreeting) {
      return new SmtpTimeoutError({
        stage,
        timeoutMs,
        text: localized('{0} sent no greeting within {1}; the port may expect implicit TLS ("security": "tls")', this.where, seconds(timeoutMs)),
      });
    }
    return new SmtpTimeoutError({ stage, timeoutMs, text: localized('The server did not reply within {0}', seconds(timeoutMs)) });
  }

  private closedError(): SmtpConnectionError {
    return new SmtpConnectionError({ stage: this.stage, errno: 'CLOSED', text: localized('The server closed the connection') });
  }

  /** Runs `start(done)` and waits for `done`, a timeout, or a failure. */
  private until(start: (done: () => void) => void, timeoutMs: number, timeoutText: () => LocalizedText): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const stage = this.stage;
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = (error) => {
        this.disarm();
        reject(error);
      };
      this.waiters.add(waiter);
      this.arm(timeoutMs, () => this.fail(new SmtpTimeoutError({ stage, timeoutMs, text: timeoutText() })));
      start(() => {
        this.disarm();
        this.waiters.delete(waiter);
        resolve();
      });
    });
  }

  private attach(socket: Socket | TLSSocket): void {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error: Error) => this.onSocketError(error));
    socket.on('close', (hadError: boolean) => this.onClose(hadError));
  }

  private onData(chunk: Buffer): void {
    if (this.failure !== undefined) return;
    let replies: ParsedReply[];
    try {
      replies = this.parser.push(chunk);
    } catch (error) {
      const detail =
        error instanceof MalformedReplyError
          ? error.line === undefined
            ? error.reason
            : `${error.reason} ${JSON.stringify(this.setup.scrub(error.line).slice(0, 80))}`
          : String(error);
      this.fail(new SmtpProtocolError({ stage: this.stage, text: localized('The server sent an invalid reply: {0}', detail) }));
      return;
    }
    for (const parsed of replies) {
      const reply = this.scrubReply(parsed);
      this.setup.emit?.({ type: 'receive', reply: { code: reply.code, ...(reply.enhancedCode === undefined ? {} : { enhancedCode: reply.enhancedCode }), lines: reply.lines }, raw: reply.raw });
      if (this.inData) {
        this.failEarlyReply(reply);
        return;
      }
      if (this.reader !== undefined) {
        this.reader.deliver(reply);
        continue;
      }
      this.queue.push(reply);
      this.queuedBytes += replyBytes(reply);
      if (this.queuedBytes > MAX_QUEUED_REPLY_BYTES) {
        this.fail(
          new SmtpProtocolError({ stage: this.stage, text: localized('The server sent more than {0} bytes of replies nobody asked for', MAX_QUEUED_REPLY_BYTES) }),
        );
        return;
      }
    }
  }

  private takeQueued(): ParsedReply | undefined {
    const reply = this.queue.shift();
    if (reply !== undefined) this.queuedBytes -= replyBytes(reply);
    return reply;
  }

  /** A reply during message data: the server may have taken a partial message (SMTP smuggling's kin). */
  private failEarlyReply(reply: ParsedReply): void {
    this.fail(
      new SmtpProtocolError({
        stage: 'message',
        text: localized('The server replied "{0}" before the end of the message data; the message was not confirmed', formatReply(reply)),
      }),
    );
  }

  /** The reply with secrets removed; the same object when there was nothing to remove (the usual case). */
  private scrubReply(reply: ParsedReply): ParsedReply {
    const lines = scrubAll(reply.lines, this.setup.scrub);
    const raw = scrubAll(reply.raw, this.setup.scrub);
    if (lines === reply.lines && raw === reply.raw) return reply;
    return reply.enhancedCode === undefined ? { code: reply.code, lines, raw } : { code: reply.code, enhancedCode: reply.enhancedCode, lines, raw };
  }

  private onSocketError(error: Error): void {
    if (this.failure !== undefined) return;
    const stage = this.stage;
    const detail = oneLine(error.message);
    const code = (error as NodeJS.ErrnoException).code;
    if (stage === 'tls') {
      this.fail(new SmtpTlsError({ stage, tlsCode: code ?? 'TLS_FAILED', text: localized('The TLS handshake with {0} failed: {1}', this.where, detail), cause: error }));
    } else if (stage === 'connect') {
      this.fail(new SmtpConnectionError({ stage, errno: code ?? 'ECONNECTION', text: localized('Could not connect to {0}: {1}', this.where, detail), cause: error }));
    } else {
      this.fail(new SmtpConnectionError({ stage, errno: code ?? 'ECONNECTION', text: localized('The connection to {0} failed: {1}', this.where, detail), cause: error }));
    }
  }

  private onClose(hadError: boolean): void {
    if (this.failure === undefined) {
      this.fail(
        this.stage === 'tls'
          ? new SmtpTlsError({ stage: 'tls', tlsCode: 'ECONNRESET', text: localized('The server closed the connection during the TLS handshake') })
          : this.closedError(),
      );
    }
    this.emitClose(hadError);
  }

  private emitClose(hadError: boolean): void {
    if (this.closeEmitted) return;
    this.closeEmitted = true;
    this.setup.emit?.({ type: 'close', hadError });
    for (const resolve of this.closeWaiters.splice(0)) resolve();
  }
}

/** Bytes a reply took on the wire (each raw line plus its CRLF). */
function replyBytes(reply: ParsedReply): number {
  let bytes = 0;
  for (const line of reply.raw) bytes += line.length + 2;
  return bytes;
}

/** `texts` scrubbed; the same array when no text changed. */
function scrubAll(texts: readonly string[], scrub: (text: string) => string): readonly string[] {
  for (let i = 0; i < texts.length; i++) {
    const text = texts[i] as string;
    if (scrub(text) !== text) return texts.map(scrub);
  }
  return texts;
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
