/**
 * Public shapes of the SMTP client: options, envelope, replies and events.
 * Nothing here imports vscode; the extension and the CLI both build on these.
 */
import type { Readable } from 'node:stream';
import type { SmtpError } from './errors';

/**
 * How the connection is secured (lettre's enum, minus "opportunistic", which is open to
 * downgrade: a STARTTLS that silently falls back to plaintext is never offered here).
 * - `tls`: implicit TLS from the first byte (RFC 8314, usually port 465).
 * - `starttls`: plaintext greeting, then STARTTLS is required (RFC 3207, usually port 587).
 * - `none`: plaintext throughout; AUTH is refused unless the host is loopback or allowed.
 */
export type SmtpSecurity = 'tls' | 'starttls' | 'none';

export type AuthMechanism = 'PLAIN' | 'LOGIN' | 'CRAM-MD5' | 'XOAUTH2' | 'OAUTHBEARER';

export interface SmtpCredentials {
  readonly username: string;
  /** Used by PLAIN, LOGIN and CRAM-MD5. Never leaves the client in any event or error. */
  readonly password?: string;
  /** OAuth 2.0 bearer token for OAUTHBEARER (RFC 7628) or XOAUTH2, supplied by the caller. Redacted like a password. */
  readonly accessToken?: string;
  /** Force one mechanism; default `auto` picks the best the server offers. */
  readonly mechanism?: AuthMechanism | 'auto';
}

export interface SmtpTlsOptions {
  /** Extra trusted CA certificates (PEM contents, not a path). */
  readonly ca?: string | Buffer;
  /**
   * Accept a certificate whose chain does not verify (a loopback test server's self-signed
   * one). The host name is still checked. Visible in the `tls` event as `authorized: false`.
   */
  readonly allowSelfSigned?: boolean;
  /**
   * Certificate pinning: the SHA-256 of the server's DER certificate, hex (colons, spaces and
   * case ignored), as `TlsDetails.fingerprint256` shows it. It stands in for the chain and
   * host-name checks for that exact certificate only; any other certificate fails with
   * SmtpTlsError `FINGERPRINT_MISMATCH`.
   */
  readonly fingerprint?: string;
  /** SNI and certificate name to check; defaults to the host when it is a name. */
  readonly servername?: string;
  readonly minVersion?: 'TLSv1.2' | 'TLSv1.3';
}

/** Milliseconds per stage, in the spirit of RFC 5321 4.5.3.2. */
export interface SmtpTimeouts {
  readonly connect: number;
  /**
   * 4.5.3.2.1 Initial 220 Message: 5 minutes with implicit TLS; 15 s by default for
   * `starttls` and `none`, where silence usually means the port expects implicit TLS.
   */
  readonly greeting: number;
  readonly tls: number;
  /** EHLO, AUTH, RSET, QUIT, MAIL (4.5.3.2.2: 5 minutes), RCPT (4.5.3.2.3: 5 minutes). */
  readonly command: number;
  /** 4.5.3.2.4 DATA Initiation: 2 minutes. */
  readonly dataStart: number;
  /** 4.5.3.2.5 Data Block: 3 minutes without being able to write. */
  readonly dataBlock: number;
  /** 4.5.3.2.6 DATA Termination: 10 minutes for the reply to the final dot. */
  readonly dataEnd: number;
}

export type TraceLevel = 'off' | 'messages' | 'verbose';

export interface SmtpClientOptions {
  readonly host: string;
  readonly port: number;
  readonly security: SmtpSecurity;
  readonly tls?: SmtpTlsOptions;
  /** Name for EHLO/HELO; default: the host's FQDN if it has one, else an address literal (RFC 5321 4.1.4). */
  readonly clientName?: string;
  readonly timeouts?: Partial<SmtpTimeouts>;
  /** Allow AUTH over a plaintext connection to a host that is not loopback. Default false. */
  readonly allowPlaintextAuth?: boolean;
  /** Receives every event; must not throw. */
  readonly observer?: SmtpObserver;
  /** `verbose` includes DATA content in `send` events; `messages` summarises it. Default `messages`. */
  readonly trace?: TraceLevel;
  /** Cancels whatever is in flight, up to the final dot; the connection is closed. */
  readonly signal?: AbortSignal;
}

/** Delivery Status Notification parameters (RFC 3461), sent only when the server offers DSN. */
export interface DsnOptions {
  readonly notify?: ReadonlyArray<'SUCCESS' | 'FAILURE' | 'DELAY'> | 'NEVER';
  readonly ret?: 'FULL' | 'HDRS';
  readonly envelopeId?: string;
}

export interface Envelope {
  /** Reverse-path; an empty string sends `MAIL FROM:<>`. */
  readonly from: string;
  /** Every forward-path: To, Cc and Bcc recipients alike. */
  readonly to: readonly string[];
  /** Declared with SIZE= when the server offers SIZE (RFC 1870); checked against its limit first. */
  readonly size?: number;
  /** The message has 8-bit content: BODY=8BITMIME (RFC 6152). */
  readonly eightBit?: boolean;
  /** Addresses or headers need UTF-8: SMTPUTF8 (RFC 6531); an error if the server lacks it. */
  readonly smtpUtf8?: boolean;
  readonly dsn?: DsnOptions;
}

/**
 * The message body for DATA. Line endings are normalised to CRLF and dots are stuffed on the way
 * out. Bytes that need no change are written as they are, not copied: as with a Readable's
 * chunks, neither a Uint8Array source nor a chunk an iterable has yielded may be modified
 * before send() settles.
 */
export type MessageSource = string | Uint8Array | Readable | AsyncIterable<Uint8Array>;

export interface SmtpReply {
  readonly code: number;
  /** RFC 3463 enhanced status code such as `5.1.1`, when the server sends one (RFC 2034). */
  readonly enhancedCode?: string;
  /** Text of each line, without code, separator or enhanced code. */
  readonly lines: readonly string[];
}

export interface SendOptions {
  readonly signal?: AbortSignal;
  /** Called as DATA bytes are written: bytes so far and (when known) the expected total. */
  readonly onProgress?: (sent: number, total: number | undefined) => void;
}

export interface SendResult {
  /** Recipients the server accepted (all of them: a refusal fails the send before DATA). */
  readonly accepted: readonly string[];
  /** The reply to the final dot; its text usually carries the queue id. */
  readonly reply: SmtpReply;
  /** Bytes written after DATA, dot-stuffing and final dot included. */
  readonly bytesSent: number;
}

/** What the server said about itself after the last EHLO. */
export interface ServerInfo {
  readonly greeting: SmtpReply;
  /** Domain from the EHLO reply's first line. */
  readonly name: string;
  /** Upper-case keyword → parameters (e.g. `SIZE` → `35882577`, `AUTH` → `PLAIN LOGIN`). */
  readonly extensions: ReadonlyMap<string, string>;
  /** True when the connection is TLS (implicit or after STARTTLS). */
  readonly secure: boolean;
  /** True when the server did not understand EHLO and HELO was used. */
  readonly heloFallback: boolean;
}

export interface TlsDetails {
  readonly protocol: string;
  readonly cipher: string;
  readonly authorized: boolean;
  readonly authorizationError?: string;
  readonly subject?: string;
  readonly issuer?: string;
  readonly validTo?: string;
  /** SHA-256 of the server's DER certificate, colon hex (`AB:CD:…`): what `tls.fingerprint` pins. */
  readonly fingerprint256?: string;
}

export type SmtpEvent =
  | { readonly type: 'connect'; readonly host: string; readonly port: number; readonly address: string; readonly security: SmtpSecurity }
  | { readonly type: 'tls'; readonly details: TlsDetails }
  /** One line the client wrote, already redacted where it carried a credential. */
  | { readonly type: 'send'; readonly line: string; readonly redacted: boolean }
  /** Summary of DATA content (at `messages`), or each chunk's text at `verbose`. */
  | { readonly type: 'data'; readonly bytes: number; readonly text?: string }
  | { readonly type: 'receive'; readonly reply: SmtpReply; readonly raw: readonly string[] }
  | { readonly type: 'error'; readonly error: SmtpError }
  | { readonly type: 'close'; readonly hadError: boolean };

export type SmtpObserver = (event: SmtpEvent) => void;
