/**
 * One SMTP connection's socket: connecting, the TLS handshake (implicit or after STARTTLS),
 * writing, reading whole replies, per-stage timers and the single failure that ends it.
 *
 * Whatever ends the connection — a timeout, the caller's abort, the server hanging up, a
 * malformed reply — goes through `fail()`: the socket is destroyed, every timer is cleared,
 * and whoever is waiting gets that one typed error. Later calls get the same error at once.
 */
import { connect as netConnect } from 'node:net';
import type { Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { ConnectionOptions, TLSSocket } from 'node:tls';
import { SmtpConnectionError, SmtpProtocolError, SmtpTimeoutError, SmtpTlsError } from './errors';
import type { SmtpError, SmtpStage } from './errors';
import { MalformedReplyError, ReplyParser } from './reply-parser';
import type { ParsedReply } from './reply-parser';
import { tlsDetails } from './tls-setup';
import type { SmtpEvent, TlsDetails } from './types';

/** Replies nobody asked for yet; pipelining a few hundred RCPTs stays far below this. */
const MAX_QUEUED_REPLIES = 10_000;

/** Up to this many bytes, writeAll copies its buffers into one rather than corking them. */
const JOIN_LIMIT = 16 * 1024;

type Waiter = (error: SmtpError) => void;

export class SmtpConnection {
  /** The stage the connection is in, named by errors that arrive without a caller asking. */
  stage: SmtpStage = 'connect';
  private socket: Socket | undefined;
  private parser = new ReplyParser();
  private readonly queue: ParsedReply[] = [];
  /** Whoever waits for replies: `deliver` takes each one as it arrives and unsets the reader when satisfied. */
  private reader: { deliver: (reply: ParsedReply) => void; reject: (error: SmtpError) => void } | undefined;
  private readonly waiters = new Set<Waiter>();
  private failure: SmtpError | undefined;
  /**
   * Timers for waiting on a reply or on 'drain', one per duration, re-armed with refresh() for
   * each wait instead of created and cleared per wait: with no other timer of its duration,
   * each clearTimeout tears down Node's timer list and the next setTimeout rebuilds it, which
   * cost about a tenth of the client's time per message. A timer that fires while it is not
   * the armed one does nothing; all are cleared when the connection ends.
   */
  private readonly waitTimers = new Map<number, NodeJS.Timeout>();
  private armedTimer: NodeJS.Timeout | undefined;
  private armedExpire: (() => void) | undefined;
  private closeEmitted = false;
  private readonly closeWaiters: (() => void)[] = [];
  private secureNow = false;

  constructor(
    private readonly host: string,
    private readonly port: number,
    /** Receives connection events; undefined when nobody observes, so none are built. */
    private readonly emit: ((event: SmtpEvent) => void) | undefined,
    /** Removes secrets from server text during AUTH before it becomes an event or error. */
    private readonly scrub: (text: string) => string = (text) => text,
  ) {}

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
    const socket = netConnect({ host: this.host, port: this.port });
    socket.setNoDelay(true);
    this.attach(socket);
    return this.until(
      (done) => socket.once('connect', done),
      timeoutMs,
      () => `Could not connect to ${this.where} within ${seconds(timeoutMs)} (stage connect)`,
    );
  }

  /**
   * TLS handshake on the current socket (implicit TLS right after connect, or after the 220
   * to STARTTLS). Everything the parser held from the plaintext phase is dropped: nothing the
   * server said before the handshake may be read as if it came through TLS (RFC 3207 4.2).
   */
  async startTls(options: ConnectionOptions, timeoutMs: number): Promise<TlsDetails> {
    const plain = this.socket;
    if (plain === undefined || this.failure !== undefined) throw this.failure ?? this.closedError();
    this.stage = 'tls';
    plain.removeAllListeners('data');
    this.parser = new ReplyParser();
    this.queue.length = 0;
    const secure = tlsConnect({ ...options, socket: plain });
    this.attach(secure);
    await this.until(
      (done) => secure.once('secureConnect', done),
      timeoutMs,
      () => `TLS handshake with ${this.where} did not finish within ${seconds(timeoutMs)} (stage tls)`,
    );
    this.secureNow = true;
    const details = tlsDetails(secure);
    this.emit?.({ type: 'tls', details });
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

  /** Writes raw bytes. Returns false when the socket wants a 'drain' before more (backpressure). */
  write(data: string | Uint8Array): boolean {
    const socket = this.socket;
    if (this.failure !== undefined || socket === undefined) throw this.failure ?? this.closedError();
    return socket.write(data);
  }

  /**
   * Writes several pieces as one write op: texts joined, small buffers copied into one (one
   * copy is cheaper than a writev), anything else corked so it goes out in one writev.
   */
  writeAll(chunks: readonly (string | Uint8Array)[]): boolean {
    const socket = this.socket;
    if (this.failure !== undefined || socket === undefined) throw this.failure ?? this.closedError();
    if (chunks.length === 1) return socket.write(chunks[0] as string | Uint8Array);
    let total = 0;
    let texts = 0;
    for (const chunk of chunks) {
      if (typeof chunk === 'string') texts += 1;
      else total += chunk.length;
    }
    if (texts === chunks.length) return socket.write(chunks.join(''));
    if (texts === 0 && total <= JOIN_LIMIT) return socket.write(Buffer.concat(chunks as readonly Uint8Array[], total));
    socket.cork();
    let more = true;
    for (const chunk of chunks) more = socket.write(chunk);
    socket.uncork();
    return more;
  }

  /** The next reply, within `timeoutMs`; replies already received are returned in order. */
  readReply(stage: SmtpStage, timeoutMs: number): Promise<ParsedReply> {
    this.stage = stage;
    const queued = this.queue.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise<ParsedReply>((resolve, reject) => {
      this.armWaitTimer(timeoutMs, () => this.fail(this.timeoutError(stage, timeoutMs)));
      this.reader = {
        deliver: (reply) => {
          this.disarmWaitTimer();
          this.reader = undefined;
          resolve(reply);
        },
        reject: (error) => {
          this.disarmWaitTimer();
          this.reader = undefined;
          reject(error);
        },
      };
    });
  }

  /**
   * The next `count` replies in order, for a pipelined batch (RFC 2920), with one promise and
   * one timer for the whole batch instead of one per reply. `stageAt(i)` names the stage of the
   * i-th reply and `timeoutFor(stage)` its time limit: each reply still gets its full limit, as
   * with readReply, because the timer restarts whenever one arrives. Returns early, with the
   * replies so far, after a reply for which `stop` is true (a 421: the rest will never come).
   */
  readReplies(
    count: number,
    stageAt: (index: number) => SmtpStage,
    timeoutFor: (stage: SmtpStage) => number,
    stop: (reply: ParsedReply) => boolean,
  ): Promise<ParsedReply[]> {
    const replies: ParsedReply[] = [];
    this.stage = stageAt(0);
    while (replies.length < count) {
      const queued = this.queue.shift();
      if (queued === undefined) break;
      replies.push(queued);
      if (stop(queued)) return Promise.resolve(replies);
      if (replies.length < count) this.stage = stageAt(replies.length);
    }
    if (replies.length === count) return Promise.resolve(replies);
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise<ParsedReply[]>((resolve, reject) => {
      let timeoutMs = timeoutFor(this.stage);
      const expire = (): void => this.fail(this.timeoutError(this.stage, timeoutMs));
      this.armWaitTimer(timeoutMs, expire);
      this.reader = {
        deliver: (reply) => {
          replies.push(reply);
          if (replies.length < count && !stop(reply)) {
            this.stage = stageAt(replies.length);
            timeoutMs = timeoutFor(this.stage);
            this.armWaitTimer(timeoutMs, expire);
            return;
          }
          this.disarmWaitTimer();
          this.reader = undefined;
          resolve(replies);
        },
        reject: (error) => {
          this.disarmWaitTimer();
          this.reader = undefined;
          reject(error);
        },
      };
    });
  }

  /** Waits for the socket to take more data (RFC 5321 4.5.3.2.5: the data block timeout). */
  waitDrain(stage: SmtpStage, timeoutMs: number): Promise<void> {
    const socket = this.socket;
    if (socket === undefined) return Promise.reject(this.closedError());
    if (this.failure !== undefined) return Promise.reject(this.failure);
    this.stage = stage;
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = (error) => {
        this.disarmWaitTimer();
        reject(error);
      };
      this.waiters.add(waiter);
      this.armWaitTimer(timeoutMs, () => this.fail(new SmtpTimeoutError({ stage, timeoutMs, message: `The server took no data for ${seconds(timeoutMs)} (stage ${stage})` })));
      socket.once('drain', () => {
        this.disarmWaitTimer();
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

  /** Ends the connection with `error`: destroys the socket and wakes every waiter. Idempotent. */
  fail(error: SmtpError): void {
    if (this.failure !== undefined) return;
    this.failure = error;
    this.disarmWaitTimer();
    for (const timer of this.waitTimers.values()) clearTimeout(timer);
    this.waitTimers.clear();
    this.socket?.destroy();
    this.reader?.reject(error);
    for (const waiter of [...this.waiters]) waiter(error);
    this.waiters.clear();
    // A socket that never existed emits no 'close'; report one so observers see an end.
    if (this.socket === undefined) this.emitClose(false);
  }

  private get where(): string {
    return `${this.host}:${this.port}`;
  }

  /** Starts a wait (for a reply or 'drain'; never both at once): `expire` runs if it lasts `timeoutMs`. */
  private armWaitTimer(timeoutMs: number, expire: () => void): void {
    let timer = this.waitTimers.get(timeoutMs);
    if (timer === undefined) {
      const created = setTimeout(() => {
        if (this.armedTimer === created) this.armedExpire?.();
      }, timeoutMs);
      this.waitTimers.set(timeoutMs, created);
      timer = created;
    } else {
      timer.refresh();
    }
    this.armedTimer = timer;
    this.armedExpire = expire;
  }

  private disarmWaitTimer(): void {
    this.armedTimer = undefined;
    this.armedExpire = undefined;
  }

  private timeoutError(stage: SmtpStage, timeoutMs: number): SmtpTimeoutError {
    return new SmtpTimeoutError({ stage, timeoutMs, message: `The server did not reply within ${seconds(timeoutMs)} (stage ${stage})` });
  }

  private closedError(): SmtpConnectionError {
    return new SmtpConnectionError({ stage: this.stage, code: 'CLOSED', message: `The server closed the connection (stage ${this.stage})` });
  }

  /** Runs `start(done)` and waits for `done`, a timeout, or a failure. */
  private until(start: (done: () => void) => void, timeoutMs: number, timeoutMessage: () => string): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const stage = this.stage;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => this.fail(new SmtpTimeoutError({ stage, timeoutMs, message: timeoutMessage() })), timeoutMs);
      const waiter: Waiter = (error) => {
        clearTimeout(timer);
        reject(error);
      };
      this.waiters.add(waiter);
      start(() => {
        clearTimeout(timer);
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
      const detail = error instanceof MalformedReplyError ? error.message : String(error);
      this.fail(new SmtpProtocolError({ stage: this.stage, message: `The server sent an invalid reply: ${this.scrub(detail)} (stage ${this.stage})` }));
      return;
    }
    for (const parsed of replies) {
      const reply = this.scrubReply(parsed);
      this.emit?.({ type: 'receive', reply: { code: reply.code, ...(reply.enhancedCode === undefined ? {} : { enhancedCode: reply.enhancedCode }), lines: reply.lines }, raw: reply.raw });
      if (this.reader !== undefined) this.reader.deliver(reply);
      else if (this.queue.push(reply) > MAX_QUEUED_REPLIES) {
        this.fail(new SmtpProtocolError({ stage: this.stage, message: `The server sent more than ${MAX_QUEUED_REPLIES} replies nobody asked for (stage ${this.stage})` }));
        return;
      }
    }
  }

  /** The reply with secrets removed; the same object when there was nothing to remove (the usual case). */
  private scrubReply(reply: ParsedReply): ParsedReply {
    const lines = scrubAll(reply.lines, this.scrub);
    const raw = scrubAll(reply.raw, this.scrub);
    if (lines === reply.lines && raw === reply.raw) return reply;
    return reply.enhancedCode === undefined ? { code: reply.code, lines, raw } : { code: reply.code, enhancedCode: reply.enhancedCode, lines, raw };
  }

  private onSocketError(error: Error): void {
    if (this.failure !== undefined) return;
    const code = (error as NodeJS.ErrnoException).code ?? (this.stage === 'tls' ? 'TLS_FAILED' : 'ECONNECTION');
    const stage = this.stage;
    if (stage === 'tls') {
      this.fail(new SmtpTlsError({ stage, code, message: `TLS handshake with ${this.where} failed: ${error.message} (stage tls)`, cause: error }));
    } else if (stage === 'connect') {
      this.fail(new SmtpConnectionError({ stage, code, message: `Could not connect to ${this.where}: ${error.message} (stage connect)`, cause: error }));
    } else {
      this.fail(new SmtpConnectionError({ stage, code, message: `The connection to ${this.where} failed: ${error.message} (stage ${stage})`, cause: error }));
    }
  }

  private onClose(hadError: boolean): void {
    if (this.failure === undefined) {
      this.fail(
        this.stage === 'tls'
          ? new SmtpTlsError({ stage: 'tls', code: 'ECONNRESET', message: `The server closed the connection during the TLS handshake (stage tls)` })
          : this.closedError(),
      );
    }
    this.emitClose(hadError);
  }

  private emitClose(hadError: boolean): void {
    if (this.closeEmitted) return;
    this.closeEmitted = true;
    this.emit?.({ type: 'close', hadError });
    for (const resolve of this.closeWaiters.splice(0)) resolve();
  }
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
