/**
 * How a sent draft is described to the user: the note `check` and the extension show, and the
 * question asked before a draft that has a receipt is sent again. Both faces use these, so the
 * CLI's refusal and the extension's question are the same sentence.
 */
import type { Draft, DraftProblem } from '../draft/types';
import type { LocalizedText } from '../text';
import { localized, renderText } from '../text';
import { sentKeyLine } from './edit';

/** Recipients named in the question; the rest are summed up as "…". */
const SHOWN_RECIPIENTS = 3;

/** "sent on … as <id>" for a draft with a receipt; undefined for one never sent. */
export function receiptNote(draft: Pick<Draft, 'receipt'>): LocalizedText | undefined {
  const sent = draft.receipt?.sent;
  if (sent === undefined) return undefined;
  const id = draft.receipt?.messageId;
  return id === undefined ? localized('sent on {0}', sent) : localized('sent on {0} as {1}', sent, id);
}

/** True when the draft records an earlier send: sending it again needs a yes. */
export function wasSent(draft: Pick<Draft, 'receipt'>): boolean {
  return draft.receipt?.sent !== undefined;
}

/** Every envelope recipient (To, Cc, Bcc), the first few by address. */
export function recipientSummary(draft: Pick<Draft, 'to' | 'cc' | 'bcc'>): string {
  const all = [...draft.to, ...draft.cc, ...draft.bcc].map((mailbox) => mailbox.address);
  const shown = all.slice(0, SHOWN_RECIPIENTS).join(', ');
  return all.length > SHOWN_RECIPIENTS ? `${shown}, …` : shown;
}

/** "Sent on {date} to {recipients} — send again?" */
export function resendQuestion(draft: Pick<Draft, 'receipt' | 'to' | 'cc' | 'bcc'>): LocalizedText {
  return localized('Sent on {0} to {1} — send again?', draft.receipt?.sent ?? '', recipientSummary(draft));
}

/** The note and the 1-based line of `sent:` it belongs to, for a front end to show at that line. */
export interface ReceiptNote {
  readonly line: number;
  readonly text: LocalizedText;
}

/** Where and what to note for a sent draft (the CLI's `check` prints it; an editor can show it). */
export function receiptNoteAt(text: string, draft: Pick<Draft, 'receipt'>): ReceiptNote | undefined {
  const note = receiptNote(draft);
  return note === undefined ? undefined : { line: sentKeyLine(text) ?? 1, text: note };
}

/** `DraftProblem.code` of the note: stable, as the problem codes are. */
export const RECEIPT_NOTE_CODE = 'sent';

/**
 * The note as an `info` problem on the `sent` key, so every face lists it with the draft's
 * problems: the editor as an Information diagnostic, `check` as a `note:` line.
 */
export function receiptProblem(text: string, draft: Pick<Draft, 'receipt'>): DraftProblem | undefined {
  const note = receiptNoteAt(text, draft);
  if (note === undefined) return undefined;
  return {
    severity: 'info',
    code: RECEIPT_NOTE_CODE,
    text: note.text,
    message: renderText(note.text),
    start: { line: note.line, column: 1 },
    end: { line: note.line, column: 1 + RECEIPT_NOTE_CODE.length },
  };
}
