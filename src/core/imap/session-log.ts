/**
 * imapflow's log entries → the `C:`/`S:` transcript lines the Output channel and the CLI show
 * (core/transcript.ts). imapflow already masks LOGIN and AUTHENTICATE arguments in what it
 * logs; every line is scrubbed here as well of each form of the secret (core/smtp/secrets.ts),
 * so a server that echoes it, or a future library change, cannot put it in a log.
 */
import { credentialForms, REDACTED, SecretScrubber } from '../smtp/secrets';
import type { TranscriptLine } from '../transcript';

export type ImapObserver = (line: TranscriptLine) => void;

/** The subset of imapflow's Logger interface it calls. */
export interface ImapLogger {
  debug(entry: unknown): void;
  info(entry: unknown): void;
  warn(entry: unknown): void;
  error(entry: unknown): void;
  trace(entry: unknown): void;
}

interface Entry {
  readonly src?: unknown;
  readonly msg?: unknown;
  readonly err?: unknown;
}

function asEntry(value: unknown): Entry {
  return typeof value === 'object' && value !== null ? (value) : {};
}

export function secretScrubber(username: string, secret: string | undefined, token: boolean): SecretScrubber {
  const scrubber = new SecretScrubber();
  if (secret !== undefined) scrubber.add(credentialForms(token ? { username, accessToken: secret } : { username, password: secret }));
  return scrubber;
}

/**
 * A logger for imapflow that reports the protocol lines (`src` c/s at debug level) and
 * imapflow's own notes on connection and errors; trace-level entries (raw bytes, FETCH data)
 * are dropped.
 */
export function transcriptLogger(observer: ImapObserver | undefined, scrubber: SecretScrubber): ImapLogger {
  const emit = (who: TranscriptLine['who'], text: string): void => {
    for (const line of text.replace(/\r?\n$/, '').split(/\r?\n/)) observer?.({ who, text: scrubber.scrub(line) });
  };
  // Between `AUTHENTICATE` and the server's tagged answer, every client line is a SASL response
  // (RFC 3501 6.2.2): a PLAIN blob, a LOGIN password, a token. imapflow hides the secret inside
  // it, but the line is still a credential exchange, so it is shown only as masked.
  let authenticating = false;
  const client = (text: string): void => {
    if (/^\S+ AUTHENTICATE\b/i.test(text)) {
      authenticating = true;
      emit('C', text.replace(/^(\S+ AUTHENTICATE \S+) .+$/i, `$1 ${REDACTED}`));
    } else if (authenticating) {
      emit('C', REDACTED);
    } else {
      emit('C', text.replace(/^(\S+ LOGIN) .+$/i, `$1 ${REDACTED}`));
    }
  };
  const server = (text: string): void => {
    if (authenticating && !text.startsWith('+')) authenticating = false;
    emit('S', text);
  };
  const note = (who: '*' | '!') => (value: unknown): void => {
    const entry = asEntry(value);
    const error = entry.err instanceof Error ? `: ${entry.err.message}` : '';
    if (typeof entry.msg === 'string') emit(who, `${entry.msg}${error}`);
  };
  return {
    debug: (value) => {
      const entry = asEntry(value);
      if (typeof entry.msg !== 'string') return;
      if (entry.src === 'c') client(entry.msg);
      else if (entry.src === 's') server(entry.msg);
    },
    info: note('*'),
    warn: note('!'),
    error: note('!'),
    trace: () => undefined,
  };
}
