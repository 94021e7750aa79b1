/**
 * The SMTP client's errors, members of the application error family (core/errors.ts): a
 * `kind` discriminant, so the code that turns errors into user messages can switch over every
 * case. Each carries a LocalizedText without the stage; the stage is a field, and the
 * formatter adds it once. Texts never contain credentials: they are built from redacted and
 * scrubbed material only.
 */
import { AppError } from '../errors';
import type { LocalizedText } from '../text';
import type { SmtpReply } from './types';

/** Where in the session the failure happened. */
export type SmtpStage =
  | 'connect'
  | 'greeting'
  | 'ehlo'
  | 'starttls'
  | 'tls'
  | 'auth'
  | 'mail'
  | 'rcpt'
  | 'data'
  | 'message'
  | 'rset'
  | 'quit';

export type SmtpErrorKind =
  /** TCP could not connect, or the server closed or reset the connection. */
  | 'connection'
  /** TLS handshake or certificate verification failed. */
  | 'tls'
  /** The server broke the protocol (malformed or oversized reply, bytes before TLS, ...). */
  | 'protocol'
  /** The server answered a command with an unexpected reply code. */
  | 'reply'
  /** Authentication failed or could not be attempted. */
  | 'auth'
  /** One or more RCPT TO were refused; no DATA was sent. */
  | 'recipients'
  /** The server lacks something this message or profile needs (STARTTLS, SMTPUTF8, SIZE limit, AUTH). */
  | 'unsupported'
  /** A stage took longer than its timeout. */
  | 'timeout'
  /** The caller's AbortSignal fired. */
  | 'aborted'
  /** The caller passed something unsendable (CR/LF in an address, say); nothing was written. */
  | 'argument';

export interface RefusedRecipient {
  readonly address: string;
  readonly reply: SmtpReply;
}

interface BaseInit {
  readonly stage: SmtpStage;
  /** The sentence for the user, without the stage (the formatter adds it once). */
  readonly text: LocalizedText;
  readonly transient?: boolean;
  readonly cause?: unknown;
}

/** 4xx: trying again later may work (RFC 5321 4.2.1). */
/** RFC 5321 4.2.1: 4yz is a transient negative completion reply; trying again later may work. */
export function isTransientCode(code: number): boolean {
  return code >= 400 && code < 500;
}

export abstract class SmtpError extends AppError {
  abstract override readonly kind: SmtpErrorKind;
  readonly stage: SmtpStage;
  /** 4xx-like: trying again later may work. 5xx-like failures are permanent. */
  readonly transient: boolean;

  protected constructor(init: BaseInit) {
    super(init.text, init.cause);
    this.stage = init.stage;
    this.transient = init.transient ?? false;
  }
}

export class SmtpConnectionError extends SmtpError {
  readonly kind = 'connection' as const;
  /** Node's errno code (ECONNREFUSED, ECONNRESET, ...) or `CLOSED` when the peer hung up. */
  readonly errno: string;
  constructor(init: BaseInit & { readonly errno: string }) {
    super({ transient: true, ...init });
    this.errno = init.errno;
  }
}

export class SmtpTlsError extends SmtpError {
  readonly kind = 'tls' as const;
  /**
   * Node's TLS/OpenSSL code (CERT_HAS_EXPIRED, ERR_TLS_CERT_ALTNAME_INVALID,
   * ERR_SSL_WRONG_VERSION_NUMBER, ...) or FINGERPRINT_MISMATCH when a pinned certificate differs.
   */
  readonly tlsCode: string;
  constructor(init: BaseInit & { readonly tlsCode: string }) {
    super(init);
    this.tlsCode = init.tlsCode;
  }
}

export class SmtpProtocolError extends SmtpError {
  readonly kind = 'protocol' as const;
  constructor(init: BaseInit) {
    super(init);
  }
}

export class SmtpReplyError extends SmtpError {
  readonly kind = 'reply' as const;
  /** The command as sent (redacted), e.g. `MAIL FROM:<a@b>`, or `(connection greeting)`, `(end of message data)`. */
  readonly command: string;
  readonly reply: SmtpReply;
  constructor(init: Omit<BaseInit, 'transient'> & { readonly command: string; readonly reply: SmtpReply }) {
    super({ ...init, transient: isTransientCode(init.reply.code) });
    this.command = init.command;
    this.reply = init.reply;
  }
}

export class SmtpAuthError extends SmtpError {
  readonly kind = 'auth' as const;
  readonly mechanism: string | undefined;
  /** The server's reply when it refused the credentials; absent when AUTH was not attempted. */
  readonly reply: SmtpReply | undefined;
  constructor(init: BaseInit & { readonly mechanism?: string; readonly reply?: SmtpReply }) {
    super({ transient: init.reply !== undefined && isTransientCode(init.reply.code), ...init });
    this.mechanism = init.mechanism;
    this.reply = init.reply;
  }
}

export class SmtpRecipientsError extends SmtpError {
  readonly kind = 'recipients' as const;
  readonly refused: readonly RefusedRecipient[];
  readonly accepted: readonly string[];
  constructor(init: Omit<BaseInit, 'transient' | 'stage'> & { readonly refused: readonly RefusedRecipient[]; readonly accepted: readonly string[] }) {
    // Transient only if every refusal was a 4xx.
    super({ ...init, stage: 'rcpt', transient: init.refused.every((r) => isTransientCode(r.reply.code)) });
    this.refused = init.refused;
    this.accepted = init.accepted;
  }
}

export class SmtpUnsupportedError extends SmtpError {
  readonly kind = 'unsupported' as const;
  /** The missing extension or limit: STARTTLS, SMTPUTF8, AUTH, SIZE, 8BITMIME. */
  readonly feature: string;
  constructor(init: BaseInit & { readonly feature: string }) {
    super(init);
    this.feature = init.feature;
  }
}

export class SmtpTimeoutError extends SmtpError {
  readonly kind = 'timeout' as const;
  readonly timeoutMs: number;
  constructor(init: BaseInit & { readonly timeoutMs: number }) {
    super({ transient: true, ...init });
    this.timeoutMs = init.timeoutMs;
  }
}

export class SmtpAbortError extends SmtpError {
  readonly kind = 'aborted' as const;
  constructor(init: BaseInit) {
    super({ transient: true, ...init });
  }
}

export class SmtpArgumentError extends SmtpError {
  readonly kind = 'argument' as const;
  constructor(init: BaseInit) {
    super(init);
  }
}

/** Every concrete error, for exhaustive `switch (error.kind)`. */
export type AnySmtpError =
  | SmtpConnectionError
  | SmtpTlsError
  | SmtpProtocolError
  | SmtpReplyError
  | SmtpAuthError
  | SmtpRecipientsError
  | SmtpUnsupportedError
  | SmtpTimeoutError
  | SmtpAbortError
  | SmtpArgumentError;

export function isSmtpError(value: unknown): value is AnySmtpError {
  return value instanceof SmtpError;
}
