/**
 * `tokenCommand`: a helper program (oauth2ms, pizauth, ortie, email-oauth2-proxy, a script)
 * whose standard output is an access token. It runs without a shell: the command is an argv
 * array, or a string split by `splitCommandLine`. Its output is trimmed; a failure shows its
 * exit status and the end of its standard error (escaped by whoever displays it), never its
 * standard output, which may be a token.
 */
import { localized } from '../text';
import { SignInError } from './errors';
import type { TokenCommandOptions } from './types';
import { nodeChildProcess } from '../lazy';

const DEFAULT_TIMEOUT_MS = 30_000;
/** A token is at most a few kilobytes; a helper that prints more is not printing one. */
const MAX_OUTPUT = 64 * 1024;
const STDERR_SHOWN = 400;

/**
 * Splits a command line into argv, POSIX-shell style but with nothing a shell would expand:
 * blanks separate words; '…' keeps everything literally; "…" keeps everything, except that
 * \" and \\ stand for " and \; outside quotes a backslash keeps the next character. No
 * variables, globs, pipes or redirections: `$HOME` stays `$HOME`.
 * @returns the words, or undefined for an unclosed quote or a trailing backslash.
 */
export function splitCommandLine(text: string): string[] | undefined {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  while (i < text.length) {
    const ch = text.charAt(i);
    if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i += 1;
      continue;
    }
    inWord = true;
    if (ch === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) return undefined;
      word += text.slice(i + 1, end);
      i = end + 1;
    } else if (ch === '"') {
      i += 1;
      for (;;) {
        if (i >= text.length) return undefined;
        const c = text.charAt(i);
        if (c === '"') break;
        if (c === '\\' && (text.charAt(i + 1) === '"' || text.charAt(i + 1) === '\\')) {
          word += text.charAt(i + 1);
          i += 2;
        } else {
          word += c;
          i += 1;
        }
      }
      i += 1;
    } else if (ch === '\\') {
      if (i + 1 >= text.length) return undefined;
      word += text.charAt(i + 1);
      i += 2;
    } else {
      word += ch;
      i += 1;
    }
  }
  if (inWord) words.push(word);
  return words;
}

function failure(text: ReturnType<typeof localized>, profileName: string | undefined): SignInError {
  return new SignInError('token-command', text, profileName);
}

/**
 * Runs the helper and returns its trimmed standard output: the access token.
 * @throws SignInError `token-command` (cannot start, non-zero exit, timeout, no output).
 */
export function runTokenCommand(argv: readonly string[], profileName: string | undefined, options: TokenCommandOptions): Promise<string> {
  const [program, ...args] = argv;
  if (program === undefined || program === '') {
    return Promise.reject(failure(localized('The tokenCommand of profile "{0}" is empty.', profileName ?? ''), profileName));
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return new Promise<string>((resolve, reject) => {
    const child = nodeChildProcess().spawn(program, args, { shell: false, stdio: ['ignore', 'pipe', 'pipe'], env: options.env ?? process.env, windowsHide: true });
    const out: Buffer[] = [];
    let outBytes = 0;
    let err = '';
    let settled = false;
    const finish = (error: SignInError | undefined, token?: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (error !== undefined) reject(error);
      else resolve(token ?? '');
    };
    const kill = (): void => {
      if (child.exitCode === null) child.kill('SIGKILL');
    };
    const timer = setTimeout(() => {
      kill();
      finish(failure(localized('The tokenCommand "{0}" of profile "{1}" gave no token within {2} seconds.', program, profileName ?? '', Math.round(timeoutMs / 1000)), profileName));
    }, timeoutMs);
    const onAbort = (): void => {
      kill();
      finish(failure(localized('The tokenCommand of profile "{0}" was cancelled.', profileName ?? ''), profileName));
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > MAX_OUTPUT) {
        kill();
        finish(failure(localized('The tokenCommand "{0}" of profile "{1}" printed more than {2} bytes; an access token is shorter.', program, profileName ?? '', MAX_OUTPUT), profileName));
        return;
      }
      out.push(chunk);
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      err = (err + chunk).slice(-4096);
    });
    child.on('error', (error) => {
      finish(failure(localized('The tokenCommand "{0}" of profile "{1}" could not be started: {2}', program, profileName ?? '', error.message), profileName));
    });
    child.on('close', (code, signal) => {
      const token = Buffer.concat(out).toString('utf8').trim();
      const detail = err.trim().slice(-STDERR_SHOWN);
      if (code !== 0) {
        const status = code === null ? `signal ${signal ?? '?'}` : `exit status ${code}`;
        finish(failure(localized('The tokenCommand "{0}" of profile "{1}" failed ({2}): {3}', program, profileName ?? '', status, detail || '(no error output)'), profileName));
      } else if (token === '' || /[\r\n]/.test(token)) {
        finish(failure(localized('The tokenCommand "{0}" of profile "{1}" did not print one access token on standard output.', program, profileName ?? ''), profileName));
      } else {
        finish(undefined, token);
      }
    });
  });
}
