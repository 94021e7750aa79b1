/**
 * A merge draft as the editor sees it: whether the front matter names data (`merge: people.csv`),
 * where that file is (relative to the draft, `~/` for the home folder — the CLI's rule), and its
 * table. The table is read again only when the file's size or modification time changes, so
 * diagnostics, completion and the Preview, which all ask on every pause in typing, read a list
 * once.
 */
import { stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import { isMergeText } from '../../core/draft/recognise';
import { resolveLocalFile, resolveWrittenPath } from '../../core/files/local-file';
import { readMergeData } from '../../core/merge/data';
import { scanTemplate } from '../../core/merge/template';
import type { MergeData, MergeTemplate } from '../../core/merge/types';
import { localized } from '../../core/text';
import { baseDirFor, rootFor } from '../draft-reader';

export interface MergeDocument {
  readonly template: MergeTemplate;
  /** The data file's absolute path; undefined when `merge:` names none. */
  readonly dataPath: string | undefined;
  /** The table; undefined when there is no data file named. Problems reading it are in `data.problems`. */
  readonly data: MergeData | undefined;
}

interface CachedData {
  readonly stamp: string;
  readonly data: MergeData;
}

const cache = new Map<string, CachedData>();

async function stampOf(file: string): Promise<string> {
  try {
    const info = await stat(file);
    return `${info.size}:${info.mtimeMs}`;
  } catch {
    return 'missing';
  }
}

/** The table at `file`, read again only when the file changed. */
export async function dataAt(file: string): Promise<MergeData> {
  const stamp = await stampOf(file);
  const cached = cache.get(file);
  if (cached !== undefined && cached.stamp === stamp) return cached.data;
  const data = await readMergeData(file);
  cache.set(file, { stamp, data });
  return data;
}

/** False when the file as a whole is bad (unreadable, no header, not a list): nothing can be merged. */
export function dataIsReadable(data: MergeData): boolean {
  return !data.problems.some((problem) => problem.row === 0 && problem.severity === 'error' && problem.column === undefined);
}

/**
 * In an untrusted workspace the data must lie inside the workspace folder (links followed), as
 * attachments must: a cloned repository's draft cannot read `~/.ssh/…` into messages or
 * completion. Undefined when the file may be read.
 */
async function untrustedOutside(uri: vscode.Uri, written: string): Promise<MergeData | undefined> {
  if (vscode.workspace.isTrusted) return undefined;
  const baseDir = baseDirFor(uri);
  const found = await resolveLocalFile(written, { baseDir, homeDir: homedir(), root: rootFor(uri, baseDir) });
  if (!found.ok || !found.file.outside) return undefined;
  const text = localized('In an untrusted workspace the data must be a file inside the workspace folder: {0}', found.file.realPath);
  return { format: 'csv', columns: [], rows: [], problems: [{ row: 0, column: undefined, severity: 'error', text }] };
}

export function dataPathFor(uri: vscode.Uri, written: string): string {
  return resolveWrittenPath(written, { baseDir: baseDirFor(uri), homeDir: homedir() });
}

/** The merge draft in `text` (the document's, unsaved edits included); undefined when it is not one. */
export async function readMergeDocument(uri: vscode.Uri, text: string): Promise<MergeDocument | undefined> {
  if (!isMergeText(text)) return undefined;
  const scanned = scanTemplate(text);
  const written = scanned.dataFile;
  if (written === undefined) return { template: scanned, dataPath: undefined, data: undefined };
  const dataPath = dataPathFor(uri, written);
  const data = (await untrustedOutside(uri, written)) ?? (await dataAt(dataPath));
  // Scanned again with the columns: an unknown column is then an error at its placeholder. Not
  // when the table could not be read: then every name would be "unknown".
  return { template: dataIsReadable(data) ? scanTemplate(text, data.columns) : scanned, dataPath, data };
}
