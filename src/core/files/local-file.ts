/**
 * The one rule for a local file that a draft sends (an `attach:` entry or a Markdown image):
 * where it really is, what it is called, how big it is, and whether it lies outside the
 * folder the user is working in. Symlinks are followed once, here, and the file is judged by
 * its target: `report.pdf -> ~/.ssh/id_rsa` is named and typed `id_rsa`, never `report.pdf`.
 */
import { open, realpath, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { errnoOf } from '../guards';
import { formatCharacterIndex } from '../mime/grammar';

export interface FileScope {
  /** Folder relative paths resolve against (the draft's folder). */
  readonly baseDir: string;
  /** Home folder for `~` and `~/…`. */
  readonly homeDir: string;
  /**
   * The folder files may come from without a warning: the draft's workspace folder, or with no
   * workspace the draft's folder. A real path outside it is flagged (`outside`).
   */
  readonly root: string;
}

export interface LocalFile {
  /** The path as the draft wrote it. */
  readonly written: string;
  /** Absolute path after `~` and relative resolution, before following links. */
  readonly path: string;
  /** The file the bytes come from, every symlink followed. */
  readonly realPath: string;
  /** The name the recipient sees: the real file's base name. */
  readonly filename: string;
  readonly size: number;
  /** True when `realPath` is not inside the scope's root (after following links there too). */
  readonly outside: boolean;
}

export type LocalFileFailure =
  | { readonly reason: 'missing' }
  | { readonly reason: 'directory' }
  /** A device, FIFO or socket, or a file whose size is unknown in advance (/proc, /sys). */
  | { readonly reason: 'special' }
  | { readonly reason: 'unreadable'; readonly errno: string }
  /**
   * The written path or the real file's name holds a bidi control or invisible format
   * character (`cod\u202Eexe.doc` reads "codcod.exe"): never a name that leaves the machine.
   */
  | { readonly reason: 'disguised'; readonly name: string; readonly character: string };

export type LocalFileResult = { readonly ok: true; readonly file: LocalFile } | ({ readonly ok: false; readonly path: string } & LocalFileFailure);

/**
 * `~` and `~/…` (or `~\…`) start at the home folder; other relative paths at the draft's
 * folder. `~user/…` is not expanded: it is an ordinary relative name.
 */
export function resolveWrittenPath(written: string, scope: Pick<FileScope, 'baseDir' | 'homeDir'>): string {
  if (written === '~') return path.resolve(scope.homeDir);
  if (written.startsWith('~/') || written.startsWith('~\\')) return path.resolve(scope.homeDir, written.slice(2));
  return path.resolve(scope.baseDir, written);
}

export function isInside(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

async function realRoot(root: string): Promise<string> {
  try {
    return await realpath(root);
  } catch {
    return path.resolve(root);
  }
}

/**
 * Files whose stat size is 0 may still yield bytes (procfs, sysfs): their size cannot be
 * declared in advance (SIZE, progress, the confirmation), so they are refused as special.
 */
async function yieldsBytesDespiteZeroSize(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const { bytesRead } = await handle.read(Buffer.alloc(1), 0, 1, 0);
    return bytesRead > 0;
  } finally {
    await handle.close();
  }
}

/** Resolves and checks one local file the draft names. Never throws. */
export async function resolveLocalFile(written: string, scope: FileScope): Promise<LocalFileResult> {
  const absolute = resolveWrittenPath(written, scope);
  const writtenFormat = formatCharacterIndex(written);
  if (writtenFormat >= 0) return { ok: false, path: absolute, reason: 'disguised', name: written, character: written[writtenFormat] ?? '' };
  try {
    const real = await realpath(absolute);
    const filename = path.basename(real);
    const nameFormat = formatCharacterIndex(filename);
    if (nameFormat >= 0) return { ok: false, path: absolute, reason: 'disguised', name: real, character: filename[nameFormat] ?? '' };
    const info = await stat(real);
    if (info.isDirectory()) return { ok: false, path: absolute, reason: 'directory' };
    if (!info.isFile()) return { ok: false, path: absolute, reason: 'special' };
    if (info.size === 0 && (await yieldsBytesDespiteZeroSize(real))) return { ok: false, path: absolute, reason: 'special' };
    if (info.size > 0) {
      // Readable? open() is the honest test (access() lies for root and some ACLs).
      const handle = await open(real, 'r');
      await handle.close();
    }
    return {
      ok: true,
      file: {
        written,
        path: absolute,
        realPath: real,
        filename,
        size: info.size,
        outside: !isInside(real, await realRoot(scope.root)),
      },
    };
  } catch (error) {
    const errno = errnoOf(error) ?? 'EIO';
    if (errno === 'ENOENT' || errno === 'ENOTDIR' || errno === 'ELOOP') return { ok: false, path: absolute, reason: 'missing' };
    return { ok: false, path: absolute, reason: 'unreadable', errno };
  }
}
