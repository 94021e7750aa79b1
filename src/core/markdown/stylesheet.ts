/**
 * The user stylesheet (`sendAsEmail.stylesheet`, the command line's `stylesheet`): a CSS file on
 * this machine, found by the one rule for local files (files/local-file.ts: `~` is the home
 * folder, a relative path starts at the workspace folder, symlinks are followed). A stylesheet
 * that cannot be used is an error of the draft check, shown on the front matter's first line:
 * sending without the look the user asked for would be a silent surprise, and the editor, the
 * Preview and the command line all show draft problems already.
 *
 * What the file may do is limited by what happens after inlining: the HTML goes through the
 * sanitizer again, whose style filter drops any declaration that could load or run something.
 */
import { readFile } from 'node:fs/promises';
import { ProblemCode } from '../draft/problem-codes';
import type { DraftProblem } from '../draft/types';
import type { FileScope } from '../files/local-file';
import { resolveLocalFile } from '../files/local-file';
import type { LocalizedText } from '../text';
import { localized, renderText } from '../text';

/** Far more than any stylesheet for mail needs; the whole file is read into memory. */
export const STYLESHEET_LIMIT = 256 * 1024;

export type StylesheetResult = { readonly ok: true; readonly css: string } | { readonly ok: false; readonly problem: DraftProblem };

function failure(text: LocalizedText): StylesheetResult {
  // The draft's first line (the opening `---`): the setting has no place in the draft itself.
  return { ok: false, problem: { severity: 'error', code: ProblemCode.stylesheet, text, message: renderText(text), start: { line: 1, column: 1 }, end: { line: 1, column: 4 } } };
}

/** The text of the stylesheet `written` (as the setting gives it), or the problem saying why not. */
export async function readStylesheet(written: string, scope: FileScope): Promise<StylesheetResult> {
  const result = await resolveLocalFile(written, scope);
  if (!result.ok) {
    const reason = result.reason === 'unreadable' ? result.errno : result.reason;
    return failure(localized('The stylesheet {0} cannot be used ({1}: {2}); change the stylesheet setting.', written, reason, result.path));
  }
  if (result.file.size > STYLESHEET_LIMIT) {
    return failure(localized('The stylesheet {0} is larger than {1} KiB; change the stylesheet setting.', written, STYLESHEET_LIMIT / 1024));
  }
  try {
    return { ok: true, css: await readFile(result.file.realPath, 'utf8') };
  } catch (error) {
    return failure(localized('The stylesheet {0} cannot be used ({1}: {2}); change the stylesheet setting.', written, error instanceof Error ? error.message : String(error), result.file.realPath));
  }
}
