/**
 * The one pipeline: draft text → check → compose → deliver. Preview, "Save as .eml" and send
 * all call `composeDraft`, so the bytes previewed or saved are the bytes sent (DESIGN.md).
 */
import { readFile } from 'node:fs/promises';
import { parseAddressList, parseDraft } from './draft';
import type { Address, Draft, DraftFormat, DraftProblem } from './draft/types';
import { renderMarkdown } from './markdown';
import type { RenderedMarkdown } from './markdown/types';
import { composeMessage } from './mime';
import type { ComposedMessage } from './mime/types';
import type { SmtpProfile } from './profiles';
import { SmtpClient } from './smtp';
import type { AuthMechanism, ServerInfo, SmtpClientOptions, SmtpCredentials, SmtpObserver, SmtpReply, SmtpTimeouts, TraceLevel } from './smtp/types';

export interface DraftSource {
  readonly text: string;
  readonly format: DraftFormat;
  /** Folder relative attachment and image paths resolve against. */
  readonly baseDir: string;
  readonly homeDir?: string;
}

export interface CheckedDraft {
  readonly draft: Draft;
  readonly rendered?: RenderedMarkdown;
  /** Warnings only (errors stop the pipeline). */
  readonly warnings: readonly DraftProblem[];
}

export interface CheckResult {
  /** Present when there is no error. */
  readonly checked?: CheckedDraft;
  /** Every problem, errors and warnings, in draft order. */
  readonly problems: readonly DraftProblem[];
}

function byPosition(a: DraftProblem, b: DraftProblem): number {
  return a.start.line - b.start.line || a.start.column - b.start.column;
}

/** Parses the front matter and, for Markdown, renders the body (which finds missing images). */
export async function checkDraft(source: DraftSource): Promise<CheckResult> {
  const parsed = await parseDraft(source.text, {
    format: source.format,
    baseDir: source.baseDir,
    ...(source.homeDir === undefined ? {} : { homeDir: source.homeDir }),
  });
  const draft = parsed.draft;
  if (draft === undefined) return { problems: parsed.problems };
  const rendered =
    draft.format === 'markdown'
      ? await renderMarkdown(draft.body, { baseDir: draft.baseDir, bodyStartLine: draft.bodyStartLine })
      : undefined;
  const problems = [...parsed.problems, ...(rendered?.problems ?? [])].sort(byPosition);
  if (problems.some((p) => p.severity === 'error')) return { problems };
  return { checked: { draft, ...(rendered === undefined ? {} : { rendered }), warnings: problems }, problems };
}

/** A problem with the setup rather than the draft or the server: no sender, an unreadable CA file. */
export class SendSetupError extends Error {
  constructor(
    readonly code: 'no-sender' | 'invalid-sender' | 'ca-unreadable' | 'no-password',
    message: string,
  ) {
    super(message);
  }
  override get name(): string {
    return 'SendSetupError';
  }
}

/** The sender: the draft's `from:`, else the profile's `from`, else a username that is an address. */
export function resolveSender(draft: Draft, profile: Pick<SmtpProfile, 'from' | 'username' | 'name'> | undefined): Address {
  if (draft.from !== undefined) return draft.from;
  const candidate = profile?.from ?? (profile?.username?.includes('@') === true ? profile.username : undefined);
  if (candidate === undefined) {
    throw new SendSetupError(
      'no-sender',
      `No sender: add "from:" to the draft or a "from" to profile "${profile?.name ?? '(none)'}".`,
    );
  }
  const parsed = parseAddressList(candidate);
  const first = parsed.addresses[0];
  if (parsed.errors.length > 0 || parsed.addresses.length !== 1 || first === undefined) {
    throw new SendSetupError('invalid-sender', `The sender "${candidate}" of profile "${profile?.name ?? ''}" is not one valid address.`);
  }
  return first;
}

export interface ComposeDraftOptions {
  readonly profile?: Pick<SmtpProfile, 'from' | 'username' | 'name'>;
  readonly date?: Date;
  readonly messageId?: string;
  readonly boundary?: (depth: number) => string;
}

/** The message exactly as it will be sent. */
export async function composeDraft(checked: CheckedDraft, options: ComposeDraftOptions = {}): Promise<ComposedMessage> {
  return composeMessage({
    draft: checked.draft,
    from: resolveSender(checked.draft, options.profile),
    ...(checked.rendered === undefined ? {} : { rendered: checked.rendered }),
    ...(options.date === undefined ? {} : { date: options.date }),
    ...(options.messageId === undefined ? {} : { messageId: options.messageId }),
    ...(options.boundary === undefined ? {} : { boundary: options.boundary }),
  });
}

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
      throw new SendSetupError('ca-unreadable', `Cannot read the CA file "${profile.tls.ca}" of profile "${profile.name}": ${reason}`);
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
    throw new SendSetupError('no-password', `Profile "${profile.name}" needs a password for ${profile.username}.`);
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

/** Sends one composed message through the profile's server. Throws SmtpError or SendSetupError. */
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
