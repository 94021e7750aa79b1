/**
 * Reads a composed message back, as a recipient's mail client would, so the Preview shows what
 * was built rather than rendering the draft a second time. postal-mime does the MIME work: it has
 * no dependencies, decodes RFC 2047 words, quoted-printable, base64 and RFC 2231 file names, and
 * is small enough to load on demand (a lazy `import()`, its own file in dist/vendor like the
 * other draft-time libraries, so starting the extension never parses it).
 */
import type PostalMimeClass from 'postal-mime';
import type { Address as ParsedAddress, Email } from 'postal-mime';

/** One body part that is not the text or HTML alternative: an attachment or an inline image. */
export interface ParsedPart {
  /** The file name the recipient sees; undefined when the part names none. */
  readonly filename: string | undefined;
  readonly mimeType: string;
  /** Content-ID without angle brackets (RFC 2392), for inline images. */
  readonly contentId: string | undefined;
  readonly inline: boolean;
  readonly content: Uint8Array;
}

export interface ParsedMessage {
  /** Every header, unfolded, in order, with its name as written; values undecoded. */
  readonly headers: ReadonlyArray<{ readonly name: string; readonly value: string }>;
  readonly from: readonly string[];
  readonly to: readonly string[];
  readonly cc: readonly string[];
  readonly replyTo: readonly string[];
  /** The Subject with RFC 2047 encoded words decoded. */
  readonly subject: string | undefined;
  readonly html: string | undefined;
  readonly text: string | undefined;
  readonly parts: readonly ParsedPart[];
}

async function loadPostalMime(): Promise<typeof PostalMimeClass> {
  // CommonJS interop: the class is `default`, or `default.default`, by loader (the bundle
  // requires dist/vendor/postal-mime.js; tsx and Node import the package's own build).
  const module = (await import('postal-mime')) as unknown as { readonly default: typeof PostalMimeClass & { readonly default?: typeof PostalMimeClass } };
  return module.default.default ?? module.default;
}

/** `Name <address>` as a client shows a mailbox; a group as `name: members;` (RFC 5322 3.4). */
function formatAddress(address: ParsedAddress): string {
  if (address.group !== undefined) return `${address.name}: ${address.group.map(formatAddress).join(', ')};`;
  return address.name === '' ? address.address : `${address.name} <${address.address}>`;
}

function formatList(list: readonly ParsedAddress[] | ParsedAddress | undefined): readonly string[] {
  if (list === undefined) return [];
  return (Array.isArray(list) ? list : [list]).map(formatAddress);
}

function bytesOf(content: ArrayBuffer | Uint8Array | string): Uint8Array {
  if (typeof content === 'string') return new TextEncoder().encode(content);
  return content instanceof Uint8Array ? content : new Uint8Array(content);
}

function partsOf(email: Email): ParsedPart[] {
  return email.attachments.map((attachment) => ({
    filename: attachment.filename ?? undefined,
    mimeType: attachment.mimeType,
    contentId: attachment.contentId?.replace(/^<|>$/g, ''),
    inline: attachment.disposition === 'inline' || attachment.related === true,
    content: bytesOf(attachment.content),
  }));
}

export async function parseMessage(bytes: Uint8Array): Promise<ParsedMessage> {
  const PostalMime = await loadPostalMime();
  // An attached message (message/rfc822) is listed as an attachment, never merged into the body.
  const email = await PostalMime.parse(bytes, { forceRfc822Attachments: true });
  return {
    headers: email.headers.map((header) => ({ name: header.originalKey, value: header.value })),
    from: formatList(email.from),
    to: formatList(email.to),
    cc: formatList(email.cc),
    replyTo: formatList(email.replyTo),
    subject: email.subject,
    html: email.html,
    text: email.text,
    parts: partsOf(email),
  };
}
