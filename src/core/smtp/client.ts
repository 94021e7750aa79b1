/**
 * The SMTP client (RFC 5321 with PIPELINING, SIZE, 8BITMIME, SMTPUTF8, DSN, ENHANCEDSTATUSCODES,
 * STARTTLS and AUTH). One method per step of a session, like go-smtp's Client:
 *
 *   const client = new SmtpClient({ host, port, security: 'starttls', observer });
 *   await client.connect();                 // greeting, EHLO, STARTTLS, EHLO again
 *   await client.authenticate({ username, password });
 *   await client.send(envelope, message);   // MAIL, RCPT..., DATA, body, "."
 *   await client.quit();
 *
 * Every method rejects with one typed SmtpError (see errors.ts) naming the stage. Every command
 * goes through one funnel, `command()`, which writes the line, reports it (redacted when it
 * carries a credential), reads the reply and turns an unexpected code into SmtpReplyError.
 * Calls made while another is running wait their turn.
 */
import { hostname } from 'node:os';
import { chooseMechanism, offeredMechanisms, REDACTED, runMechanism } from './auth';
import { defaultClientName } from './client-name';
import { SmtpConnection } from './connection';
import { DataEncoder, isWireReadyText } from './data-encoder';
import { parseEhlo } from './ehlo';
import {
  SmtpAbortError,
  SmtpArgumentError,
  SmtpAuthError,
  SmtpConnectionError,
  SmtpError,
  SmtpProtocolError,
  SmtpRecipientsError,
  SmtpReplyError,
  SmtpUnsupportedError,
} from './errors';
import type { RefusedRecipient, SmtpStage } from './errors';
import { isLoopbackHost } from './loopback';
import { buildTransaction } from './mail-params';
import { messageChunks } from './message-source';
import type { ParsedReply } from './reply-parser';
import { formatReply } from './reply-text';
import { resolveTimeouts } from './timeouts';
import { tlsConnectOptions } from './tls-setup';
import { checkLineSafe, hasLineBreaker, validateEnvelope } from './validate';
import type {
  AuthMechanism,
  Envelope,
  MessageSource,
  SendOptions,
  SendResult,
  ServerInfo,
  SmtpClientOptions,
  SmtpCredentials,
  SmtpEvent,
  SmtpReply,
  SmtpTimeouts,
} from './types';

/** One line to write; `redacted` replaces it in events when it carries a credential. */
interface OutgoingLine {
  readonly line: string;
  readonly redacted?: string;
}

/** Report progress at most this often (in bytes) so a fast socket does not flood the caller. */
const PROGRESS_STEP = 16 * 1024;
/** QUIT is a courtesy: never wait long for its 221. */
const QUIT_TIMEOUT_MS = 10_000;

export class SmtpClient {
  private readonly options: SmtpClientOptions;
  private readonly timeouts: SmtpTimeouts;
  private connection: SmtpConnection | undefined;
  private serverInfo: ServerInfo | undefined;
  private tail: Promise<unknown> = Promise.resolve();
  /** Credential forms scrubbed from server replies while AUTH runs. */
  private secrets: string[] = [];
  /** After the final dot the message may already be accepted: an abort waits for the reply. */
  private abortDeferred = false;
  private abortPending = false;
  private readonly onClientAbort = (): void => this.abort();

  constructor(options: SmtpClientOptions) {
    this.options = options;
    this.timeouts = resolveTimeouts(options.timeouts);
  }

  /** ServerInfo after the latest EHLO, or undefined before connect(). */
  get info(): ServerInfo | undefined {
    return this.serverInfo;
  }

  /**
   * TCP (or implicit TLS) connect, 220 greeting, EHLO (HELO fallback on 500/502), and for
   * `starttls` STARTTLS + handshake + EHLO again. On failure the connection is closed.
   * @throws SmtpConnectionError, SmtpTlsError, SmtpTimeoutError, SmtpReplyError (greeting
   *   other than 220, 421), SmtpUnsupportedError (STARTTLS not offered), SmtpProtocolError,
   *   SmtpAbortError, SmtpArgumentError (bad client name).
   */
  connect(): Promise<ServerInfo> {
    return this.exclusive(async () => {
      try {
        return await this.openSession();
      } catch (error) {
        if (error instanceof SmtpError) this.connection?.fail(error);
        this.detachClientSignal();
        throw error;
      }
    });
  }

  /**
   * AUTH with the best offered mechanism (XOAUTH2 if accessToken; else CRAM-MD5 > PLAIN > LOGIN),
   * or the forced one. Returns the mechanism used.
   * @throws SmtpAuthError (refused, not attempted over plaintext, no secret given),
   *   SmtpUnsupportedError (AUTH or the forced mechanism not offered), SmtpReplyError (421),
   *   SmtpConnectionError, SmtpTimeoutError, SmtpAbortError, SmtpArgumentError.
   */
  authenticate(credentials: SmtpCredentials): Promise<AuthMechanism> {
    return this.exclusive(() => this.runAuth(credentials));
  }

  /**
   * MAIL FROM (+SIZE/BODY/SMTPUTF8/DSN params), RCPT TO each, DATA, streamed body, final dot.
   * With PIPELINING, MAIL + all RCPT + DATA go in one write (RFC 2920).
   * @throws SmtpArgumentError (bad address; nothing written), SmtpUnsupportedError (SIZE over
   *   the limit, 8BITMIME or SMTPUTF8 missing; nothing written), SmtpReplyError (MAIL, DATA or
   *   the final dot refused), SmtpRecipientsError (any RCPT refused; no message data sent),
   *   SmtpConnectionError, SmtpTimeoutError, SmtpAbortError, SmtpProtocolError.
   */
  send(envelope: Envelope, message: MessageSource, options: SendOptions = {}): Promise<SendResult> {
    return this.exclusive(() => this.runSend(envelope, message, options));
  }

  /** RSET (RFC 5321 4.1.1.5). @throws SmtpReplyError, SmtpConnectionError, SmtpTimeoutError. */
  reset(): Promise<void> {
    return this.exclusive(async () => {
      await this.command('RSET', [250], 'rset');
    });
  }

  /** QUIT and close; resolves even if the server just hangs up. */
  quit(): Promise<void> {
    return this.exclusive(async () => {
      const connection = this.connection;
      try {
        if (connection !== undefined && connection.failed === undefined) {
          this.writeLines([{ line: 'QUIT' }], 'quit');
          await connection.readReply('quit', Math.min(this.timeouts.command, QUIT_TIMEOUT_MS));
        }
      } catch {
        // The session is over either way.
      }
      this.close();
      // Resolve once the socket is really gone, so callers (and test runners) see no stragglers.
      if (connection !== undefined) await connection.whenClosed();
    }, false);
  }

  /** Destroy the socket now (idempotent). */
  close(): void {
    this.detachClientSignal();
    const connection = this.connection;
    connection?.fail(new SmtpConnectionError({ stage: connection.stage, code: 'CLOSED', message: `The connection was closed by the client (stage ${connection.stage})` }));
  }

  // ---------------------------------------------------------------------------------------
  // Session set-up

  private async openSession(): Promise<ServerInfo> {
    if (this.connection !== undefined) {
      throw new SmtpArgumentError({ stage: 'connect', message: 'connect() was already called on this client (stage connect)' });
    }
    const { host, port, security } = this.options;
    if (this.options.clientName !== undefined) checkLineSafe(this.options.clientName, 'The client name', 'ehlo');
    this.throwIfAborted(this.options.signal, 'connect');
    // Without an observer the connection builds no events at all (one per reply otherwise).
    const emit = this.options.observer === undefined ? undefined : (event: SmtpEvent): void => this.emit(event);
    const connection = new SmtpConnection(host, port, emit, (text) => this.scrub(text));
    this.connection = connection;
    this.options.signal?.addEventListener('abort', this.onClientAbort, { once: true });

    await connection.connect(this.timeouts.connect);
    this.emit({ type: 'connect', host, port, address: connection.remoteAddress ?? host, security });
    if (security === 'tls') await connection.startTls(tlsConnectOptions(host, this.options.tls), this.timeouts.tls);

    const greeting = await connection.readReply('greeting', this.timeouts.greeting);
    this.expect(greeting, [220], 'greeting', '(connection greeting)');
    const clientName = this.options.clientName ?? defaultClientName(hostname(), connection.localAddress);
    let info = await this.hello(stripRaw(greeting), clientName);

    if (security === 'starttls') {
      if (!info.extensions.has('STARTTLS')) {
        // Required, never skipped: continuing in plaintext is the downgrade attack STARTTLS
        // stripping relies on (RFC 3207 6).
        throw new SmtpUnsupportedError({
          stage: 'starttls',
          feature: 'STARTTLS',
          message: `${host}:${port} does not offer STARTTLS, and this profile requires it (stage starttls)`,
        });
      }
      await this.command('STARTTLS', [220], 'starttls');
      if (connection.hasUnreadInput()) {
        // Response injection (CVE-2011-0411 and kin): bytes sent after the 220 but before the
        // handshake would later be read as if they came through TLS. A correct server waits.
        throw new SmtpProtocolError({
          stage: 'starttls',
          message: 'The server sent data after its 220 reply to STARTTLS, before the TLS handshake (a response injection attempt?) (stage starttls)',
        });
      }
      await connection.startTls(tlsConnectOptions(host, this.options.tls), this.timeouts.tls);
      // RFC 3207 4.2: discard all knowledge obtained from the server before TLS, and EHLO again.
      this.serverInfo = undefined;
      info = await this.hello(info.greeting, clientName);
    }
    return info;
  }

  /** EHLO, or HELO when the server does not know EHLO (RFC 5321 3.2: 500 or 502). */
  private async hello(greeting: SmtpReply, clientName: string): Promise<ServerInfo> {
    const secure = this.requireConnection('ehlo').secure;
    let info: ServerInfo;
    try {
      const reply = await this.command(`EHLO ${clientName}`, [250], 'ehlo');
      const { name, extensions } = parseEhlo(reply);
      info = { greeting, name, extensions, secure, heloFallback: false };
    } catch (error) {
      if (!(error instanceof SmtpReplyError) || (error.reply.code !== 500 && error.reply.code !== 502)) throw error;
      const reply = await this.command(`HELO ${clientName}`, [250], 'ehlo');
      info = { greeting, name: (reply.lines[0] ?? '').trim().split(/\s+/)[0] ?? '', extensions: new Map(), secure, heloFallback: true };
    }
    this.serverInfo = info;
    return info;
  }

  // ---------------------------------------------------------------------------------------
  // AUTH

  private async runAuth(credentials: SmtpCredentials): Promise<AuthMechanism> {
    const connection = this.requireConnection('auth');
    checkLineSafe(credentials.username, 'The username', 'auth');
    if (credentials.password?.includes('\u0000') === true || credentials.accessToken !== undefined && hasLineBreaker(credentials.accessToken)) {
      throw new SmtpArgumentError({ stage: 'auth', message: 'The password or access token contains a character that cannot be sent (stage auth)' });
    }
    const { host } = this.options;
    if (!connection.secure && !isLoopbackHost(host) && this.options.allowPlaintextAuth !== true) {
      throw new SmtpAuthError({
        stage: 'auth',
        message: `Refusing to send credentials to ${host} over an unencrypted connection; use security "tls" or "starttls" (stage auth)`,
      });
    }
    const mechanism = chooseMechanism(offeredMechanisms(this.serverInfo?.extensions.get('AUTH')), credentials);
    this.secrets = [];
    try {
      await runMechanism(mechanism, credentials, {
        step: (line, expected, redacted) => this.command(line, expected, 'auth', redacted),
        secret: (value) => {
          if (value.length > 0) this.secrets.push(value);
        },
      });
      return mechanism;
    } catch (error) {
      // 421 is the server closing down, not a verdict on the credentials.
      if (error instanceof SmtpReplyError && error.reply.code !== 421) {
        throw new SmtpAuthError({
          stage: 'auth',
          mechanism,
          reply: error.reply,
          message: `AUTH ${mechanism} refused by server: ${formatReply(error.reply)} (stage auth)`,
        });
      }
      throw error;
    } finally {
      this.secrets = [];
    }
  }

  private scrub(text: string): string {
    if (this.secrets.length === 0) return text;
    let out = text;
    for (const secret of this.secrets) out = out.split(secret).join(REDACTED);
    return out;
  }

  // ---------------------------------------------------------------------------------------
  // Mail transaction

  private async runSend(envelope: Envelope, message: MessageSource, options: SendOptions): Promise<SendResult> {
    this.requireConnection('mail');
    const info = this.serverInfo;
    if (info === undefined) throw new SmtpConnectionError({ stage: 'mail', code: 'NOT_CONNECTED', message: 'send() needs connect() first (stage mail)' });
    validateEnvelope(envelope);
    const lines = buildTransaction(envelope, info.extensions);
    this.throwIfAborted(options.signal, 'mail');
    const onSendAbort = (): void => this.abort();
    options.signal?.addEventListener('abort', onSendAbort, { once: true });
    try {
      const accepted = info.extensions.has('PIPELINING')
        ? await this.envelopePipelined(lines.mail, lines.rcpts, envelope.to)
        : await this.envelopeOneByOne(lines.mail, lines.rcpts, envelope.to);
      const small = smallInMemory(message);
      const bytesSent = small === undefined ? await this.streamBody(message, envelope.size, options) : this.writeSmallBody(small, envelope.size, options);
      const reply = await this.readFinalReply();
      return { accepted, reply, bytesSent };
    } catch (error) {
      // RSET after a failed transaction keeps the connection usable (RFC 5321 4.1.1.5).
      if ((error instanceof SmtpReplyError && error.code !== 421) || error instanceof SmtpRecipientsError) await this.resetQuietly();
      throw error;
    } finally {
      options.signal?.removeEventListener('abort', onSendAbort);
    }
  }

  /** RFC 2920: MAIL, every RCPT and DATA in one write, then the replies in order. */
  private async envelopePipelined(mail: string, rcpts: readonly string[], addresses: readonly string[]): Promise<string[]> {
    const connection = this.requireConnection('mail');
    this.writeCommands([mail, ...rcpts, 'DATA'], 'mail');
    // The replies as one batch (one promise, one timer restarted per reply). A 421 means the
    // server is closing the connection (RFC 5321 3.8): the replies still expected will never
    // come, so the batch stops there and the 421 is reported at once.
    const rcptCount = rcpts.length;
    const replies = await connection.readReplies(
      rcptCount + 2,
      (index) => (index === 0 ? 'mail' : index <= rcptCount ? 'rcpt' : 'data'),
      (stage) => this.timeoutFor(stage),
      (reply) => reply.code === 421,
    );
    const mailReply = closingCheck(replies[0] as ParsedReply, mail, 'mail');
    const rcptReplies = replies.slice(1, rcptCount + 1);
    rcptReplies.forEach((reply, index) => closingCheck(reply, rcpts[index] ?? '', 'rcpt'));
    const dataReply = replies[rcptCount + 1] as ParsedReply;

    const problem = this.transactionProblem(mail, mailReply, rcptReplies, addresses) ?? this.replyProblem(dataReply, [354], 'data', 'DATA');
    if (problem === undefined) return [...addresses];
    if (dataReply.code === 354) {
      // The server is now reading message data and only a complete message ends that. Closing
      // the connection is the one way to abandon it without delivering an empty or partial
      // message (RFC 5321 3.3: an interrupted transaction is discarded).
      connection.fail(
        new SmtpConnectionError({ stage: 'data', code: 'CLOSED', message: 'The connection was closed to abandon a transaction the server had already opened for data (stage data)' }),
      );
    }
    throw problem;
  }

  /** Without PIPELINING: each command waits for its reply. */
  private async envelopeOneByOne(mail: string, rcpts: readonly string[], addresses: readonly string[]): Promise<string[]> {
    const connection = this.requireConnection('mail');
    await this.command(mail, [250], 'mail');
    const rcptReplies: ParsedReply[] = [];
    for (const line of rcpts) {
      this.writeLines([{ line }], 'rcpt');
      rcptReplies.push(closingCheck(await connection.readReply('rcpt', this.timeouts.command), line, 'rcpt'));
    }
    const problem = this.transactionProblem(mail, undefined, rcptReplies, addresses);
    if (problem !== undefined) throw problem;
    await this.command('DATA', [354], 'data');
    return [...addresses];
  }

  /** The first thing wrong with the envelope replies, as the error to throw. */
  private transactionProblem(
    mail: string,
    mailReply: ParsedReply | undefined,
    rcptReplies: readonly ParsedReply[],
    addresses: readonly string[],
  ): SmtpError | undefined {
    if (mailReply !== undefined) {
      const mailProblem = this.replyProblem(mailReply, [250], 'mail', mail);
      if (mailProblem !== undefined) return mailProblem;
    }
    const refused: RefusedRecipient[] = [];
    const accepted: string[] = [];
    rcptReplies.forEach((reply, i) => {
      const address = addresses[i] ?? '';
      if (reply.code === 250 || reply.code === 251) accepted.push(address);
      else refused.push({ address, reply: stripRaw(reply) });
    });
    if (refused.length === 0) return undefined;
    const list = refused.map((r) => `<${r.address}> ${formatReply(r.reply)}`).join('; ');
    return new SmtpRecipientsError({
      refused,
      accepted,
      message: `${refused.length} of ${addresses.length} recipient${addresses.length === 1 ? '' : 's'} refused by server, nothing sent: ${list} (stage rcpt)`,
    });
  }

  /** A small in-memory message: encoded whole and written with the terminator in one write. */
  private writeSmallBody(message: string | Buffer, total: number | undefined, options: SendOptions): number {
    if (typeof message === 'string' && isWireReadyText(message)) {
      // Already in wire form (what the composer and most callers produce): written as it is,
      // without first copying it into a Buffer, with the final CRLF if missing and the dot.
      return this.endBody([message, message === '' || message.endsWith('\r\n') ? '.\r\n' : '\r\n.\r\n'], 0, total, options);
    }
    const encoder = new DataEncoder();
    const body = encoder.encode(typeof message === 'string' ? Buffer.from(message, 'utf8') : message);
    return this.endBody(body.length > 0 ? [body, encoder.finish()] : [encoder.finish()], 0, total, options);
  }

  /**
   * Streams the body through the dot-stuffer with backpressure; returns the bytes written.
   * Each encoded chunk is held back until the next one arrives, so the last one goes out in
   * the same write as the terminator.
   */
  private async streamBody(message: MessageSource, total: number | undefined, options: SendOptions): Promise<number> {
    const connection = this.requireConnection('message');
    connection.stage = 'message';
    const encoder = new DataEncoder();
    const iterator = messageChunks(message);
    let sent = 0;
    let reported = 0;
    let held: Buffer | undefined;
    let finished = false;
    try {
      for (;;) {
        const next = await connection.guard(iterator.next());
        if (next.done === true) break;
        const encoded = encoder.encode(next.value);
        if (encoded.length === 0) continue;
        if (held !== undefined) {
          this.reportData(held);
          const more = connection.write(held);
          sent += held.length;
          if (options.onProgress !== undefined && sent - reported >= PROGRESS_STEP) {
            reported = sent;
            options.onProgress(sent, total);
          }
          if (!more) await connection.waitDrain('message', this.timeouts.dataBlock);
        }
        held = encoded;
      }
      finished = true;
    } finally {
      if (!finished) {
        void iterator.return(undefined).catch(() => undefined);
        if (isDestroyable(message)) message.destroy();
      }
    }
    return this.endBody(held === undefined ? [encoder.finish()] : [held, encoder.finish()], sent, total, options);
  }

  /**
   * Writes the last body bytes and the terminator (the last piece) in one write op, not body,
   * then ".\r\n" in a second write and TCP segment; reports the total and returns it.
   */
  private endBody(pieces: readonly (string | Buffer)[], sentBefore: number, total: number | undefined, options: SendOptions): number {
    const connection = this.requireConnection('message');
    connection.stage = 'message';
    let sent = sentBefore;
    for (const piece of pieces) {
      this.reportData(piece);
      sent += typeof piece === 'string' ? Buffer.byteLength(piece, 'utf8') : piece.length;
    }
    connection.writeAll(pieces);
    // From here on the server may accept the message at any moment: cancelling would only
    // hide the outcome, so an abort now waits for the reply (the contract: "up to the final dot").
    this.abortDeferred = true;
    if (this.options.trace !== 'verbose') this.emit({ type: 'data', bytes: sent });
    options.onProgress?.(sent, total);
    return sent;
  }

  /** At trace "verbose", each piece of DATA as written (dot-stuffed); nothing otherwise. */
  private reportData(piece: string | Buffer): void {
    if (this.options.trace !== 'verbose' || this.options.observer === undefined) return;
    if (typeof piece === 'string') this.emit({ type: 'data', bytes: Buffer.byteLength(piece, 'utf8'), text: piece });
    else this.emit({ type: 'data', bytes: piece.length, text: piece.toString('utf8') });
  }

  private async readFinalReply(): Promise<SmtpReply> {
    const connection = this.requireConnection('message');
    try {
      const reply = await connection.readReply('message', this.timeouts.dataEnd);
      this.expect(reply, [250], 'message', '(end of message data)');
      return stripRaw(reply);
    } finally {
      this.abortDeferred = false;
      if (this.abortPending) {
        this.abortPending = false;
        this.abort();
      }
    }
  }

  private async resetQuietly(): Promise<void> {
    if (this.connection?.failed !== undefined) return;
    try {
      await this.command('RSET', [250], 'rset');
    } catch {
      // The transaction's own error is the one worth reporting.
    }
  }

  // ---------------------------------------------------------------------------------------
  // The funnel

  /** Writes one command, reads its reply, and throws SmtpReplyError unless the code is expected. */
  private async command(line: string, expected: readonly number[], stage: SmtpStage, redactedLine?: string): Promise<ParsedReply> {
    const connection = this.requireConnection(stage);
    this.writeLines([redactedLine === undefined ? { line } : { line, redacted: redactedLine }], stage);
    const reply = await connection.readReply(stage, this.timeoutFor(stage));
    return this.expect(reply, expected, stage, redactedLine ?? line);
  }

  /** Writes lines in one socket write; each is reported (redacted where it must be) first. */
  private writeLines(lines: readonly OutgoingLine[], stage: SmtpStage): void {
    const connection = this.requireConnection(stage);
    for (const { line } of lines) {
      // Never show the line itself here: it may carry a credential.
      if (hasLineBreak(line)) throw new SmtpArgumentError({ stage, message: `A command line contains CR or LF (stage ${stage})` });
    }
    connection.stage = stage;
    for (const { line, redacted } of lines) this.emit({ type: 'send', line: redacted ?? line, redacted: redacted !== undefined });
    connection.write(lines.map(({ line }) => `${line}\r\n`).join(''));
  }

  /** writeLines for a batch of lines that carry no credential (the pipelined envelope). */
  private writeCommands(lines: readonly string[], stage: SmtpStage): void {
    const connection = this.requireConnection(stage);
    for (const line of lines) {
      if (hasLineBreak(line)) throw new SmtpArgumentError({ stage, message: `A command line contains CR or LF (stage ${stage})` });
    }
    connection.stage = stage;
    if (this.options.observer !== undefined) for (const line of lines) this.emit({ type: 'send', line, redacted: false });
    connection.write(`${lines.join('\r\n')}\r\n`);
  }

  private expect(reply: ParsedReply, expected: readonly number[], stage: SmtpStage, shownCommand: string): ParsedReply {
    const problem = this.replyProblem(reply, expected, stage, shownCommand);
    if (problem !== undefined) throw problem;
    return reply;
  }

  private replyProblem(reply: ParsedReply, expected: readonly number[], stage: SmtpStage, shownCommand: string): SmtpReplyError | undefined {
    if (expected.includes(reply.code)) return undefined;
    const verb = stage === 'greeting' ? 'The server greeted with' : `${shownCommand} refused by server:`;
    return new SmtpReplyError({ stage, command: shownCommand, reply: stripRaw(reply), message: `${verb} ${formatReply(reply)} (stage ${stage})` });
  }

  private timeoutFor(stage: SmtpStage): number {
    switch (stage) {
      case 'greeting':
        return this.timeouts.greeting;
      case 'data':
        return this.timeouts.dataStart;
      case 'message':
        return this.timeouts.dataEnd;
      default:
        return this.timeouts.command;
    }
  }

  // ---------------------------------------------------------------------------------------
  // Plumbing

  private requireConnection(stage: SmtpStage): SmtpConnection {
    const connection = this.connection;
    if (connection === undefined) {
      throw new SmtpConnectionError({ stage, code: 'NOT_CONNECTED', message: `Not connected: call connect() first (stage ${stage})` });
    }
    if (connection.failed !== undefined) throw connection.failed;
    return connection;
  }

  private abort(): void {
    const connection = this.connection;
    if (connection === undefined) return;
    if (this.abortDeferred) {
      this.abortPending = true;
      return;
    }
    const stage = connection.stage;
    connection.fail(new SmtpAbortError({ stage, message: `Cancelled (stage ${stage})` }));
  }

  private throwIfAborted(signal: AbortSignal | undefined, stage: SmtpStage): void {
    if (signal?.aborted === true || this.options.signal?.aborted === true) throw new SmtpAbortError({ stage, message: `Cancelled (stage ${stage})` });
  }

  private detachClientSignal(): void {
    this.options.signal?.removeEventListener('abort', this.onClientAbort);
  }

  /** Runs one public operation after the previous one; SmtpErrors are reported as events. */
  private exclusive<T>(operation: () => Promise<T>, reportErrors = true): Promise<T> {
    const run = this.tail.then(operation, operation);
    this.tail = run.catch(() => undefined);
    if (!reportErrors) return run;
    return run.catch((error: unknown) => {
      if (error instanceof SmtpReplyError && error.code === 421) {
        // RFC 5321 3.8: 421 means the server is closing the channel; replies still owed will
        // never come, so the client closes too rather than read stale ones later.
        this.connection?.fail(new SmtpConnectionError({ stage: error.stage, code: 'CLOSED', message: `The server closed the session: ${formatReply(error.reply)} (stage ${error.stage})` }));
      }
      if (error instanceof SmtpError) this.emit({ type: 'error', error });
      throw error;
    });
  }

  private emit(event: SmtpEvent): void {
    const observer = this.options.observer;
    if (observer === undefined) return;
    try {
      observer(event);
    } catch {
      // An observer must not throw (types.ts); if one does, the session carries on.
    }
  }
}

/** Throws the SmtpReplyError for a 421 (service closing), which ends the transaction whatever the command. */
function closingCheck(reply: ParsedReply, shownCommand: string, stage: SmtpStage): ParsedReply {
  if (reply.code !== 421) return reply;
  throw new SmtpReplyError({ stage, command: shownCommand, reply: stripRaw(reply), message: `${shownCommand} refused by server: ${formatReply(reply)} (stage ${stage})` });
}

/** Replies in results and errors carry no raw lines (those went out in the `receive` event). */
function stripRaw(reply: ParsedReply | SmtpReply): SmtpReply {
  return reply.enhancedCode === undefined ? { code: reply.code, lines: reply.lines } : { code: reply.code, enhancedCode: reply.enhancedCode, lines: reply.lines };
}

/** Messages up to this size given as a string or bytes are encoded and written in one piece. */
const SMALL_MESSAGE = 64 * 1024;

/** A small in-memory message (text or bytes), or undefined for a stream or a large message. */
function smallInMemory(source: MessageSource): string | Buffer | undefined {
  if (typeof source === 'string') return source.length <= SMALL_MESSAGE / 3 || Buffer.byteLength(source) <= SMALL_MESSAGE ? source : undefined;
  if (!(source instanceof Uint8Array) || source.length > SMALL_MESSAGE) return undefined;
  return Buffer.isBuffer(source) ? source : Buffer.from(source.buffer, source.byteOffset, source.byteLength);
}

function hasLineBreak(line: string): boolean {
  return line.includes('\r') || line.includes('\n');
}

function isDestroyable(source: MessageSource): source is MessageSource & { destroy(): void } {
  return typeof source === 'object' && 'destroy' in source && typeof (source as { destroy?: unknown }).destroy === 'function' && !(source instanceof Uint8Array);
}
