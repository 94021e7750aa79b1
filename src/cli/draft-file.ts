/** Reads a draft file for the command line and decides its format from the extension. */
import { readFile } from 'node:fs/promises';
import { dirname, extname, resolve } from 'node:path';
import type { DraftFormat } from '../core/draft/types';
import type { DraftSource } from '../core/compose-draft';
import { ConfigError } from './config';

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
    throw new ConfigError(`cannot read draft ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return { path, text, format: formatForPath(absolute), baseDir: dirname(absolute) };
}
