/**
 * `send-as-email`: the engine's command line, for scripts, CI and our own end-to-end tests.
 *   send DRAFT [--profile NAME] [--config FILE] [--eml FILE|-] [--trace off|messages|verbose]
 *   check DRAFT
 *   test-profile [--profile NAME] [--config FILE] [--trace …]
 * Exit status: 0 sent/written/clean, 1 delivery failed, 2 bad draft, config or usage.
 */
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import type { DraftProblem } from '../core/draft/types';
import { explainError } from '../core/explain';
import type { SmtpProfile } from '../core/profiles';
import { reproducibleIdentity, sourceDateEpoch } from '../core/reproducible';
import { checkDraft, composeDraft, resolveSender } from '../core/compose-draft';
import { deliver, profileNeedsSecret, testProfile } from '../core/send';
import type { SmtpObserver, TraceLevel } from '../core/smtp/types';
import { formatTranscriptLine, transcriptLines } from '../core/transcript';
import { ConfigError, loadConfig, pickProfile } from './config';
import { readDraftFile } from './draft-file';
import { readPassword } from './password';

export const USAGE = `Usage:
  send-as-email send DRAFT [--profile NAME] [--config FILE] [--eml FILE|-] [--trace off|messages|verbose]
  send-as-email check DRAFT
  send-as-email test-profile [--profile NAME] [--config FILE] [--trace off|messages|verbose]

The password comes from SEND_AS_EMAIL_PASSWORD, or is asked for on a terminal.
Exit status: 0 done, 1 delivery failed, 2 bad draft, config or usage (nothing sent).`;

class UsageError extends Error {}

const TRACE_LEVELS: readonly TraceLevel[] = ['off', 'messages', 'verbose'];

/** What the error report needs to know about how far the command got. */
interface Context {
  profile?: SmtpProfile;
}

interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

export type { Io };

const stdio: Io = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

function traceObserver(level: TraceLevel, io: Io): SmtpObserver | undefined {
  if (level === 'off') return undefined;
  return (event) => {
    for (const line of transcriptLines(event)) io.err(formatTranscriptLine(line));
  };
}

function printProblems(file: string, problems: readonly DraftProblem[], io: Io): void {
  for (const p of problems) io.err(`${file}:${p.start.line}:${p.start.column}: ${p.severity}: ${p.message}`);
}

function parse(argv: readonly string[]): ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>> {
  try {
    return parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

const OPTIONS = {
  profile: { type: 'string' },
  config: { type: 'string' },
  eml: { type: 'string' },
  trace: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

function traceLevel(value: string | undefined): TraceLevel {
  if (value === undefined) return 'messages';
  if (!(TRACE_LEVELS as readonly string[]).includes(value)) throw new UsageError(`--trace must be one of ${TRACE_LEVELS.join(', ')}`);
  return value as TraceLevel;
}

function epochFromEnv(): Date | undefined {
  try {
    return sourceDateEpoch(process.env['SOURCE_DATE_EPOCH']);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
}

async function secretFor(profile: SmtpProfile): Promise<string | undefined> {
  if (!profileNeedsSecret(profile)) return undefined;
  return readPassword(`Password for ${profile.username ?? ''} at ${profile.host}: `);
}

async function commandCheck(file: string, io: Io): Promise<number> {
  const source = await readDraftFile(file);
  const result = await checkDraft(source);
  printProblems(file, result.problems, io);
  return result.checked === undefined ? 2 : 0;
}

async function commandSend(file: string, values: Record<string, string | boolean | undefined>, io: Io, context: Context): Promise<number> {
  const trace = traceLevel(values['trace'] as string | undefined);
  const source = await readDraftFile(file);
  const result = await checkDraft(source);
  printProblems(file, result.problems, io);
  if (result.checked === undefined) return 2;
  const checked = result.checked;

  const emlTarget = values['eml'] as string | undefined;
  const config = await loadConfig(values['config'] as string | undefined);
  const profileName = (values['profile'] as string | undefined) ?? checked.draft.profile;
  // For --eml a profile only supplies the sender: a draft with "from:" needs none unless one is named.
  const needsProfile = emlTarget === undefined || checked.draft.from === undefined || profileName !== undefined;
  const profile = needsProfile ? pickProfile(config, profileName) : undefined;
  const epoch = epochFromEnv();
  const fixed = epoch === undefined ? {} : reproducibleIdentity(source.text, epoch, resolveSender(checked.draft, profile).address);
  const message = await composeDraft(checked, { ...fixed, ...(profile === undefined ? {} : { profile }) });

  if (emlTarget !== undefined) {
    if (emlTarget === '-') await pipeline(message.stream(), process.stdout, { end: false });
    else await pipeline(message.stream(), createWriteStream(emlTarget));
    if (emlTarget !== '-') io.out(`Wrote ${message.size} bytes to ${emlTarget} (${message.messageId}); nothing was sent.`);
    return 0;
  }
  if (profile === undefined) throw new ConfigError('no profile to send with');
  context.profile = profile;
  const secret = await secretFor(profile);
  const observer = traceObserver(trace, io);
  const delivery = await deliver(message, { profile, trace, ...(secret === undefined ? {} : { secret }), ...(observer === undefined ? {} : { observer }) });
  io.out(`Sent ${delivery.messageId} to ${delivery.accepted.length} recipient(s) via ${profile.host}:${profile.port}: ${delivery.reply.code} ${delivery.reply.lines.join(' ')}`);
  return 0;
}

async function commandTestProfile(values: Record<string, string | boolean | undefined>, io: Io, context: Context): Promise<number> {
  const trace = traceLevel(values['trace'] as string | undefined);
  const config = await loadConfig(values['config'] as string | undefined);
  const profile = pickProfile(config, values['profile'] as string | undefined);
  context.profile = profile;
  const secret = await secretFor(profile);
  const observer = traceObserver(trace, io);
  const result = await testProfile({ profile, trace, ...(secret === undefined ? {} : { secret }), ...(observer === undefined ? {} : { observer }) });
  io.out(`Profile "${profile.name}": ${profile.host}:${profile.port} (${profile.security}) answers as ${result.server.name}`);
  io.out(`  secure: ${result.server.secure ? 'yes' : 'no'}${result.mechanism === undefined ? '' : `; authenticated with ${result.mechanism}`}`);
  for (const [keyword, params] of result.server.extensions) io.out(`  ${keyword}${params ? ` ${params}` : ''}`);
  return 0;
}

export async function main(argv: readonly string[], io: Io = stdio): Promise<number> {
  const context: Context = {};
  try {
    const { values, positionals } = parse(argv);
    if (values.help === true) {
      io.out(USAGE);
      return 0;
    }
    const [command, ...rest] = positionals;
    switch (command) {
      case 'send':
      case 'check': {
        if (rest.length !== 1 || rest[0] === undefined) throw new UsageError(`${command} takes exactly one DRAFT file`);
        return command === 'check' ? await commandCheck(rest[0], io) : await commandSend(rest[0], values, io, context);
      }
      case 'test-profile':
        if (rest.length !== 0) throw new UsageError('test-profile takes no file');
        return await commandTestProfile(values, io, context);
      default:
        throw new UsageError(command === undefined ? 'no command given' : `unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`send-as-email: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof ConfigError) {
      io.err(`send-as-email: ${error.message}`);
      return 2;
    }
    const explanation = explainError(error, context.profile);
    io.err(`send-as-email: ${explanation.summary}${explanation.advice ? ` — ${explanation.advice}` : ''}`);
    return explanation.category === 'input' ? 2 : 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`send-as-email: ${String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
