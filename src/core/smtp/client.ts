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
 * Every method rejects with one typed SmtpError (see errors.ts) naming the stage. One funnel:
 * every command line goes out through `write(lines, stage)` (CR/LF checked, reported redacted
 * when it carries a credential), every reply comes in through `replies(n, stage)` (one or a
 * pipelined batch), and one checker, `check`, turns an unexpected code into SmtpReplyError
 * (and a 421 into the end of the connection). The stage is passed explicitly at each call.
 * Calls made while another is running wait their turn.
 */
import { hostname } from 'node:os';
import { localized } from '../text';
import { chooseMechanism, offeredMechanisms, runMechanism } from './auth';
import { defaultClientName } from './client-name';
import { SmtpConnection } from './connection';
import { DataEncoder } from './data-encoder';
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
import { credentialForms, SecretScrubber } from './secrets';
import { resolveTimeouts } from './timeouts';
import { isSha256Fingerprint, tlsConnectOptions, verifyPeer } from './tls-setup';
import { isSingleLine } from '../mime/grammar';
import { checkLineSafe, validateEnvelope } from './validate';
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
  readonly redacted?: string | undefined;
}

/** Report progress at most this often (in bytes) so a fast socket does not flood the caller. */
const PROGRESS_STEP = 16 * 1024;
/** QUIT is a courtesy (RFC 5321 4.1.1.10): wait only briefly for its 221. */
const QUIT_TIMEOUT_MS = 3_000;
/** What the greeting and the reply to the final dot answer, as SmtpReplyError.command. */
const END_OF_DATA = '(end of message data)';
const GREETING = '(connection greeting)';

export class SmtpClient {
  private readonly options: SmtpClientOptions;
  private readonly timeouts: SmtpTimeouts;
  private connection: SmtpConnection | undefined;
  private serverInfo: ServerInfo | undefined;
  private tail: Promise<unknown> = Promise.resolve();
  /** Public operations in progress; close() interrupts them instead of sending QUIT. */
  private running = 0;
  private closing = false;
  /** Every form of the credentials, scrubbed from replies for the rest of the session. */
  private readonly secrets = new SecretScrubber();
  /** After the final dot the message may already be accepted: an abort waits for the reply. */
  private abortDeferred = false;
  private abortPending = false;
  private readonly onClientAbort = (): void => this.abort();

  constructor(options: SmtpClientOptions) {
    this.options = options;
    this.timeouts = resolveTimeouts(options.timeouts, options.security);
  }

  /** ServerInfo after the latest EHLO, or undefined before connect(). */
  get info(): ServerInfo | undefined {
    return this.serverInfo;
  }

  /**
   * TCP (or implicit TLS) connect, 220 greeting, EHLO (HELO fallback on 500/502), and for
   * `starttls` STARTTLS + handshake + EHLO again. On failure the session is ended: QUIT when
   * the connection can still carry it, then the connection is closed.
   * @throws SmtpConnectionError, SmtpTlsError, SmtpTimeoutError, SmtpReplyError (greeting
   *   other than 220, 421), SmtpUnsupportedError (STARTTLS not offered), SmtpProtocolError,
   *   SmtpAbortError, SmtpArgumentError (bad client name or fingerprint).
   */
  connect(): Promise<ServerInfo> {
    return this.exclusive(async () => {
      try {
        return await this.openSession();
      } catch (error) {
        await this.endSession();
        throw error;
      }
    });
  }

  /**
   * AUTH with the best offered mechanism (OAUTHBEARER > XOAUTH2 with an accessToken; else CRAM-MD5 > PLAIN > LOGIN),
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
   *   SmtpProtocolError (a reply before the final dot: the message is not confirmed),
   *   SmtpConnectionError, SmtpTimeoutError, SmtpAbortError.
   */
  send(envelope: Envelope, message: MessageSource, options: SendOptions = {}): Promise<SendResult> {
    return this.exclusive(() => this.runSend(envelope, message, options));
  }

  /** QUIT, a brief wait for 221, and a polite close; resolves even if the server just hangs up. */
  quit(): Promise<void> {
    return this.exclusive(() => this.endSession(), false);
  }

  /**
   * Ends the session without waiting. When nothing is running and the connection is usable,
   * that is a QUIT and a polite close in the background (RFC 5321 4.1.1.10); an operation in
   * progress is cut short. Idempotent.
   */
  close(): void {
    this.detachClientSignal();
    const connection = this.connection;
    if (connection === undefined || connection.failed !== undefined || this.closing) return;
    if (this.running > 0) {
      connection.closeByClient();
      return;
    }
    this.closing = true;
    void this.quit().catch(() => undefined);
  }

  // ---------------------------------------------------------------------------------------
  // Session set-up and end

  private async openSession(): Promise<ServerInfo> {
    if (this.connection !== undefined) {
      throw new SmtpArgumentError({ stage: 'connect', text: localized('connect() was already called on this client') });
    }
    const { host, port, security } = this.options;
    if (this.options.clientName !== undefined) {
      checkLineSafe(this.options.clientName, localized('The client name contains a CR, LF or NUL character, which cannot be sent in an SMTP command'), 'ehlo');
    }
    const fingerprint = this.options.tls?.fingerprint;
    if (fingerprint !== undefined && !isSha256Fingerprint(fingerprint)) {
      throw new SmtpArgumentError({ stage: 'connect', text: localized('The TLS fingerprint "{0}" is not a SHA-256 fingerprint (64 hexadecimal digits)', fingerprint) });
    }
    this.throwIfAborted(this.options.signal, 'connect');
    // Without an observer the connection builds no events at all (one per reply otherwise).
    const emit = this.options.observer === undefined ? undefined : (event: SmtpEvent): void => this.emit(event);
    const connection = new SmtpConnection({ host, port, emit, scrub: (text) => this.secrets.scrub(text), plaintextGreeting: security !== 'tls' });
    this.connection = connection;
    this.options.signal?.addEventListener('abort', this.onClientAbort, { once: true });

    await connection.connect(this.timeouts.connect);
    this.emit({ type: 'connect', host, port, address: connection.remoteAddress ?? host, security });
    if (security === 'tls') await this.handshake(connection);

    const greeting = first(await this.replies(1, 'greeting'));
    throwIf(this.check(greeting, [220], 'greeting', GREETING));
    const clientName = this.options.clientName ?? defaultClientName(hostname(), connection.localAddress);
    let info = await this.hello(stripRaw(greeting), clientName);

    if (security === 'starttls') {
      if (!info.extensions.has('STARTTLS')) {
        // Required, never skipped: continuing in plaintext is the downgrade attack STARTTLS
        // stripping relies on (RFC 3207 6).
        throw new SmtpUnsupportedError({
          stage: 'starttls',
          feature: 'STARTTLS',
          text: localized('{0} does not offer STARTTLS, and this profile requires it', `${host}:${port}`),
        });
      }
      await this.command('STARTTLS', [220], 'starttls');
      if (connection.hasUnreadInput()) {
        // Response injection (CVE-2011-0411 and kin): bytes sent after the 220 but before the
        // handshake would later be read as if they came through TLS. A correct server waits.
        // The connection is not trusted with even a QUIT after this.
        const error = new SmtpProtocolError({
          stage: 'starttls',
          text: localized('The server sent data after its 220 reply to STARTTLS, before the TLS handshake (a response injection attempt?)'),
        });
        connection.fail(error);
        throw error;
      }
      await this.handshake(connection);
      // RFC 3207 4.2: discard all knowledge obtained from the server before TLS, and EHLO again.
      this.serverInfo = undefined;
      info = await this.hello(info.greeting, clientName);
    }
    return info;
  }

  private async handshake(connection: SmtpConnection): Promise<void> {
    const { host, tls } = this.options;
    await connection.startTls(tlsConnectOptions(host, tls), this.timeouts.tls, (socket) => verifyPeer(socket, host, tls));
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

  /**
   * QUIT when the connection can still carry it (no failure has ended it: no timeout, no
   * abort, no 421, nothing half-written), a brief wait for the 221, then a polite close (FIN,
   * and close_notify inside TLS). Never throws.
   */
  private async endSession(): Promise<void> {
    this.detachClientSignal();
    const connection = this.connection;
    if (connection === undefined) return;
    if (connection.failed === undefined) {
      try {
        this.write([{ line: 'QUIT' }], 'quit');
        await this.replies(1, 'quit');
      } catch {
        // The session is over either way.
      }
    }
    connection.closeByClient();
    // Resolve once the socket is really gone, so callers (and test runners) see no stragglers.
    await connection.whenClosed();
  }

  // ---------------------------------------------------------------------------------------
  // AUTH

  private async runAuth(credentials: SmtpCredentials): Promise<AuthMechanism> {
    const connection = this.requireConnection('auth');
    checkLineSafe(credentials.username, localized('The username contains a CR, LF or NUL character, which cannot be sent in an SMTP command'), 'auth');
    if (credentials.password?.includes('\u0000') === true || (credentials.accessToken !== undefined && !isSingleLine(credentials.accessToken))) {
      throw new SmtpArgumentError({ stage: 'auth', text: localized('The password or access token contains a character that cannot be sent') });
    }
    const { host } = this.options;
    if (!connection.secure && !isLoopbackHost(host) && this.options.allowPlaintextAuth !== true) {
      throw new SmtpAuthError({
        stage: 'auth',
        text: localized('Refusing to send credentials to {0} over an unencrypted connection; use security "tls" or "starttls"', host),
      });
    }
    const mechanism = chooseMechanism(offeredMechanisms(this.serverInfo?.extensions.get('AUTH')), credentials);
    // Registered before the first AUTH line and kept for the whole session: a server may echo
    // a credential in any later reply too.
    this.secrets.add(credentialForms(credentials));
    try {
      await runMechanism(mechanism, credentials, {
        step: (line, expected, redacted) => this.command(line, expected, 'auth', redacted),
        secret: (value) => this.secrets.add([value]),
        server: { host, port: this.options.port },
      });
      return mechanism;
    } catch (error) {
      // 421 is the server closing down, not a verdict on the credentials.
      if (error instanceof SmtpReplyError && error.reply.code !== 421) {
        throw new SmtpAuthError({
          stage: 'auth',
          mechanism,
          reply: error.reply,
          text: localized('AUTH {0} refused by server: {1}', mechanism, formatReply(error.reply)),
        });
      }
      throw error;
    }
  }

  // ---------------------------------------------------------------------------------------
  // Mail transaction

  private async runSend(envelope: Envelope, message: MessageSource, options: SendOptions): Promise<SendResult> {
    this.requireConnection('mail');
    const info = this.serverInfo;
    if (info === undefined) throw new SmtpConnectionError({ stage: 'mail', errno: 'NOT_CONNECTED', text: localized('send() needs connect() first') });
    validateEnvelope(envelope);
    const lines = buildTransaction(envelope, info.extensions);
    this.throwIfAborted(options.signal, 'mail');
    const onSendAbort = (): void => this.abort();
    options.signal?.addEventListener('abort', onSendAbort, { once: true });
    try {
      const accepted = info.extensions.has('PIPELINING')
        ? await this.envelopePipelined(lines.mail, lines.rcpts, envelope.to)
        : await this.envelopeOneByOne(lines.mail, lines.rcpts, envelope.to);
      const bytesSent = await this.streamBody(message, envelope.size, options);
      const reply = await this.finalReply();
      return { accepted, reply, bytesSent };
    } catch (error) {
      // RSET after a refused transaction keeps the connection usable (RFC 5321 4.1.1.5).
      if (error instanceof SmtpReplyError || error instanceof SmtpRecipientsError) await this.resetQuietly();
      throw error;
    } finally {
      options.signal?.removeEventListener('abort', onSendAbort);
    }
  }

  /**
   * RFC 2920: MAIL and every RCPT in one write, then their replies in order.
   *
   * DATA joins the batch only for a single recipient. With several, one may be refused while
   * others are accepted, and after a 354 the only ways out are a complete message (delivered
   * to the accepted ones: half-sent) or dropping the connection without QUIT (RFC 5321
   * 4.1.1.10; Exim logs such sessions as lost), so DATA waits for their replies. With one,
   * a refusal leaves no valid recipient and the server answers the pipelined DATA with 554 or
   * 503 (RFC 2920 3.1), which saves a round trip on every ordinary message.
   */
  private async envelopePipelined(mail: string, rcpts: readonly string[], addresses: readonly string[]): Promise<string[]> {
    const dataInBatch = rcpts.length === 1;
    this.write([mail, ...rcpts, ...(dataInBatch ? ['DATA'] : [])].map((line) => ({ line })), 'mail');
    // A 421 ends the batch early (the rest will never come); `check` throws it below.
    const count = rcpts.length + (dataInBatch ? 2 : 1);
    const replies = await this.replies(count, (index) => (index === 0 ? 'mail' : index <= rcpts.length ? 'rcpt' : 'data'));
    throwIf(this.check(first(replies), [250], 'mail', mail));
    const problem = this.recipientsProblem(rcpts, replies.slice(1, rcpts.length + 1), addresses);
    if (!dataInBatch) {
      throwIf(problem);
      await this.command('DATA', [354], 'data');
      return [...addresses];
    }
    const dataReply = first(replies.slice(rcpts.length + 1));
    if (problem !== undefined) {
      if (dataReply.code === 354) {
        // The server opened a data phase with no valid recipient (RFC 2920 3.1 says it must
        // not). Only a complete message would end it, so the connection is dropped instead:
        // nothing is sent (RFC 5321 3.3: an interrupted transaction is discarded).
        this.requireConnection('data').fail(
          new SmtpProtocolError({ stage: 'data', text: localized('The server accepted DATA although it refused every recipient; the connection was closed so that nothing is sent') }),
        );
      }
      throw problem;
    }
    throwIf(this.check(dataReply, [354], 'data', 'DATA'));
    return [...addresses];
  }

  /** Without PIPELINING: each command waits for its reply. */
  private async envelopeOneByOne(mail: string, rcpts: readonly string[], addresses: readonly string[]): Promise<string[]> {
    await this.command(mail, [250], 'mail');
    const rcptReplies: ParsedReply[] = [];
    for (const line of rcpts) {
      this.write([{ line }], 'rcpt');
      const reply = first(await this.replies(1, 'rcpt'));
      // A 421 ends the transaction at once: the remaining RCPTs would never be answered.
      if (reply.code === 421) throwIf(this.check(reply, [250, 251], 'rcpt', line));
      rcptReplies.push(reply);
    }
    throwIf(this.recipientsProblem(rcpts, rcptReplies, addresses));
    await this.command('DATA', [354], 'data');
    return [...addresses];
  }

  /** Every refused recipient as one SmtpRecipientsError; a 421 is thrown as itself. */
  private recipientsProblem(rcpts: readonly string[], replies: readonly ParsedReply[], addresses: readonly string[]): SmtpError | undefined {
    const refused: RefusedRecipient[] = [];
    const accepted: string[] = [];
    for (const [index, reply] of replies.entries()) {
      const address = addresses[index] ?? '';
      const problem = this.check(reply, [250, 251], 'rcpt', rcpts[index] ?? '');
      if (problem === undefined) accepted.push(address);
      else if (reply.code === 421) throw problem;
      else refused.push({ address, reply: problem.reply });
    }
    if (refused.length === 0) return undefined;
    const list = refused.map((r) => `<${r.address}> ${formatReply(r.reply)}`).join('; ');
    return new SmtpRecipientsError({
      refused,
      accepted,
      text: localized('{0} of {1} recipient(s) refused by server, nothing sent: {2}', refused.length, addresses.length, list),
    });
  }

  /**
   * Streams the body through the dot-stuffer with backpressure, then the terminator; returns
   * the bytes written. From the 354 until the final dot the server owes no reply: one that
   * comes anyway fails the send (SmtpProtocolError), so a message is never reported as sent on
   * the word of a reply to something else.
   */
  private async streamBody(message: MessageSource, total: number | undefined, options: SendOptions): Promise<number> {
    const connection = this.requireConnection('message');
    connection.setDataPhase(true);
    const encoder = new DataEncoder();
    const iterator = messageChunks(message);
    let sent = 0;
    let reported = 0;
    let finished = false;
    try {
      for (;;) {
        const next = await connection.guard(iterator.next());
        if (next.done === true) break;
        const encoded = encoder.encode(next.value);
        if (encoded.length === 0) continue;
        this.reportData(encoded);
        sent += encoded.length;
        const more = connection.write(encoded, 'message');
        if (options.onProgress !== undefined && sent - reported >= PROGRESS_STEP) {
          reported = sent;
          options.onProgress(sent, total);
        }
        if (!more) await connection.waitDrain('message', this.timeouts.dataBlock);
      }
      finished = true;
    } finally {
      if (!finished) {
        void iterator.return(undefined).catch(() => undefined);
        if (isDestroyable(message)) message.destroy();
        // A half-written DATA can only end with a final dot, which would deliver the part sent
        // so far. Closing the connection discards it (RFC 5321 3.3), and no QUIT or later
        // command may follow, since the server would read it as message content.
        connection.fail(new SmtpConnectionError({ stage: 'message', errno: 'CLOSED', text: localized('The message could not be read to its end; the connection was closed so that nothing is sent') }));
      }
    }
    const end = encoder.finish();
    this.reportData(end);
    sent += end.length;
    connection.write(end, 'message');
    connection.setDataPhase(false);
    // From here on the server may accept the message at any moment: cancelling would only
    // hide the outcome, so an abort now waits for the reply (the contract: "up to the final dot").
    this.abortDeferred = true;
    if (this.options.trace !== 'verbose') this.emit({ type: 'data', bytes: sent });
    options.onProgress?.(sent, total);
    return sent;
  }

  /** At trace "verbose", each piece of DATA as written (dot-stuffed); nothing otherwise. */
  private reportData(piece: Buffer): void {
    if (this.options.trace !== 'verbose' || this.options.observer === undefined) return;
    this.emit({ type: 'data', bytes: piece.length, text: piece.toString('utf8') });
  }

  private async finalReply(): Promise<SmtpReply> {
    try {
      const reply = first(await this.replies(1, 'message'));
      throwIf(this.check(reply, [250], 'message', END_OF_DATA));
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
  private async command(line: string, expected: readonly number[], stage: SmtpStage, redacted?: string): Promise<ParsedReply> {
    this.write([{ line, redacted }], stage);
    const reply = first(await this.replies(1, stage));
    throwIf(this.check(reply, expected, stage, redacted ?? line));
    return reply;
  }

  /**
   * The one way a command line reaches the socket: every line checked for CR, LF and NUL
   * before anything is written (SMTP smuggling), each reported (redacted where it carries a
   * credential), all written in one socket write (one segment for a pipelined batch).
   */
  private write(lines: readonly OutgoingLine[], stage: SmtpStage): void {
    const connection = this.requireConnection(stage);
    for (const { line } of lines) {
      // Never show the line itself here: it may carry a credential.
      if (!isSingleLine(line)) throw new SmtpArgumentError({ stage, text: localized('A command line contains a CR, LF or NUL character') });
    }
    if (this.options.observer !== undefined) {
      for (const { line, redacted } of lines) this.emit({ type: 'send', line: redacted ?? line, redacted: redacted !== undefined });
    }
    connection.write(lines.length === 1 ? `${(lines[0] as OutgoingLine).line}\r\n` : `${lines.map(({ line }) => line).join('\r\n')}\r\n`, stage);
  }

  /**
   * The one way replies are read: the next `count`, each within its stage's time limit
   * (`stage` names all of them, or the i-th). A 421 ends a batch early: the server is closing
   * the channel and the rest will never come (RFC 5321 3.8).
   */
  private replies(count: number, stage: SmtpStage | ((index: number) => SmtpStage)): Promise<ParsedReply[]> {
    const stageAt = typeof stage === 'string' ? (): SmtpStage => stage : stage;
    return this.requireConnection(stageAt(0)).replies(count, stageAt, (s) => this.timeoutFor(s), (reply) => reply.code === 421);
  }

  /**
   * The one reply checker: undefined when the code is one of `expected`, else the error to
   * throw. A 421 (RFC 5321 3.8: service closing the channel) at any stage also ends the
   * connection: replies still owed will never come, so the client closes too rather than
   * read stale ones later, and sends no QUIT.
   */
  private check(reply: ParsedReply, expected: readonly number[], stage: SmtpStage, command: string): SmtpReplyError | undefined {
    if (expected.includes(reply.code)) return undefined;
    const shown = formatReply(reply);
    const text =
      stage === 'greeting'
        ? localized('The server greeted with {0}', shown)
        : stage === 'message'
          ? localized('The server refused the message: {0}', shown)
          : localized('{0} refused by server: {1}', command, shown);
    const error = new SmtpReplyError({ stage, command, reply: stripRaw(reply), text });
    if (reply.code === 421) {
      this.connection?.fail(new SmtpConnectionError({ stage, errno: 'CLOSED', text: localized('The server closed the session: {0}', shown) }));
    }
    return error;
  }

  private timeoutFor(stage: SmtpStage): number {
    switch (stage) {
      case 'greeting':
        return this.timeouts.greeting;
      case 'data':
        return this.timeouts.dataStart;
      case 'message':
        return this.timeouts.dataEnd;
      case 'quit':
        return Math.min(this.timeouts.command, QUIT_TIMEOUT_MS);
      default:
        return this.timeouts.command;
    }
  }

  // ---------------------------------------------------------------------------------------
  // Plumbing

  private requireConnection(stage: SmtpStage): SmtpConnection {
    const connection = this.connection;
    if (connection === undefined) {
      throw new SmtpConnectionError({ stage, errno: 'NOT_CONNECTED', text: localized('Not connected: call connect() first') });
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
    connection.abort();
  }

  private throwIfAborted(signal: AbortSignal | undefined, stage: SmtpStage): void {
    if (signal?.aborted === true || this.options.signal?.aborted === true) throw new SmtpAbortError({ stage, text: localized('Cancelled') });
  }

  private detachClientSignal(): void {
    this.options.signal?.removeEventListener('abort', this.onClientAbort);
  }

  /** Runs one public operation after the previous one; SmtpErrors are reported as events. */
  private exclusive<T>(operation: () => Promise<T>, reportErrors = true): Promise<T> {
    const counted = async (): Promise<T> => {
      this.running += 1;
      try {
        return await operation();
      } finally {
        this.running -= 1;
      }
    };
    const run = this.tail.then(counted, counted);
    this.tail = run.catch(() => undefined);
    if (!reportErrors) return run;
    return run.catch((error: unknown) => {
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

/** The first reply of a batch; `replies` never resolves with fewer than one. */
function first(replies: readonly ParsedReply[]): ParsedReply {
  const reply = replies[0];
  if (reply === undefined) throw new Error('no reply in a batch that must hold one');
  return reply;
}

function throwIf(error: SmtpError | undefined): void {
  if (error !== undefined) throw error;
}

/** Replies in results and errors carry no raw lines (those went out in the `receive` event). */
function stripRaw(reply: ParsedReply | SmtpReply): SmtpReply {
  return reply.enhancedCode === undefined ? { code: reply.code, lines: reply.lines } : { code: reply.code, enhancedCode: reply.enhancedCode, lines: reply.lines };
}

function isDestroyable(source: MessageSource): source is MessageSource & { destroy(): void } {
  return typeof source === 'object' && 'destroy' in source && typeof (source as { destroy?: unknown }).destroy === 'function' && !(source instanceof Uint8Array);
}
