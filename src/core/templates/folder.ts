/** The templates in `sendAsEmail.templatesFolder`: its `.md` files (not its subfolders), by name. */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { errnoOf } from '../guards';
import { localized } from '../text';
import type { LocalizedText } from '../text';

export interface TemplateFile {
  /** The file name without `.md`, shown in the quick pick. */
  readonly name: string;
  readonly path: string;
}

export type TemplateListing = { readonly ok: true; readonly templates: readonly TemplateFile[] } | { readonly ok: false; readonly problem: LocalizedText };

export async function listTemplates(folder: string): Promise<TemplateListing> {
  try {
    const entries = await readdir(folder, { withFileTypes: true });
    const templates = entries
      .filter((entry) => entry.isFile() && /\.(md|markdown)$/i.test(entry.name))
      .map((entry) => ({ name: entry.name.replace(/\.(md|markdown)$/i, ''), path: path.join(folder, entry.name) }))
      .sort((a, b) => a.name.localeCompare(b.name));
    return { ok: true, templates };
  } catch (error) {
    return { ok: false, problem: localized('Cannot read the templates folder {0}: {1}', folder, errnoOf(error) ?? String(error)) };
  }
}

/** A template's text, line breaks as `\n` (the untitled document gets the editor's own). */
export async function readTemplate(file: TemplateFile): Promise<string> {
  return (await readFile(file.path, 'utf8')).replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}
