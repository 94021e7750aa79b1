import { isSeq } from 'yaml';
import type { AttachmentProbe } from './attachments';
import { checkAttachment, resolveAttachmentPath } from './attachments';
import type { FieldContext } from './field-context';
import { deref, isEmptyValue, readScalar } from './field-context';
import type { LocatedText } from './located-text';
import { ProblemCode } from './problem-codes';
import type { DraftAttachment } from './types';

export interface AttachLocations {
  readonly baseDir: string;
  readonly homeDir: string;
  readonly probe?: AttachmentProbe;
}

/** Reads `attach:` (one path or a list of paths) and checks every file on disk. */
export async function readAttachField(
  label: string,
  node: unknown,
  ctx: FieldContext,
  locations: AttachLocations,
): Promise<DraftAttachment[]> {
  const value = deref(node, ctx);
  if (isEmptyValue(value)) return [];
  const items: unknown[] = isSeq(value) ? value.items : [node];
  const entries: LocatedText[] = [];
  for (const item of items) {
    const entry = readScalar(item, label, 'a file path or a list of file paths', ctx);
    if (!entry) continue;
    if (entry.text.trim() === '') {
      ctx.sink.error(ProblemCode.missingAttachment, `${label} has an empty entry: write the path of a file`, entry.start, entry.end);
      continue;
    }
    entries.push(entry);
  }
  const checks = await Promise.all(
    entries.map((entry) =>
      checkAttachment(entry.text, resolveAttachmentPath(entry.text, locations.baseDir, locations.homeDir), locations.probe),
    ),
  );
  const attachments: DraftAttachment[] = [];
  checks.forEach((check, index) => {
    const entry = entries[index];
    if (check.ok) attachments.push(check.attachment);
    else if (entry) ctx.sink.error(check.code, check.message, entry.start, entry.end);
  });
  return attachments;
}
