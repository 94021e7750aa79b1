/**
 * `send-as-email reply MESSAGE.eml [--all] [-o DRAFT]` and `forward MESSAGE.eml [-o DRAFT]`:
 * a new draft from a received message, made by the same core code as the extension's "Reply to
 * Email…" and "Forward Email…" (core/reply). Written to stdout, or to a file that must not exist
 * yet (`--force` replaces it, atomically).
 */
import { readFile, stat } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { DraftError, UsageError } from '../core/errors';
import { errnoOf } from '../core/guards';
import { ownAddresses } from '../core/reply/addresses';
import { forwardDraftText, replyDraftText } from '../core/reply/draft-text';
import { readReceivedMessage } from '../core/reply/received';
import { localized } from '../core/text';
import { loadConfig, pickProfile } from './config';
import { writeFileAtomically } from './eml-output';
import type { Io } from './main';

export interface ReplyValues {
  readonly all?: boolean | undefined;
  readonly output?: string | undefined;
  readonly force?: boolean | undefined;
  readonly profile?: string | undefined;
  readonly config?: string | undefined;
}

async function readMessage(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new DraftError(localized('Cannot read the message {0}: {1}', path, errnoOf(error) ?? (error instanceof Error ? error.message : String(error))));
  }
}

/** The user's own addresses, for Reply All: from the profile named, or the configured default if any. */
async function selfAddresses(values: ReplyValues): Promise<string[]> {
  const config = await loadConfig(values.config);
  if (values.profile === undefined && (!config.found || config.profiles.size === 0)) return [];
  return ownAddresses(pickProfile(config, values.profile));
}

/** How `attach:` names the original: relative to the draft's folder, or absolute for stdout. */
function attachPath(message: string, output: string | undefined): string {
  const absolute = resolve(message);
  if (output === undefined) return absolute;
  const path = relative(dirname(resolve(output)), absolute);
  return path.startsWith('..') ? path : `.${sep}${path}`;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return false;
    throw error;
  }
}

export async function commandReplyOrForward(command: 'reply' | 'forward', rest: readonly string[], values: ReplyValues, io: Io): Promise<number> {
  const file = rest[0];
  if (rest.length !== 1 || file === undefined) throw new UsageError(localized('{0} takes exactly one MESSAGE.eml file', command));
  if (command === 'forward' && values.all === true) throw new UsageError(localized('--all is for reply only'));
  const output = values.output;
  if (output !== undefined && values.force !== true && (await exists(output))) {
    throw new UsageError(localized('{0} already exists; add --force to replace it', output));
  }
  const message = await readReceivedMessage(await readMessage(file));
  const text =
    command === 'reply'
      ? replyDraftText(message, { all: values.all === true, self: await selfAddresses(values), profile: values.profile, t: undefined })
      : forwardDraftText(message, { attachPath: attachPath(file, output), profile: values.profile, t: undefined });
  if (output === undefined) {
    io.out(text.replace(/\n$/, ''));
    return 0;
  }
  await writeFileAtomically(output, () => Readable.from([Buffer.from(text, 'utf8')]));
  io.out(`Wrote ${output}`);
  return 0;
}
