/**
 * `attach:` entries: where a written path points on disk, and whether the file can be sent.
 */
import { constants as fsConstants, promises as fsPromises } from 'node:fs';
import * as path from 'node:path';
import { ProblemCode } from './problem-codes';
import type { DraftAttachment } from './types';

/** The two file-system calls the check needs; injectable so tests can simulate EACCES as root. */
export interface AttachmentProbe {
  stat(filePath: string): Promise<{ isFile(): boolean; isDirectory(): boolean; readonly size: number }>;
  access(filePath: string, mode: number): Promise<void>;
}

export const nodeAttachmentProbe: AttachmentProbe = {
  stat: (filePath) => fsPromises.stat(filePath),
  access: (filePath, mode) => fsPromises.access(filePath, mode),
};

/**
 * `~` and `~/…` (or `~\…`) start at the home folder; other relative paths at the draft's
 * folder. `~user/…` is not expanded: it is an ordinary relative name.
 */
export function resolveAttachmentPath(written: string, baseDir: string, homeDir: string): string {
  if (written === '~') return path.resolve(homeDir);
  if (written.startsWith('~/') || written.startsWith('~\\')) return path.resolve(homeDir, written.slice(2));
  return path.resolve(baseDir, written);
}

export type AttachmentCheck =
  | { readonly ok: true; readonly attachment: DraftAttachment }
  | {
      readonly ok: false;
      readonly code: typeof ProblemCode.missingAttachment | typeof ProblemCode.unreadableAttachment | typeof ProblemCode.attachmentIsDirectory;
      readonly message: string;
    };

/** Checks that `absolutePath` is a readable regular file and records its name and size. */
export async function checkAttachment(
  written: string,
  absolutePath: string,
  probe: AttachmentProbe = nodeAttachmentProbe,
): Promise<AttachmentCheck> {
  const where = written === absolutePath ? absolutePath : `${written} (${absolutePath})`;
  let stats: Awaited<ReturnType<AttachmentProbe['stat']>>;
  try {
    stats = await probe.stat(absolutePath);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      return { ok: false, code: ProblemCode.missingAttachment, message: `attachment not found: ${where}` };
    }
    return { ok: false, code: ProblemCode.unreadableAttachment, message: `cannot read attachment ${where}: ${code ?? 'unknown error'}` };
  }
  if (stats.isDirectory()) {
    return { ok: false, code: ProblemCode.attachmentIsDirectory, message: `attachment is a folder, not a file: ${where}` };
  }
  if (!stats.isFile()) {
    return { ok: false, code: ProblemCode.unreadableAttachment, message: `attachment is not a regular file: ${where}` };
  }
  try {
    await probe.access(absolutePath, fsConstants.R_OK);
  } catch (error) {
    return { ok: false, code: ProblemCode.unreadableAttachment, message: `cannot read attachment ${where}: ${errorCode(error) ?? 'permission denied'}` };
  }
  return { ok: true, attachment: { path: absolutePath, filename: path.basename(absolutePath), size: stats.size } };
}

function errorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}
