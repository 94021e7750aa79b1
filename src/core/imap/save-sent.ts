/**
 * Files a copy of a sent message in the Sent folder over IMAP (imapflow, loaded lazily):
 * connect and secure as the profile says, log in (ID first when the server offers it, RFC 2971 —
 * 163, 126 and QQ refuse mailbox commands from clients that do not identify), find or create the
 * folder (sent-folder.ts), APPEND the exact bytes flagged `\Seen` with the message's Date as
 * internal date (RFC 3501 6.3.11), LOGOUT. Every failure is a SaveSentError naming its stage
 * and the server's reply.
 */
import { readFile } from 'node:fs/promises';
import type { ImapFlow, ImapFlowOptions } from 'imapflow';
import { loadImapFlow } from '../lazy';
import type { SmtpProfile } from '../profiles';
import type { TokenSource } from '../oauth/types';
import { isLoopbackHost } from '../smtp/loopback';
import type { SecretScrubber } from '../smtp/secrets';
import { oneLine } from '../smtp/tls-setup';
import type { SmtpTlsOptions } from '../smtp/types';
import { SaveSentError } from './errors';
import { messageDate } from './message-date';
import { chooseSentFolder } from './sent-folder';
import { secretScrubber, transcriptLogger } from './session-log';
import type { ImapObserver } from './session-log';
import { verifiedTransport } from './transport';
import type { ImapEndpoint, SavedCopy, SaveSentStage } from './types';

export interface ImapCredentials {
  /** The password (or OAuth token with `auth: xoauth2`); never logged. */
  readonly secret: string | undefined;
  /** Access tokens for a profile that signs in with OAuth 2.0 (core/oauth); `secret` is then unused. */
  readonly tokenSource: TokenSource | undefined;
}

export interface SaveSentOptions extends ImapCredentials {
  readonly profile: SmtpProfile;
  readonly imap: ImapEndpoint;
  /** The profile's `sentFolder`, if any. */
  readonly folder: string | undefined;
  readonly observer: ImapObserver | undefined;
  readonly signal: AbortSignal | undefined;
  /** Connection, greeting and idle-socket limits; defaults suit real providers. */
  readonly timeoutMs: number | undefined;
}

/** The fields imapflow puts on a failed command's error. */
interface CommandFailure {
  readonly responseStatus?: string;
  readonly responseText?: string;
  readonly serverResponseCode?: string;
  readonly authenticationFailed?: boolean;
  readonly code?: string;
  readonly message?: string;
}

function failureText(error: unknown): string {
  const failure = (typeof error === 'object' && error !== null ? error : {}) as CommandFailure;
  if (failure.responseText !== undefined) {
    const code = failure.serverResponseCode === undefined ? '' : `[${failure.serverResponseCode}] `;
    return oneLine(`${failure.responseStatus ?? 'NO'} ${code}${failure.responseText}`);
  }
  const message = error instanceof Error ? error.message : String(error);
  return oneLine(failure.code === undefined || message.includes(failure.code) ? message : `${failure.code}: ${message}`);
}

async function tlsOptions(options: SaveSentOptions): Promise<SmtpTlsOptions> {
  const tls = options.imap.tls ?? options.profile.tls;
  let ca: Buffer | undefined;
  if (tls.ca !== undefined) {
    try {
      ca = await readFile(tls.ca);
    } catch (error) {
      throw new SaveSentError('setup', `cannot read the CA file "${tls.ca}": ${error instanceof Error ? error.message : String(error)}`, error);
    }
  }
  return {
    ...(ca === undefined ? {} : { ca }),
    allowSelfSigned: tls.allowSelfSigned,
    ...(tls.fingerprint === undefined ? {} : { fingerprint: tls.fingerprint }),
  };
}

/** The login secret and whether it is an OAuth access token (XOAUTH2 / OAUTHBEARER, RFC 7628). */
async function loginSecret(options: SaveSentOptions): Promise<{ readonly secret: string | undefined; readonly token: boolean }> {
  if (options.tokenSource !== undefined) {
    try {
      return { secret: await options.tokenSource.accessToken(false), token: true };
    } catch (error) {
      throw new SaveSentError('setup', `no access token: ${error instanceof Error ? error.message : String(error)}`, error);
    }
  }
  return { secret: options.secret, token: TOKEN_AUTHS.has(options.profile.auth) };
}

const TOKEN_AUTHS: ReadonlySet<string> = new Set(['xoauth2', 'oauthbearer', 'oauth2']);

async function openClient(options: SaveSentOptions, stage: { current: SaveSentStage }): Promise<{ readonly client: ImapFlow; readonly scrubber: SecretScrubber }> {
  const { imap, profile } = options;
  const username = imap.username ?? profile.username;
  const { secret, token } = await loginSecret(options);
  if (username === undefined || secret === undefined) throw new SaveSentError('setup', 'no IMAP username or password');
  // The same rule as SMTP: no login in plaintext across a network.
  if (imap.security === 'none' && !isLoopbackHost(imap.host) && !profile.allowPlaintextAuth) {
    throw new SaveSentError('setup', `refusing to log in to ${imap.host}:${imap.port} without TLS (set "allowPlaintextAuth" to allow it)`);
  }
  const scrubber = secretScrubber(username, secret, token);
  const observer: ImapObserver = (line) => options.observer?.(line);
  const verified = verifiedTransport(imap.host, await tlsOptions(options), (details) => {
    observer({ who: '*', text: `TLS ${details.protocol}, ${details.cipher}; certificate ${details.authorized ? 'verified' : `NOT verified (${details.authorizationError ?? 'unknown reason'})`}${details.fingerprint256 === undefined ? '' : `; SHA-256 ${details.fingerprint256}`}` });
  });
  const { ImapFlow } = await loadImapFlow();
  const timeout = options.timeoutMs ?? 30_000;
  const settings: ImapFlowOptions = {
    host: imap.host,
    port: imap.port,
    secure: imap.security === 'tls',
    // STARTTLS is required when asked for (RFC 8314 downgrade): never fall back to plaintext.
    doSTARTTLS: imap.security === 'starttls',
    auth: token ? { user: username, accessToken: secret } : { user: username, pass: secret },
    // Only our name: imapflow would otherwise add its own version, vendor and support address.
    clientInfo: { name: 'Send as Email', version: '', vendor: '', 'support-url': '' },
    logger: transcriptLogger(observer, scrubber),
    logRaw: false,
    emitLogs: false,
    disableAutoIdle: true,
    transport: verified.transport,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  };
  observer({ who: '*', text: `IMAP ${imap.host}:${imap.port}, security ${imap.security}, as ${username}` });
  const client = new ImapFlow(settings);
  // A late socket error after the command failed must not become an unhandled 'error' event.
  client.on('error', () => undefined);
  stage.current = 'connect';
  try {
    await client.connect();
  } catch (error) {
    client.close();
    const refusal = verified.refusal();
    if (refusal !== undefined) throw new SaveSentError('tls', refusal.message, refusal);
    const failure = error as CommandFailure;
    throw new SaveSentError(failure.authenticationFailed === true ? 'auth' : 'connect', scrubber.scrub(failureText(error)), error);
  }
  return { client, scrubber };
}

async function fileCopy(client: ImapFlow, message: Buffer, options: SaveSentOptions, stage: { current: SaveSentStage }): Promise<SavedCopy> {
  stage.current = 'list';
  const choice = chooseSentFolder(await client.list(), options.folder);
  if (choice.create) {
    stage.current = 'create';
    // Another client may have created it since the LIST (RFC 5530 ALREADYEXISTS): use it.
    await client.mailboxCreate(choice.path).catch((error: unknown) => {
      if ((error as CommandFailure).serverResponseCode?.toUpperCase() !== 'ALREADYEXISTS') throw error;
    });
  }
  stage.current = 'append';
  const appended = await client.append(choice.path, message, ['\\Seen'], messageDate(message) ?? new Date());
  if (appended === false) throw new SaveSentError('append', `the server did not accept the message into "${choice.path}"`);
  return { folder: choice.path, created: choice.create, ...(appended.uid === undefined ? {} : { uid: appended.uid }) };
}

/** Appends `message` (the exact bytes that were sent) to the Sent folder; throws SaveSentError. */
export async function saveToSent(message: Buffer, options: SaveSentOptions): Promise<SavedCopy> {
  const stage: { current: SaveSentStage } = { current: 'setup' };
  const { client, scrubber } = await openClient(options, stage);
  const abort = (): void => client.close();
  options.signal?.addEventListener('abort', abort, { once: true });
  try {
    const saved = await fileCopy(client, message, options, stage);
    await client.logout().catch(() => undefined);
    return saved;
  } catch (error) {
    client.close();
    if (error instanceof SaveSentError) throw error;
    throw new SaveSentError(stage.current, scrubber.scrub(failureText(error)), error);
  } finally {
    options.signal?.removeEventListener('abort', abort);
  }
}
