/**
 * Copies that could not be filed in the Sent folder, kept until a retry succeeds: nothing that
 * was sent is lost because IMAP failed. One folder per front end (the extension's global
 * storage, the CLI's state folder); per copy, the exact message bytes (`<id>.eml`, openable in
 * any mail program) and what a retry needs (`<id>.json`: profile name, Message-ID, subject).
 * The folder is private (0700) and the files 0600: they hold whole messages.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isRecord } from '../guards';

export interface PendingCopy {
  readonly id: string;
  /** The profile it was sent with: a retry files it with that profile's IMAP settings. */
  readonly profile: string;
  readonly messageId: string;
  readonly subject: string;
  /** ISO 8601, when it was kept. */
  readonly keptAt: string;
  /** The message file. */
  readonly file: string;
}

export interface PendingDetails {
  readonly profile: string;
  readonly messageId: string;
  readonly subject: string;
}

async function privateFolder(folder: string): Promise<void> {
  await mkdir(folder, { recursive: true, mode: 0o700 });
  // mkdir's mode is masked by the umask and not applied to an existing folder.
  await chmod(folder, 0o700);
}

/** Keeps `message` in `folder`; returns where. */
export async function keepPendingCopy(folder: string, message: Uint8Array, details: PendingDetails, now: Date = new Date()): Promise<PendingCopy> {
  await privateFolder(folder);
  // Sortable by time, unique without a lock.
  const id = `${now.toISOString().replace(/[-:.]/g, '')}-${randomBytes(4).toString('hex')}`;
  const file = path.join(folder, `${id}.eml`);
  await writeFile(file, message, { mode: 0o600, flag: 'wx' });
  const copy: PendingCopy = { id, ...details, keptAt: now.toISOString(), file };
  await writeFile(path.join(folder, `${id}.json`), `${JSON.stringify({ profile: details.profile, messageId: details.messageId, subject: details.subject, keptAt: copy.keptAt })}\n`, { mode: 0o600, flag: 'wx' });
  return copy;
}

async function readDetails(folder: string, id: string): Promise<PendingCopy | undefined> {
  try {
    const raw: unknown = JSON.parse(await readFile(path.join(folder, `${id}.json`), 'utf8'));
    if (!isRecord(raw)) return undefined;
    const [profile, messageId, subject, keptAt] = [raw['profile'], raw['messageId'], raw['subject'], raw['keptAt']];
    if (typeof profile !== 'string' || typeof messageId !== 'string' || typeof subject !== 'string' || typeof keptAt !== 'string') return undefined;
    return { id, profile, messageId, subject, keptAt, file: path.join(folder, `${id}.eml`) };
  } catch {
    return undefined;
  }
}

/** Every kept copy with readable details, oldest first; an absent folder holds none. */
export async function listPendingCopies(folder: string): Promise<PendingCopy[]> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return [];
  }
  const ids = names.filter((name) => name.endsWith('.eml')).map((name) => name.slice(0, -'.eml'.length)).sort();
  const copies = await Promise.all(ids.map((id) => readDetails(folder, id)));
  return copies.filter((copy): copy is PendingCopy => copy !== undefined);
}

export async function readPendingCopy(copy: PendingCopy): Promise<Buffer> {
  return readFile(copy.file);
}

/** Removes a copy once it is filed. */
export async function dropPendingCopy(copy: PendingCopy): Promise<void> {
  await rm(copy.file, { force: true });
  await rm(copy.file.replace(/\.eml$/, '.json'), { force: true });
}
