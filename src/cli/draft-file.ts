/** Reads a draft file for the command line and decides its format from the extension. */
import { readFile } from 'node:fs/promises';
import { dirname, extname, resolve } from 'node:path';
import type { DraftFormat } from '../core/draft/types';
import type { DraftSource } from '../core/compose-draft';
import { DraftError } from '../core/errors';
import { errnoOf } from '../core/guards';
import { localized } from '../core/text';

const MARKDOWN_EXTENSIONS = new Set(['.md', '.markdown', '.mdown', '.mkd']);

export function formatForPath(path: string): DraftFormat {
  return MARKDOWN_EXTENSIONS.has(extname(path).toLowerCase()) ? 'markdown' : 'plaintext';
}

export async function readDraftFile(path: string): Promise<DraftSource & { readonly path: string }> {
  const absolute = resolve(path);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (error) {
    throw new DraftError(localized('Cannot read the draft {0}: {1}', path, errnoOf(error) ?? (error instanceof Error ? error.message : String(error))));
  }
  // With no workspace, the draft's own folder is the one its files are judged against.
  const baseDir = dirname(absolute);
  return { path, text, format: formatForPath(absolute), baseDir };
}
