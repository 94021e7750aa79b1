/**
 * What the Preview shows, built from the composed bytes read back (parse-message.ts) plus what
 * never travels in them: the Bcc list and the SMTP envelope (RFC 5321 3.3: MAIL FROM and RCPT TO
 * are the transport's, not the message's; RFC 5322 3.6.3: Bcc is removed from what is sent), and
 * where each attached file really comes from. Pure, so the rules are unit-tested without VS Code.
 */
import type { CheckedDraft } from '../compose-draft';
import type { Address, Draft, DraftProblem } from '../draft/types';
import type { ComposedMessage } from '../mime/types';
import type { LocalizedText } from '../text';
import { parseMessage } from './parse-message';
import type { ParsedMessage, ParsedPart } from './parse-message';

/**
 * Gmail clips a message whose HTML is larger than 102 KB and shows "[Message clipped]" with a
 * link; counted here as 102 × 1024 bytes of the decoded HTML part.
 */
export const HTML_CLIP_BYTES = 102 * 1024;

/** The raw source tab shows at most this much; the rest is counted, not shown. */
export const RAW_DISPLAY_BYTES = 256 * 1024;

/** The profile the message would go through, or why none is known yet. Never a secret. */
export type PreviewProfile =
  | { readonly kind: 'profile'; readonly name: string; readonly host: string; readonly port: number; readonly security: string; readonly username: string | undefined }
  | { readonly kind: 'none'; readonly reason: LocalizedText };

export interface PreviewProblem {
  readonly severity: DraftProblem['severity'];
  /** 1-based; absent for a problem with no place in the draft (no sender, say). */
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly text: LocalizedText;
}

export interface PreviewAttachment {
  readonly name: string;
  readonly type: string;
  /** Decoded size in bytes, as the recipient saves it. */
  readonly size: number;
  /** The file the bytes were read from (every link followed); undefined if it cannot be matched. */
  readonly realPath: string | undefined;
  /** An inline image of the HTML part rather than an attachment. */
  readonly inline: boolean;
  /** The real path lies outside the workspace folder. */
  readonly outside: boolean;
}

export interface PreviewHtml {
  /** The HTML part with every `cid:` reference to a part of this message made a `data:` URI. */
  readonly document: string;
  /** Size of the decoded HTML part in bytes. */
  readonly bytes: number;
  readonly overClipLimit: boolean;
}

export type Receipt = Draft['receipt'];

export interface MessagePreview {
  readonly kind: 'message';
  readonly subject: string;
  /** From, To, Cc, Reply-To, Subject and Date as transmitted (absent ones left out). */
  readonly headers: ReadonlyArray<{ readonly name: string; readonly value: string }>;
  /** Never transmitted: the blind copies, and the envelope. */
  readonly bcc: readonly string[];
  readonly envelope: { readonly mailFrom: string; readonly rcptTo: readonly string[] };
  readonly html: PreviewHtml | undefined;
  readonly text: string | undefined;
  readonly raw: string;
  /** Bytes of the source beyond RAW_DISPLAY_BYTES, not shown. */
  readonly rawOmitted: number;
  readonly attachments: readonly PreviewAttachment[];
  readonly totalBytes: number;
  readonly messageId: string;
  readonly profile: PreviewProfile;
  readonly receipt: Receipt;
  readonly warnings: readonly PreviewProblem[];
}

export interface ProblemsPreview {
  readonly kind: 'problems';
  readonly problems: readonly PreviewProblem[];
  readonly profile: PreviewProfile;
  readonly receipt: Receipt;
}

export type PreviewModel = MessagePreview | ProblemsPreview;

export interface PreviewInput {
  /** Exactly what `message.stream()` yields. */
  readonly bytes: Uint8Array;
  readonly message: Pick<ComposedMessage, 'envelope' | 'messageId'>;
  readonly checked: CheckedDraft;
  /** The identity's Content-IDs, to tell which inline part came from which image file. */
  readonly contentId: (index: number) => string;
  readonly profile: PreviewProfile;
}

export function previewProblem(problem: DraftProblem): PreviewProblem {
  return { severity: problem.severity, line: problem.start.line, column: problem.start.column, text: problem.text };
}

/** For a draft that cannot be composed: its problems take the message's place. */
export function problemsPreview(problems: readonly PreviewProblem[], profile: PreviewProfile, receipt: Receipt): ProblemsPreview {
  return { kind: 'problems', problems, profile, receipt };
}

function mailbox(address: Address): string {
  return address.name === undefined || address.name === '' ? address.address : `${address.name} <${address.address}>`;
}

const SHOWN_HEADERS: ReadonlyArray<readonly [string, keyof Pick<ParsedMessage, 'from' | 'to' | 'cc' | 'replyTo'> | undefined]> = [
  ['From', 'from'],
  ['To', 'to'],
  ['Cc', 'cc'],
  ['Reply-To', 'replyTo'],
  ['Subject', undefined],
  ['Date', undefined],
];

function shownHeaders(parsed: ParsedMessage): Array<{ name: string; value: string }> {
  const shown: Array<{ name: string; value: string }> = [];
  for (const [name, list] of SHOWN_HEADERS) {
    // Subject decoded; Date as written, which is what a client formats.
    const value =
      list !== undefined
        ? parsed[list].join(', ')
        : name === 'Subject'
          ? (parsed.subject ?? '')
          : (parsed.headers.find((header) => header.name.toLowerCase() === 'date')?.value ?? '');
    if (value !== '') shown.push({ name, value });
  }
  return shown;
}

function dataUri(part: ParsedPart): string {
  return `data:${part.mimeType};base64,${Buffer.from(part.content).toString('base64')}`;
}

/**
 * Every `cid:` URL (RFC 2392: the Content-ID, percent-encoded) that names a part of this message
 * becomes a `data:` URI of that part, so the sandboxed frame shows the images without any fetch.
 * An unknown cid is left as it is (and shows as a broken image, as it would for the recipient).
 */
export function inlineCidImages(html: string, parts: readonly ParsedPart[]): string {
  const byId = new Map(parts.filter((part) => part.contentId !== undefined).map((part) => [part.contentId, part] as const));
  return html.replace(/\bcid:([^"'\s)>]+)/gi, (whole, id: string) => {
    let decoded = id;
    try {
      decoded = decodeURIComponent(id);
    } catch {
      // A malformed escape names no part.
    }
    const part = byId.get(decoded);
    return part === undefined ? whole : dataUri(part);
  });
}

function attachmentsOf(parsed: ParsedMessage, checked: CheckedDraft, contentId: (index: number) => string): PreviewAttachment[] {
  const images = new Map((checked.markdown?.inlineImages ?? []).map((image) => [contentId(image.index), image] as const));
  const files = checked.draft.attachments;
  let attachmentIndex = 0;
  return parsed.parts.map((part) => {
    const image = part.contentId === undefined ? undefined : images.get(part.contentId);
    // Attachments are composed in the draft's order; the name check guards the pairing.
    const file = image === undefined ? files[attachmentIndex++] : undefined;
    const source = image ?? (file !== undefined && file.filename === part.filename ? file : undefined);
    return {
      name: part.filename ?? source?.filename ?? '',
      type: part.mimeType,
      size: part.content.byteLength,
      realPath: source?.realPath,
      inline: image !== undefined || (part.inline && part.contentId !== undefined),
      outside: source?.outside ?? false,
    };
  });
}

export async function buildMessagePreview(input: PreviewInput): Promise<MessagePreview> {
  const { bytes, checked, message } = input;
  const parsed = await parseMessage(bytes);
  const html =
    parsed.html === undefined
      ? undefined
      : (() => {
          const size = Buffer.byteLength(parsed.html, 'utf8');
          return { document: inlineCidImages(parsed.html, parsed.parts), bytes: size, overClipLimit: size > HTML_CLIP_BYTES };
        })();
  const shownBytes = Math.min(bytes.byteLength, RAW_DISPLAY_BYTES);
  return {
    kind: 'message',
    subject: parsed.subject ?? '',
    headers: shownHeaders(parsed),
    bcc: checked.draft.bcc.map(mailbox),
    envelope: { mailFrom: message.envelope.from, rcptTo: message.envelope.to },
    html,
    text: parsed.text,
    raw: Buffer.from(bytes.buffer, bytes.byteOffset, shownBytes).toString('utf8'),
    rawOmitted: bytes.byteLength - shownBytes,
    attachments: attachmentsOf(parsed, checked, input.contentId),
    totalBytes: bytes.byteLength,
    messageId: message.messageId,
    profile: input.profile,
    receipt: checked.draft.receipt,
    warnings: checked.warnings.map(previewProblem),
  };
}
