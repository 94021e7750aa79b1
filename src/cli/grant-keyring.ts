/**
 * A GrantStore in the freedesktop Secret Service (the OS keyring of Linux desktops: GNOME
 * Keyring, KWallet) through libsecret's `secret-tool` program, so no native module is needed.
 * Items carry the attributes `service send-as-email` and `key <grant key>`. The secret goes to
 * `secret-tool store` on standard input, never in an argument (arguments show in `ps`).
 * macOS's `security add-generic-password` takes the secret only as an argument, so macOS and
 * Windows keep using the sign-in file (grant-file.ts).
 */
import { ConfigError } from '../core/errors';
import { parseGrant, serialiseGrant } from '../core/oauth/grant-codec';
import type { GrantStore, TokenGrant } from '../core/oauth/types';
import { localized } from '../core/text';
import { nodeChildProcess } from '../core/lazy';

const SERVICE = 'send-as-email';

interface ToolRun {
  /** Exit status; undefined when the program could not start or was stopped by the timeout. */
  readonly code: number | undefined;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `secret-tool` without a shell; never rejects (a missing program is `code: undefined`). */
function runSecretTool(args: readonly string[], input: string | undefined, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<ToolRun> {
  return new Promise((resolve) => {
    const child = nodeChildProcess().spawn('secret-tool', [...args], { env, stdio: ['pipe', 'pipe', 'pipe'], timeout: timeoutMs });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    // EPIPE when the program died before reading its input: the exit status tells the story.
    child.stdin.on('error', () => undefined);
    child.once('error', () => resolve({ code: undefined, stdout: '', stderr: '' }));
    child.once('close', (code, signal) => {
      resolve({ code: signal === null && code !== null ? code : undefined, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8').trim() });
    });
    child.stdin.end(input ?? '');
  });
}

export class SecretServiceGrants implements GrantStore {
  readonly description = 'the Secret Service keyring';

  constructor(
    private readonly env: NodeJS.ProcessEnv = process.env,
    private readonly timeoutMs = 10_000,
  ) {}

  /**
   * Whether a Secret Service answers on this session bus: a lookup of an item that does not
   * exist ends with status 1 and says nothing; no bus, no program or no service ends otherwise
   * (an error message, or no answer within `timeoutMs` — a locked keyring may be prompting).
   */
  static async available(env: NodeJS.ProcessEnv = process.env, timeoutMs = 3_000): Promise<boolean> {
    const run = await runSecretTool(['lookup', 'service', SERVICE, 'key', 'send-as-email/probe'], undefined, env, timeoutMs);
    return run.code === 0 || (run.code === 1 && run.stderr === '');
  }

  async get(key: string): Promise<TokenGrant | undefined> {
    const run = await runSecretTool(['lookup', 'service', SERVICE, 'key', key], undefined, this.env, this.timeoutMs);
    if (run.code === 1 && run.stderr === '') return undefined;
    this.check(run);
    return parseGrant(run.stdout);
  }

  async put(key: string, grant: TokenGrant): Promise<void> {
    const label = `Send as Email sign-in (${key})`;
    this.check(await runSecretTool(['store', `--label=${label}`, 'service', SERVICE, 'key', key], serialiseGrant(grant), this.env, this.timeoutMs));
  }

  async delete(key: string): Promise<void> {
    const run = await runSecretTool(['clear', 'service', SERVICE, 'key', key], undefined, this.env, this.timeoutMs);
    // Clearing what is not there is no error.
    if (run.code === 1 && run.stderr === '') return;
    this.check(run);
  }

  /** secret-tool's messages name D-Bus objects, never the secret (it is only on stdin/stdout). */
  private check(run: ToolRun): void {
    if (run.code === 0) return;
    const why = run.code === undefined ? 'secret-tool did not start or did not answer in time' : run.stderr || `secret-tool ended with status ${run.code}`;
    throw new ConfigError(localized('The Secret Service keyring failed: {0}', why));
  }
}
