/**
 * The CLI's half of the receipt: after the server accepted the message, the draft file gains
 * `sent:` and `message-id:` (core/receipt/edit.ts decides the bytes), written atomically — a
 * temporary file beside it renamed over it, permissions kept — so a crash or a full disk never
 * leaves a half-written draft. The file is read again here, not taken from before the send, so
 * an edit saved while the message was on its way is kept.
 */
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { Draft } from '../core/draft/types';
import { escapeForDisplay } from '../core/escape';
import { errnoOf } from '../core/guards';
import { receiptProblem, resendQuestion } from '../core/receipt/describe';
import { withReceipt } from '../core/receipt/edit';
import type { Receipt } from '../core/receipt/edit';
import type { LocalizedText } from '../core/text';
import { localized, renderText } from '../core/text';
import { writeFileAtomically } from './eml-output';
import type { Io } from './main';
import { problemLine } from './problem-line';

export { wasSent } from '../core/receipt/describe';

/**
 * Writes the receipt into the draft at `path`. Returns undefined when done, or why it was not
 * (the message was sent all the same; the caller warns).
 */
export async function recordReceiptInFile(path: string, receipt: Receipt): Promise<LocalizedText | undefined> {
  let text: string;
  try {
    // Fatal decoding and the BOM kept as a character: the text re-encodes to exactly these bytes.
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(await readFile(path));
  } catch (error) {
    return localized('the draft {0} could not be read again: {1}', path, errnoOf(error) ?? (error instanceof Error ? error.message : String(error)));
  }
  const updated = withReceipt(text, receipt);
  if (updated === undefined) return localized('the draft {0} no longer has front matter', path);
  try {
    await writeFileAtomically(path, () => Readable.from([Buffer.from(updated, 'utf8')]));
  } catch (error) {
    return localized('the draft {0} could not be rewritten: {1}', path, error instanceof Error ? error.message : String(error));
  }
  return undefined;
}

/** `check`: a sent draft is shown as sent, as a note at its `sent:` line. */
export function printReceiptNote(file: string, text: string, draft: Draft, io: Io): void {
  const note = receiptProblem(text, draft);
  if (note !== undefined) io.err(problemLine(file, note));
}

/** `send` of a draft with `sent:` and no `--resend`: the question, answered no (exit 2). */
export function refuseResend(draft: Draft, io: Io): number {
  io.err(`send-as-email: ${escapeForDisplay(renderText(resendQuestion(draft)))}`);
  io.err(`send-as-email: ${renderText(localized('Nothing was sent; add --resend to send it again.'))}`);
  return 2;
}

/** After the server's 250: the receipt, or a warning saying why not (the send still counts). */
export async function recordReceipt(file: string, messageId: string, io: Io): Promise<void> {
  const problem = await recordReceiptInFile(file, { sent: new Date(), messageId });
  if (problem !== undefined) io.err(escapeForDisplay(`send-as-email: warning: ${renderText(localized('the message was sent, but no receipt was written: {0}', renderText(problem)))}`));
}
