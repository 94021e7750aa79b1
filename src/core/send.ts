/**
 * The second half of the one pipeline: a composed message → an SMTP session (connect, secure,
 * authenticate, send, quit). The first half is compose-draft.ts.
 */
import { readFile } from 'node:fs/promises';
import { SetupError } from './errors';
import type { ComposedMessage } from './mime/types';
import type { SmtpProfile } from './profiles';
import { SmtpClient } from './smtp';
import { localized } from './text';
import type { AuthMechanism, ServerInfo, SmtpClientOptions, SmtpCredentials, SmtpObserver, SmtpReply, SmtpTimeouts, TraceLevel } from './smtp/types';

export type DeliveryStage = 'connecting' | 'securing' | 'authenticating' | 'sending' | 'closing';

export interface SessionOptions {
  readonly profile: SmtpProfile;
  /** Password, or the OAuth token when the profile's auth is xoauth2. Never logged. */
  readonly secret?: string;
  readonly observer?: SmtpObserver;
  readonly trace?: TraceLevel;
  readonly signal?: AbortSignal;
  readonly onStage?: (stage: DeliveryStage) => void;
  readonly timeouts?: Partial<SmtpTimeouts>;
  readonly clientName?: string;
}

export interface DeliveryResult {
  readonly messageId: string;
  readonly accepted: readonly string[];
  readonly reply: SmtpReply;
  readonly bytesSent: number;
  readonly server: ServerInfo;
}

const MECHANISMS: Readonly<Record<string, AuthMechanism>> = { plain: 'PLAIN', login: 'LOGIN', 'cram-md5': 'CRAM-MD5', xoauth2: 'XOAUTH2' };

/** Whether this profile will authenticate, and so needs a secret. */
export function profileNeedsSecret(profile: SmtpProfile): boolean {
  return profile.username !== undefined && profile.auth !== 'none';
}

async function clientOptions(options: SessionOptions): Promise<SmtpClientOptions> {
  const { profile } = options;
  let ca: Buffer | undefined;
  if (profile.tls.ca !== undefined) {
    try {
      ca = await readFile(profile.tls.ca);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new SetupError('ca-unreadable', localized('Cannot read the CA file "{0}" of profile "{1}": {2}', profile.tls.ca, profile.name, reason), error);
    }
  }
  const observer: SmtpObserver = (event) => {
    if (event.type === 'send' && /^STARTTLS\b/i.test(event.line)) options.onStage?.('securing');
    options.observer?.(event);
  };
  return {
    host: profile.host,
    port: profile.port,
    security: profile.security,
    tls: { ...(ca === undefined ? {} : { ca }), allowSelfSigned: profile.tls.allowSelfSigned },
    allowPlaintextAuth: profile.allowPlaintextAuth,
    observer,
    trace: options.trace ?? 'messages',
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.timeouts === undefined ? {} : { timeouts: options.timeouts }),
    ...(options.clientName === undefined ? {} : { clientName: options.clientName }),
  };
}

function credentialsFor(profile: SmtpProfile, secret: string | undefined): SmtpCredentials | undefined {
  if (!profileNeedsSecret(profile) || profile.username === undefined) return undefined;
  if (secret === undefined) {
    throw new SetupError('no-password', localized('Profile "{0}" needs a password for {1}.', profile.name, profile.username));
  }
  const mechanism = MECHANISMS[profile.auth] ?? 'auto';
  return mechanism === 'XOAUTH2'
    ? { username: profile.username, accessToken: secret, mechanism }
    : { username: profile.username, password: secret, mechanism };
}

/** Connect, secure and authenticate as the profile says; the caller sends and closes. */
async function openSession(options: SessionOptions): Promise<{ client: SmtpClient; server: ServerInfo; mechanism?: AuthMechanism }> {
  const credentials = credentialsFor(options.profile, options.secret);
  const client = new SmtpClient(await clientOptions(options));
  try {
    options.onStage?.('connecting');
    const server = await client.connect();
    if (credentials === undefined) return { client, server };
    options.onStage?.('authenticating');
    const mechanism = await client.authenticate(credentials);
    return { client, server, mechanism };
  } catch (error) {
    client.close();
    throw error;
  }
}

/** Sends one composed message through the profile's server. Throws SmtpError or SetupError. */
export async function deliver(
  message: ComposedMessage,
  options: SessionOptions & { readonly onProgress?: (sent: number, total: number | undefined) => void },
): Promise<DeliveryResult> {
  const { client, server } = await openSession(options);
  try {
    options.onStage?.('sending');
    const result = await client.send(
      { from: message.envelope.from, to: message.envelope.to, size: message.size, eightBit: message.envelope.eightBit, smtpUtf8: message.envelope.smtpUtf8 },
      message.stream(),
      {
        ...(options.signal === undefined ? {} : { signal: options.signal }),
        ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
      },
    );
    options.onStage?.('closing');
    await client.quit();
    return { messageId: message.messageId, accepted: result.accepted, reply: result.reply, bytesSent: result.bytesSent, server };
  } finally {
    client.close();
  }
}

export interface ProfileTestResult {
  readonly server: ServerInfo;
  readonly mechanism?: AuthMechanism;
}

/** Connects, upgrades TLS, authenticates and quits: "does this profile work?". */
export async function testProfile(options: SessionOptions): Promise<ProfileTestResult> {
  const { client, server, mechanism } = await openSession(options);
  try {
    await client.quit();
    return { server: client.info ?? server, ...(mechanism === undefined ? {} : { mechanism }) };
  } finally {
    client.close();
  }
}
