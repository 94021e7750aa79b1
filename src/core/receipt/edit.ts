/**
 * The receipt written back into a draft after a send: `sent:` (when, ISO 8601 UTC) and
 * `message-id:` (the Message-ID sent, RFC 5322 3.6.4). The draft is the user's file, so the edit
 * touches only those two lines: every other byte — line endings, comments, key order, a byte
 * order mark, the body — stays as it was. An existing receipt is replaced where it stands (a
 * resend updates it); a missing one goes at the end of the front matter.
 *
 * The edit is a list of replacements by offset, so the extension can apply it as an undoable
 * WorkspaceEdit and the CLI as a string rewrite: one rule, two faces.
 */
import { splitDraft } from '../draft/front-matter';
import { applyEdits, linesBetween } from '../text-offsets';
import type { TextEdit } from '../text-offsets';

export interface Receipt {
  /** When the server accepted the message. */
  readonly sent: Date;
  /** The Message-ID sent, with angle brackets. */
  readonly messageId: string;
}

const BYTE_ORDER_MARK = '\uFEFF';
const RECEIPT_KEYS = ['sent', 'message-id'] as const;
type ReceiptKey = (typeof RECEIPT_KEYS)[number];

/** `2026-12-02T10:15:00Z`: whole seconds, UTC — YAML 1.2 reads it as a plain string. */
export function formatSentTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * A YAML double-quoted scalar. A Message-ID is printable ASCII (RFC 5322 3.6.4), so JSON's
 * escaping (`\"`, `\\`) is also YAML's; the brackets then need no thought about YAML syntax.
 */
function quoted(value: string): string {
  return JSON.stringify(value);
}

function receiptLine(key: ReceiptKey, receipt: Receipt): string {
  return key === 'sent' ? `sent: ${formatSentTime(receipt.sent)}` : `message-id: ${quoted(receipt.messageId)}`;
}

/** A top-level key at column 0, plain or quoted, in any case (keys ignore case: front-matter-keys.ts). */
function receiptKeyOf(line: string): ReceiptKey | undefined {
  const match = /^(["']?)(sent|message-id)\1[ \t]*:(?:[ \t]|$)/i.exec(line);
  return match?.[2]?.toLowerCase() as ReceiptKey | undefined;
}

/**
 * The edits that write `receipt` into `text`, or undefined when the text has no front matter to
 * write into (then there is nothing that could have been sent either). Offsets count a leading
 * byte order mark, as the text given does.
 */
export function receiptEdits(text: string, receipt: Receipt): TextEdit[] | undefined {
  const bom = text.startsWith(BYTE_ORDER_MARK) ? BYTE_ORDER_MARK.length : 0;
  const split = splitDraft(text.slice(bom));
  if (split.kind !== 'ok') return undefined;
  const yamlStart = bom + split.yamlStart;
  const yamlEnd = yamlStart + split.yaml.length;
  // New lines end the way the file's lines end (the opening fence's break).
  const lineBreak = /\r\n|\r|\n/.exec(text.slice(bom, yamlStart))?.[0] ?? '\n';

  const edits: TextEdit[] = [];
  const written = new Set<ReceiptKey>();
  let insertAt = yamlEnd;
  const lines = linesBetween(text, yamlStart, yamlEnd);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line === undefined) continue;
    const key = receiptKeyOf(line.content);
    if (key === undefined || written.has(key)) continue;
    // The value may continue on indented lines (a block scalar, a folded plain scalar): those
    // belong to the old value and go with it.
    let last = line;
    while (i + 1 < lines.length && /^[ \t]+\S/.test(lines[i + 1]?.content ?? '')) {
      i++;
      last = lines[i] ?? last;
    }
    edits.push({ start: line.start, end: last.contentEnd, text: receiptLine(key, receipt) });
    written.add(key);
    insertAt = last.end;
  }
  const missing = RECEIPT_KEYS.filter((key) => !written.has(key));
  if (missing.length > 0) {
    // After the existing receipt line (so the pair stays together), else before the closing
    // fence. Either place is the start of a line: the closing fence is a whole line.
    edits.push({ start: insertAt, end: insertAt, text: missing.map((key) => receiptLine(key, receipt) + lineBreak).join('') });
  }
  return edits.sort((a, b) => a.start - b.start);
}

/** The draft text with its receipt written; undefined when it has no front matter. */
export function withReceipt(text: string, receipt: Receipt): string | undefined {
  const edits = receiptEdits(text, receipt);
  return edits === undefined ? undefined : applyEdits(text, edits);
}

/** The 1-based line of the `sent:` key, for a note pointing at it; undefined without one. */
export function sentKeyLine(text: string): number | undefined {
  const bom = text.startsWith(BYTE_ORDER_MARK) ? BYTE_ORDER_MARK.length : 0;
  const split = splitDraft(text.slice(bom));
  if (split.kind !== 'ok') return undefined;
  const lines = linesBetween(text, bom + split.yamlStart, bom + split.yamlStart + split.yaml.length);
  const index = lines.findIndex((line) => receiptKeyOf(line.content) === 'sent');
  // Line 1 is the opening fence.
  return index < 0 ? undefined : index + 2;
}
