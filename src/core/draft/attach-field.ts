import type { FileScope, LocalFileResult } from '../files/local-file';
import { resolveLocalFile } from '../files/local-file';
import { describeCharacter } from '../mime/grammar';
import type { LocalizedText } from '../text';
import { localized } from '../text';
import type { FieldContext } from './field-context';
import { deref, isEmptyValue, itemsOf, readScalar } from './field-context';
import type { LocatedText } from './located-text';
import { ProblemCode } from './problem-codes';
import type { DraftAttachment } from './types';

export interface AttachScope extends FileScope {
  /** Files from outside `root` are errors, not warnings (an untrusted workspace). */
  readonly untrusted: boolean;
}

/**
 * Reads `attach:` (one path or a list of paths) and checks every file on disk with the one
 * local-file rule (files/local-file.ts): links followed, judged and named by their target.
 */
export async function readAttachField(label: string, node: unknown, ctx: FieldContext, scope: AttachScope): Promise<DraftAttachment[]> {
  if (isEmptyValue(deref(node, ctx), ctx)) return [];
  const entries: LocatedText[] = [];
  for (const item of itemsOf(node, ctx)) {
    const entry = readScalar(item, ctx, localized('{0} must be a file path or a list of file paths', label));
    if (!entry) continue;
    if (entry.text.trim() === '') {
      ctx.sink.error(ProblemCode.missingAttachment, localized('{0} has an empty entry: write the path of a file', label), entry.start, entry.end);
      continue;
    }
    entries.push(entry);
  }
  const results = await Promise.all(entries.map((entry) => resolveLocalFile(entry.text, scope)));
  const attachments: DraftAttachment[] = [];
  results.forEach((result, index) => {
    const entry = entries[index];
    if (!entry) return;
    const attachment = judge(entry.text, result, scope, (code, text, severity) => {
      if (severity === 'error') ctx.sink.error(code, text, entry.start, entry.end);
      else ctx.sink.warning(code, text, entry.start, entry.end);
    });
    if (attachment) attachments.push(attachment);
  });
  return attachments;
}

type Report = (code: ProblemCode, text: LocalizedText, severity: 'error' | 'warning') => void;

function formatCharacterInPath(path: string, ch: string): LocalizedText {
  return localized('attachment {0} contains the invisible formatting character {1}, which can disguise a file name', path, describeCharacter(ch));
}

function judge(written: string, result: LocalFileResult, scope: AttachScope, report: Report): DraftAttachment | undefined {
  if (!result.ok) {
    const where = written === result.path ? result.path : `${written} (${result.path})`;
    switch (result.reason) {
      case 'missing': report(ProblemCode.missingAttachment, localized('attachment not found: {0}', where), 'error'); break;
      case 'directory': report(ProblemCode.attachmentIsDirectory, localized('attachment is a folder, not a file: {0}', where), 'error'); break;
      case 'special':
        report(ProblemCode.unreadableAttachment, localized('attachment is not a regular file (a device, pipe, or a system file whose size is unknown): {0}', where), 'error');
        break;
      case 'unreadable': report(ProblemCode.unreadableAttachment, localized('cannot read attachment {0}: {1}', where, result.errno), 'error'); break;
      case 'disguised': report(ProblemCode.formatCharacter, formatCharacterInPath(result.name, result.character), 'error'); break;
    }
    return undefined;
  }
  const { file } = result;
  if (file.outside) {
    if (scope.untrusted) {
      report(
        ProblemCode.attachmentOutside,
        localized('attachment {0} is the file {1}, outside the workspace folder, and this workspace is not trusted: move the file into the workspace or trust the workspace', written, file.realPath),
        'error',
      );
      return undefined;
    }
    report(ProblemCode.attachmentOutside, localized('attachment {0} is the file {1}, outside the workspace folder', written, file.realPath), 'warning');
  }
  return { path: file.path, realPath: file.realPath, filename: file.filename, size: file.size, outside: file.outside };
}
