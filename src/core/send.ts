/**
 * The second half of the one pipeline: a composed message → an SMTP session (connect, secure,
 * authenticate, send, quit). The first half is compose-draft.ts. Send and "test profile" share
 * one session scaffold (`withSession`): they differ only in what happens once authenticated.
 */
import { readFile } from 'node:fs/promises';
import { SetupError } from './errors';
import type { ComposedMessage } from './mime/types';
import type { SmtpProfile } from './profiles';
import { profileUsesOAuth } from './oauth/profile-oauth';
import { tokenAuthFor } from './oauth/session-auth';
import type { TokenSource } from './oauth/types';
import { SmtpClient } from './smtp';
import { localized } from './text';
import type { AuthMechanism, ServerInfo, SmtpClientOptions, SmtpCredentials, SmtpObserver, SmtpReply, SmtpTimeouts, TraceLevel } from './smtp/types';

export type DeliveryStage = 'connecting' | 'securing' | 'authenticating' | 'sending' | 'closing';

/** Public: the extension and the CLI build these, so absent fields may be left out. */
export interface SessionOptions {
  readonly profile: SmtpProfile;
  /** Password, or the OAuth token when the profile's auth is xoauth2. Never logged. */
  readonly secret?: string | undefined;
  /** Access tokens for a profile that signs in with OAuth 2.0 (core/oauth); `secret` is then unused. */
  readonly tokenSource?: TokenSource | undefined;
  readonly observer?: SmtpObserver | undefined;
  readonly trace?: TraceLevel | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly onStage?: ((stage: DeliveryStage) => void) | undefined;
  readonly timeouts?: Partial<SmtpTimeouts> | undefined;
  readonly clientName?: string | undefined;
}

export interface DeliveryResult {
  readonly messageId: string;
  readonly accepted: readonly string[];
  readonly reply: SmtpReply;
  readonly bytesSent: number;
  readonly server: ServerInfo;
}

const MECHANISMS: Readonly<Record<string, AuthMechanism>> = { plain: 'PLAIN', login: 'LOGIN', 'cram-md5': 'CRAM-MD5', xoauth2: 'XOAUTH2', oauthbearer: 'OAUTHBEARER' };

/**
 * Whether this profile will authenticate with a secret the user types (a password, or an access
 * token pasted as one). A profile that signs in with OAuth 2.0 gets its tokens from
 * `SessionOptions.tokenSource` instead.
 */
export function profileNeedsSecret(profile: SmtpProfile): boolean {
  return profile.username !== undefined && profile.auth !== 'none' && !profileUsesOAuth(profile);
}

async function readCa(profile: SmtpProfile): Promise<Buffer | undefined> {
  if (profile.tls.ca === undefined) return undefined;
  try {
    return await readFile(profile.tls.ca);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new SetupError('ca-unreadable', localized('Cannot read the CA file "{0}" of profile "{1}": {2}', profile.tls.ca, profile.name, reason), error);
  }
}

/** `T` with the fields that may be undefined made optional instead. */
type Present<T> = { [K in keyof T as undefined extends T[K] ? never : K]: T[K] } & {
  [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined>;
};

/**
 * The client's options are a public shape with exact optional fields; this bag forwards plainly
 * and drops the absent ones in one place.
 */
function present<T extends object>(bag: T): Present<T> {
  return Object.fromEntries(Object.entries(bag).filter(([, value]) => value !== undefined)) as Present<T>;
}

async function clientOptions(options: SessionOptions): Promise<SmtpClientOptions> {
  const { profile } = options;
  const observer: SmtpObserver = (event) => {
    if (event.type === 'send' && /^STARTTLS\b/i.test(event.line)) options.onStage?.('securing');
    options.observer?.(event);
  };
  return present({
    host: profile.host,
    port: profile.port,
    security: profile.security,
    // A pinned SHA-256 fingerprint stands in for the chain and host-name checks for that one
    // certificate (the client compares it after the handshake).
    tls: present({ ca: await readCa(profile), allowSelfSigned: profile.tls.allowSelfSigned, fingerprint: profile.tls.fingerprint }),
    allowPlaintextAuth: profile.allowPlaintextAuth,
    observer,
    trace: options.trace ?? 'messages',
    signal: options.signal,
    timeouts: options.timeouts,
    clientName: options.clientName,
  });
}

function credentialsFor(profile: SmtpProfile, secret: string | undefined): SmtpCredentials | undefined {
  if (!profileNeedsSecret(profile) || profile.username === undefined) return undefined;
  if (secret === undefined) {
    throw new SetupError('no-password', localized('Profile "{0}" needs a password for {1}.', profile.name, profile.username));
  }
  const mechanism = MECHANISMS[profile.auth] ?? 'auto';
  return mechanism === 'XOAUTH2' || mechanism === 'OAUTHBEARER'
    ? { username: profile.username, accessToken: secret, mechanism }
    : { username: profile.username, password: secret, mechanism };
}

interface OpenSession {
  readonly client: SmtpClient;
  readonly server: ServerInfo;
  readonly mechanism: AuthMechanism | undefined;
}

/**
 * The one session scaffold: connect, secure and authenticate as the profile says, then run one
 * piece of work and QUIT (RFC 5321 4.1.1.10). Whatever happens, the connection is closed; a
 * failure is thrown as it came (SmtpError or SetupError) for explainError to word.
 *
 * Opening starts at once, so a caller can prepare the message meanwhile: the CLI checks and
 * composes the draft while the server's greeting is on its way (often the slowest step of a
 * send: servers delay it on purpose to catch clients that talk too early). If the preparation
 * fails, `abandon()` says QUIT and nothing was sent.
 */
export class SmtpSession {
  private readonly client: Promise<SmtpClient>;
  private readonly opened: Promise<OpenSession>;
  private isOpen = false;
  /** Resolves once the TCP connection attempt is under way (or opening failed before it). */
  readonly connecting: Promise<void>;

  private constructor(private readonly options: SessionOptions) {
    // OAuth profiles: the token is fetched (refreshed if need be) while the connection opens.
    const tokenAuth = tokenAuthFor(options.profile, options.tokenSource);
    const credentials = tokenAuth === undefined ? credentialsFor(options.profile, options.secret) : undefined;
    this.client = clientOptions(options).then((clientOptions) => new SmtpClient(clientOptions));
    let started: () => void = () => undefined;
    this.connecting = new Promise<void>((resolve) => {
      started = resolve;
    });
    this.opened = this.client.then(async (client) => {
      options.onStage?.('connecting');
      const connected = client.connect();
      // Node issues the connect(2) on the next tick (after a DNS lookup for a name), so the
      // caller hears "connecting" only once the tick queue has run: its preparation, which may
      // load modules synchronously (the MIME-type table), then starts after the SYN is sent.
      setImmediate(started);
      const server = await connected;
      let mechanism: AuthMechanism | undefined;
      if (tokenAuth !== undefined) {
        options.onStage?.('authenticating');
        mechanism = await tokenAuth.authenticate(client);
      } else if (credentials !== undefined) {
        options.onStage?.('authenticating');
        mechanism = await client.authenticate(credentials);
      }
      this.isOpen = true;
      return { client, server, mechanism };
    });
    // Whoever runs the session sees a failure; until then it must not count as unhandled.
    this.opened.catch(() => undefined).finally(started);
  }

  /** Starts connecting now. @throws SetupError at once when the profile needs a secret it lacks. */
  static open(options: SessionOptions): SmtpSession {
    return new SmtpSession(options);
  }

  /**
   * Waits for the session, runs `work`, then QUITs (also after a refusal: RFC 5321 4.1.1.10).
   * Resolves or rejects only once the connection is really gone, so nothing lingers after the
   * caller has its answer.
   */
  async run<T>(work: (session: OpenSession) => Promise<T>): Promise<T> {
    let client: SmtpClient | undefined;
    try {
      const session = await this.opened;
      client = session.client;
      const result = await work(session);
      this.options.onStage?.('closing');
      return result;
    } finally {
      // quit() skips QUIT when the connection already failed (421, timeout, a cut DATA).
      if (client === undefined) await this.closeClient();
      else await client.quit().catch(() => undefined);
    }
  }

  /**
   * Ends a session that will not be used, without waiting for a slow server: QUIT when it is
   * open, otherwise the connection attempt is cut off now. Never throws.
   */
  async abandon(): Promise<void> {
    if (this.isOpen) {
      const { client } = await this.opened;
      await client.quit();
    }
    await this.closeClient();
  }

  /**
   * Sends one composed message. `message` may still be in preparation (a promise): the session
   * opens meanwhile. If it rejects, the session is abandoned with QUIT and its error is thrown.
   * Throws SmtpError, SetupError, or the preparation's own error.
   */
  async send(message: ComposedMessage | Promise<ComposedMessage>, onProgress?: (sent: number, total: number | undefined) => void): Promise<DeliveryResult> {
    let composed: ComposedMessage;
    try {
      composed = await message;
    } catch (error) {
      await this.abandon();
      throw error;
    }
    return this.run(async ({ client, server }) => {
      this.options.onStage?.('sending');
      const result = await client.send(
        { from: composed.envelope.from, to: composed.envelope.to, size: composed.size, eightBit: composed.envelope.eightBit, smtpUtf8: composed.envelope.smtpUtf8 },
        composed.stream(),
        present({ signal: this.options.signal, onProgress }),
      );
      return { messageId: composed.messageId, accepted: result.accepted, reply: result.reply, bytesSent: result.bytesSent, server };
    });
  }

  private async closeClient(): Promise<void> {
    const client = await this.client.catch(() => undefined);
    client?.close();
  }
}

/** Sends one composed message through the profile's server. Throws SmtpError or SetupError. */
export async function deliver(
  message: ComposedMessage | Promise<ComposedMessage>,
  options: SessionOptions & { readonly onProgress?: ((sent: number, total: number | undefined) => void) | undefined },
): Promise<DeliveryResult> {
  return SmtpSession.open(options).send(message, options.onProgress);
}

export interface ProfileTestResult {
  readonly server: ServerInfo;
  readonly mechanism?: AuthMechanism;
}

/** Connects, upgrades TLS, authenticates and quits: "does this profile work?". */
export async function testProfile(options: SessionOptions): Promise<ProfileTestResult> {
  return SmtpSession.open(options).run(({ client, server, mechanism }) => Promise.resolve(present({ server: client.info ?? server, mechanism })));
}
