/**
 * `send-as-email`: the engine's command line, for scripts, CI and our own end-to-end tests.
 * Exit status: 0 sent/written/clean, 1 delivery failed, 2 bad draft, config or usage
 * (core/exit-code.ts decides for every error).
 *
 * Everything printed that comes from a draft, a config file or a server is shown escaped
 * (core/escape.ts): an escape sequence in a subject or a reply cannot drive the terminal.
 */
import { parseArgs } from 'node:util';
import { checkDraft, composeDraft, resolveSender } from '../core/compose-draft';
import type { CheckedDraft, DraftSource } from '../core/compose-draft';
import type { DraftProblem } from '../core/draft/types';
import { escapeForDisplay, escapeForDisplayKeepingLines } from '../core/escape';
import { UsageError } from '../core/errors';
import { exitCodeFor } from '../core/exit-code';
import { explainError, explanationLine, replyText } from '../core/explain';
import { randomIdentity, reproducibleIdentity, sourceDateEpoch } from '../core/identity';
import type { MessageIdentity } from '../core/identity';
import type { ComposedMessage } from '../core/mime/types';
import type { SmtpProfile } from '../core/profiles';
import { SmtpSession, testProfile } from '../core/send';
import type { DeliveryResult, SessionOptions } from '../core/send';
import { isSmtpError } from '../core/smtp/errors';
import type { SmtpObserver, TlsDetails, TraceLevel } from '../core/smtp/types';
import { localized } from '../core/text';
import { formatTranscriptLine, transcriptLines } from '../core/transcript';
import { loadConfig, pickProfile } from './config';
import { readDraftFile } from './draft-file';
import { commandRetrySaveSent, saveSentAfterSend } from './save-sent';
import { writeEmlFile, writeEmlStdout } from './eml-output';
import { printReceiptNote, recordReceipt, refuseResend, wasSent } from './receipt-file';
import { problemLine } from './problem-line';
import { commandReplyOrForward } from './reply';
import { commandMerge, mergeArgs } from './merge';
import { commandLogin, commandLogout } from './login';
import { sessionCredentials } from './password';
import { VERSION } from './version';

export const USAGE = `Usage:
  send-as-email send DRAFT [--profile NAME] [--config FILE] [--eml FILE|-] [--trace off|messages|verbose]
                [--resend] [--no-receipt]
  send-as-email check DRAFT
  send-as-email merge DRAFT [--data FILE] [--send] [--limit N] [--rate N/min] [--out DIR]
                [--journal FILE] [--resend-unknown] [--profile NAME] [--config FILE]
  send-as-email reply MESSAGE.eml [--all] [--output|-o DRAFT.md [--force]] [--profile NAME] [--config FILE]
  send-as-email forward MESSAGE.eml [--output|-o DRAFT.md [--force]]
  send-as-email test-profile [--profile NAME] [--config FILE] [--trace off|messages|verbose]
  send-as-email login [--profile NAME] [--config FILE]
  send-as-email logout [--profile NAME] [--config FILE]
  send-as-email retry-save-sent [--config FILE] [--trace off|messages|verbose]
  send-as-email --version | --help

send          checks the draft, then sends it; with --eml writes the message instead (- for stdout)
              and sends nothing. After the send the draft gains "sent:" and "message-id:" (a
              receipt; --no-receipt leaves the file alone); a draft that has "sent:" is refused
              (exit 2) unless --resend is given.
check         prints each problem of the draft as FILE:LINE:COL.
merge         one draft × a table (CSV, JSON, YAML; --data or "merge:" in the draft): every
              {{ column }} filled per row, every row checked first. Without --send a dry run:
              one .eml per row into --out DIR (default DRAFT-NAME.merge/). With --send: one
              connection, --rate per minute (default: the preset's), a journal (default
              DATA-NAME.sent.jsonl) so a re-run never sends a row twice; rows whose outcome is
              unknown are sent again only with --resend-unknown. Report: DATA-NAME.report.csv.
reply         writes a reply draft to a received message (--all: also its To and Cc, minus you);
              forward: a draft with the message attached. To stdout, or --output FILE (--force
              replaces an existing FILE).
test-profile  connects, secures, authenticates and quits; prints what the server offers and its
              TLS certificate's SHA-256 fingerprint, to pin with "tls": { "fingerprint": "…" }.
login         signs an "auth": "oauth2" profile in: prints the authorization URL (and opens a
              browser where one is available), waits for the redirect to 127.0.0.1, and keeps
              the tokens in the Secret Service keyring where one is running (Linux), else in
              ~/.config/send-as-email/oauth-grants.json (mode 0600); logout forgets them.
retry-save-sent  files the copies kept when the copy to the Sent folder (IMAP) failed after a
              send; they wait in $XDG_STATE_HOME/send-as-email/unsent-copies/. An IMAP login
              with its own password reads SEND_AS_EMAIL_IMAP_PASSWORD, or asks on a terminal.
--trace       the SMTP conversation on stderr, for send and test-profile (default messages;
              verbose adds the message data; off prints none).

Profiles come from --config FILE, else $SEND_AS_EMAIL_CONFIG, else ~/.config/send-as-email/config.json.
The password comes from SEND_AS_EMAIL_PASSWORD, or is asked for on a terminal (not for oauth2 profiles).
Exit status: 0 done, 1 delivery failed, 2 bad draft, config or usage (nothing sent).`;

const TRACE_LEVELS: readonly TraceLevel[] = ['off', 'messages', 'verbose'];

const OPTIONS = {
  profile: { type: 'string' },
  config: { type: 'string' },
  eml: { type: 'string' },
  trace: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
  resend: { type: 'boolean' },
  'no-receipt': { type: 'boolean' },
  all: { type: 'boolean' },
  output: { type: 'string', short: 'o' },
  force: { type: 'boolean' },
  data: { type: 'string' },
  send: { type: 'boolean' },
  limit: { type: 'string' },
  rate: { type: 'string' },
  out: { type: 'string' },
  journal: { type: 'string' },
  'resend-unknown': { type: 'boolean' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

/** What the error report needs to know about how far the command got. */
interface Context {
  profile: SmtpProfile | undefined;
  /** The last TLS handshake seen: test-profile shows its fingerprint even when the session then fails. */
  tls: TlsDetails | undefined;
}

export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

/** The terminal. Untrusted text is escaped where it is printed; this is the last line of defence. */
const stdio: Io = {
  out: (text) => process.stdout.write(`${escapeForDisplayKeepingLines(text)}\n`),
  err: (text) => process.stderr.write(`${escapeForDisplayKeepingLines(text)}\n`),
};

function parse(argv: readonly string[]): { values: Values; positionals: string[] } {
  try {
    return parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(localized('Invalid arguments: {0}', error instanceof Error ? error.message : String(error)));
  }
}

function traceLevel(value: string | undefined): TraceLevel {
  if (value === undefined) return 'messages';
  if (!(TRACE_LEVELS as readonly string[]).includes(value)) throw new UsageError(localized('--trace must be one of {0}', TRACE_LEVELS.join(', ')));
  return value as TraceLevel;
}

function printProblems(file: string, problems: readonly DraftProblem[], io: Io): void {
  for (const p of problems) io.err(problemLine(file, p));
}

/** The part send and test-profile share before a session: the profile, its password, the trace. */
async function sessionFor(profile: SmtpProfile, trace: TraceLevel, io: Io, context: Context): Promise<SessionOptions> {
  context.profile = profile;
  const credentials = await sessionCredentials(profile, (line) => {
    if (trace !== 'off') io.err(formatTranscriptLine({ who: '*', text: line }));
  });
  const observer: SmtpObserver = (event) => {
    if (event.type === 'tls') context.tls = event.details;
    if (trace === 'off') return;
    for (const line of transcriptLines(event)) io.err(formatTranscriptLine(line));
  };
  return { profile, trace, ...credentials, observer };
}

/** The message as it will be sent: with SOURCE_DATE_EPOCH, the same bytes on every run. */
/**
 * The message's identity: with SOURCE_DATE_EPOCH, the same bytes on every run. Made before any
 * password prompt or connection, so a bad sender or epoch is reported first.
 */
function identityFor(source: DraftSource, checked: CheckedDraft, profile: SmtpProfile | undefined): MessageIdentity {
  const sender = resolveSender(checked.draft, profile).address;
  const epoch = sourceDateEpoch(process.env['SOURCE_DATE_EPOCH']);
  return epoch === undefined ? randomIdentity(sender) : reproducibleIdentity(source.text, epoch, sender);
}

async function commandCheck(file: string, values: Values, io: Io): Promise<number> {
  const source = await readDraftFile(file);
  const result = await checkDraft({ ...source, render: (await loadConfig(values.config)).render });
  printProblems(file, result.problems, io);
  if (result.checked !== undefined) printReceiptNote(file, source.text, result.checked.draft, io);
  return result.checked === undefined ? 2 : 0;
}

async function writeEml(target: string, message: ComposedMessage, io: Io): Promise<number> {
  if (target === '-') {
    await writeEmlStdout(message.stream(), process.stdout);
    return 0;
  }
  await writeEmlFile(target, () => message.stream());
  io.out(escapeForDisplay(`Wrote ${message.size} bytes to ${target} (${message.messageId}); nothing was sent.`));
  return 0;
}

async function commandSend(file: string, values: Values, trace: TraceLevel, io: Io, context: Context): Promise<number> {
  const source = await readDraftFile(file);
  const config = await loadConfig(values.config);
  const result = await checkDraft({ ...source, render: config.render });
  printProblems(file, result.problems, io);
  const checked = result.checked;
  if (checked === undefined) return 2;

  const profileName = values.profile ?? checked.draft.profile;
  if (values.eml !== undefined) {
    // For --eml a profile only supplies the sender: a draft with "from:" needs none unless one is named.
    const needsProfile = checked.draft.from === undefined || profileName !== undefined;
    const profile = needsProfile ? pickProfile(config, profileName) : undefined;
    return writeEml(values.eml, await composeDraft(checked, identityFor(source, checked, profile), profile), io);
  }
  if (wasSent(checked.draft) && values.resend !== true) return refuseResend(checked.draft, io);
  const profile = pickProfile(config, profileName);
  // Every input check is done (the draft above; the sender and SOURCE_DATE_EPOCH here; the
  // password in sessionFor): nothing connects for bad input. The session then opens while the
  // message is composed, so the server's greeting wait (servers delay it on purpose) overlaps it.
  const identity = identityFor(source, checked, profile);
  const sessionOptions = await sessionFor(profile, trace, io, context);
  const session = SmtpSession.open(sessionOptions);
  await session.connecting;
  const composed = composeDraft(checked, identity, profile);
  const delivery = await session.send(composed);
  const status = reportDelivery(delivery, profile, io);
  // After a successful send (the server's 250). Nothing here may turn it into a failure.
  if (values['no-receipt'] !== true) await recordReceipt(file, delivery.messageId, io);
  await saveSentAfterSend(await composed, checked.draft.subject, sessionOptions, trace, io);
  return status;
}

function reportDelivery(delivery: DeliveryResult, profile: SmtpProfile, io: Io): number {
  io.out(
    escapeForDisplay(`Sent ${delivery.messageId} to ${delivery.accepted.length} recipient(s) via ${profile.host}:${profile.port}: ${replyText(delivery.reply)}`),
  );
  return 0;
}

function fingerprintLines(tls: TlsDetails | undefined): string[] {
  if (tls?.fingerprint256 === undefined) return [];
  return [
    `  certificate SHA-256: ${tls.fingerprint256}`,
    `  to pin it, add to the profile: "tls": { "fingerprint": "${tls.fingerprint256}" }`,
  ];
}

async function commandTestProfile(values: Values, trace: TraceLevel, io: Io, context: Context): Promise<number> {
  const config = await loadConfig(values.config);
  const profile = pickProfile(config, values.profile);
  const result = await testProfile(await sessionFor(profile, trace, io, context));
  const tls = context.tls;
  const lines = [
    `Profile "${profile.name}": ${profile.host}:${profile.port} (${profile.security}) answers as ${result.server.name}`,
    `  secure: ${result.server.secure ? 'yes' : 'no'}${result.mechanism === undefined ? '' : `; authenticated with ${result.mechanism}`}`,
    ...(tls === undefined ? [] : [`  TLS: ${tls.protocol}, certificate ${tls.authorized ? 'verified' : `NOT verified (${tls.authorizationError ?? 'unknown reason'})`}`]),
    ...fingerprintLines(tls),
    ...[...result.server.extensions].map(([keyword, params]) => `  ${keyword}${params ? ` ${params}` : ''}`),
  ];
  for (const line of lines) io.out(escapeForDisplay(line));
  return 0;
}

async function run(argv: readonly string[], io: Io, context: Context): Promise<number> {
  const { values, positionals } = parse(argv);
  if (values.help === true) {
    io.out(USAGE);
    return 0;
  }
  if (values.version === true) {
    io.out(VERSION);
    return 0;
  }
  const trace = traceLevel(values.trace);
  const [command, ...rest] = positionals;
  switch (command) {
    case 'send':
    case 'check': {
      const file = rest[0];
      if (rest.length !== 1 || file === undefined) throw new UsageError(localized('{0} takes exactly one DRAFT file', command));
      return command === 'check' ? commandCheck(file, values, io) : commandSend(file, values, trace, io, context);
    }
    case 'reply':
    case 'forward':
      return commandReplyOrForward(command, rest, values, io);
    case 'retry-save-sent':
      return commandRetrySaveSent(values.config, trace, io);
    case 'merge':
      return commandMerge(rest, mergeArgs(values, trace), io, (profile) => sessionFor(profile, trace, io, context));
    case 'test-profile':
      if (rest.length !== 0) throw new UsageError(localized('test-profile takes no file'));
      return commandTestProfile(values, trace, io, context);
    case 'login':
    case 'logout':
      if (rest.length !== 0) throw new UsageError(localized('{0} takes no file', command));
      return (command === 'login' ? commandLogin : commandLogout)(values, io, (profile) => (context.profile = profile));
    case undefined:
      throw new UsageError(localized('no command given'));
    default:
      throw new UsageError(localized('unknown command "{0}"', command));
  }
}

/** One line on stderr: what happened and what to do; the usage after a usage error. */
function reportFailure(error: unknown, context: Context, io: Io): number {
  const explanation = explainError(error, { profile: context.profile, audience: 'cli' });
  if (error instanceof UsageError) {
    io.err(`send-as-email: ${escapeForDisplay(explanation.summary)}\n\n${USAGE}`);
  } else {
    io.err(`send-as-email: ${escapeForDisplay(explanationLine(explanation))}`);
  }
  // A certificate that failed the checks (or a pin) is still worth naming: the user can compare it.
  if (isSmtpError(error) && error.kind === 'tls' && context.tls?.fingerprint256 !== undefined) {
    io.err(escapeForDisplay(`send-as-email: the server's certificate has SHA-256 fingerprint ${context.tls.fingerprint256}`));
  }
  return exitCodeFor(error);
}

export async function main(argv: readonly string[], io: Io = stdio): Promise<number> {
  const context: Context = { profile: undefined, tls: undefined };
  try {
    return await run(argv, io, context);
  } catch (error) {
    return reportFailure(error, context, io);
  }
}

if (require.main === module) {
  // A reader that closes the pipe early (`| head`) is not an error worth a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(escapeForDisplayKeepingLines(`send-as-email: ${String(error)}\n`));
      process.exitCode = 1;
    },
  );
}
