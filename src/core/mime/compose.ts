/**
 * Draft → RFC 5322 message. The structure follows what the draft needs (RFC 2046 5.1):
 *
 *   plaintext, no attachments        text/plain
 *   Markdown                         multipart/alternative (text/plain source, text/html)
 *   Markdown with local images       the text/html becomes multipart/related (html, images)
 *   any attachments                  multipart/mixed (the above, attachments...)
 *
 * Nothing is rendered here (composeDraft renders the Markdown with the same identity) and no
 * file is read whole: files are stat-ed for their size and read only by stream(), fresh each
 * call; a text attachment is read once ahead to learn its charset, and an attached message
 * (.eml) is read whole, as message/rfc822 must not be base64 (message-part.ts). Every value that makes the
 * message unique comes from the identity, so the same identity gives the same bytes.
 */
import type { Address } from '../draft/types';
import type { MessageIdentity } from '../identity';
import { localized } from '../text';
import { describeMailbox, formatAddrSpec, mailboxListSegments } from './addresses';
import { isValidBoundary } from './boundary';
import { formatDate } from './date';
import { ComposeError } from './errors';
import { mailboxKey, ownedHeader, ownedHeaderText } from './grammar';
import { assertFieldName, foldHeader, unstructuredSegments } from './headers';
import { assertMessageId } from './message-id';
import { simpleParameter, withParameters } from './params';
import { isMessageFile, messagePart } from './message-part';
import { attachmentMediaType, filePart, textPart } from './parts';
import type { LeafPart, MimePart } from './tree';
import { leaves, segmentLength, serialise } from './tree';
import type { ComposedMessage, ComposeOptions, MessageSummary } from './types';
import { segmentsInMemory, streamSegments } from './writer';

/** The tree before boundaries are chosen. */
type PartPlan = LeafPart | { readonly kind: 'plan'; readonly subtype: 'mixed' | 'alternative' | 'related'; readonly children: readonly PartPlan[] };

export async function composeMessage(options: ComposeOptions): Promise<ComposedMessage> {
  const { draft, identity } = options;

  const { plan, attachmentSizes } = await planParts(options);
  const root = assignBoundaries(plan, identity);

  const sender = formatAddrSpec(options.from.address, 'from');
  const messageId = identity.messageId;
  assertMessageId('Message-ID', messageId);

  const headerLines: string[] = [];
  let smtpUtf8 = sender.smtpUtf8;
  const addressHeader = (name: string, mailboxes: readonly Address[]): void => {
    if (mailboxes.length === 0) {
      return;
    }
    const list = mailboxListSegments(mailboxes);
    smtpUtf8 ||= list.smtpUtf8;
    headerLines.push(foldHeader(name, list.segments));
  };

  headerLines.push(foldHeader('Date', [formatDate(identity.date, identity.zoneOffset)]));
  addressHeader('From', [options.from]);
  if (draft.to.length === 0 && draft.cc.length === 0) {
    // RFC 5322 3.6.3 / A.1.3: an empty group says "recipients not shown" (Bcc-only mail).
    headerLines.push(foldHeader('To', ['undisclosed-recipients:;']));
  }
  addressHeader('To', draft.to);
  addressHeader('Cc', draft.cc);
  // No Bcc header, ever (RFC 5322 3.6.3 allows removing it): Bcc recipients are envelope-only.
  addressHeader('Reply-To', draft.replyTo);
  headerLines.push(foldHeader('Subject', unstructuredSegments('Subject', draft.subject, { encodeUnfoldableAscii: true })));
  headerLines.push(foldHeader('Message-ID', [messageId]));
  if (draft.inReplyTo !== undefined && draft.inReplyTo.trim() !== '') {
    headerLines.push(foldHeader('In-Reply-To', messageIdList('In-Reply-To', draft.inReplyTo.trim().split(/\s+/))));
  }
  if (draft.references.length > 0) {
    headerLines.push(foldHeader('References', messageIdList('References', draft.references.flatMap((ref) => ref.trim().split(/\s+/)))));
  }
  for (const header of draft.headers) {
    assertFieldName(header.name);
    const owned = ownedHeader(header.name);
    if (owned !== undefined) {
      throw new ComposeError('invalid-header', ownedHeaderText('headers', header.name, owned));
    }
    headerLines.push(foldHeader(header.name, unstructuredSegments(header.name, header.value, { encodeUnfoldableAscii: false })));
  }
  headerLines.push(foldHeader('MIME-Version', ['1.0']));

  const segments = serialise(root, headerLines.join(''));
  const size = segments.reduce((total, segment) => total + segmentLength(segment), 0);

  const recipients = [
    ...draft.to.map((mailbox) => formatAddrSpec(mailbox.address, 'to')),
    ...draft.cc.map((mailbox) => formatAddrSpec(mailbox.address, 'cc')),
    ...draft.bcc.map((mailbox) => formatAddrSpec(mailbox.address, 'bcc')),
  ];
  smtpUtf8 ||= recipients.some((recipient) => recipient.smtpUtf8);

  return {
    messageId,
    envelope: {
      from: sender.addrSpec,
      to: envelopeRecipients(recipients.map((recipient) => recipient.addrSpec)),
      smtpUtf8,
      eightBit: leaves(root).some((leaf) => leaf.body.kind === 'memory' && leaf.body.encoding === '8bit'),
    },
    size,
    stream: () => streamSegments(segments),
    inMemory: () => segmentsInMemory(segments),
    summary: summarise(options, attachmentSizes),
  };
}

/**
 * One RCPT per mailbox: `bob@example.com` in To and `bob@Example.COM` in Bcc are one person
 * (RFC 5321 2.4: domains are case-insensitive; only the receiving host may interpret the local
 * part). The first spelling wins. The draft check already reports duplicates; this is the
 * composer's own guard, so no caller can make one person receive the message twice.
 */
function envelopeRecipients(addrSpecs: readonly string[]): string[] {
  const seen = new Set<string>();
  const kept: string[] = [];
  for (const addrSpec of addrSpecs) {
    const key = mailboxKey(addrSpec);
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push(addrSpec);
  }
  return kept;
}

function messageIdList(what: string, ids: readonly string[]): string[] {
  ids.forEach((id) => assertMessageId(what, id));
  return ids.map((id, index) => (index === 0 ? id : ` ${id}`));
}

interface PlannedParts {
  readonly plan: PartPlan;
  /** Attachment sizes as found now (the draft's may be older). */
  readonly attachmentSizes: readonly number[];
}

async function planParts(options: ComposeOptions): Promise<PlannedParts> {
  const { draft, identity, eightBitMime } = options;
  let body: PartPlan = textPart('plain', draft.body, eightBitMime);
  if (options.html !== undefined) {
    let html: PartPlan = textPart('html', options.html.html, eightBitMime);
    if (options.html.inlineImages.length > 0) {
      const images = await Promise.all(
        options.html.inlineImages.map((image) =>
          filePart({
            file: { role: 'image', filename: image.filename, path: image.realPath },
            // The type the image's leading bytes showed (markdown/images.ts), not its name's.
            mediaType: { type: image.contentType, parameters: [] },
            disposition: 'inline',
            cid: identity.contentId(image.index),
          }),
        ),
      );
      html = { kind: 'plan', subtype: 'related', children: [html, ...images] };
    }
    body = { kind: 'plan', subtype: 'alternative', children: [body, html] };
  }
  let attachmentSizes: number[] = [];
  if (draft.attachments.length > 0) {
    const attachments = await Promise.all(
      draft.attachments.map(async (attachment) => {
        // Named and typed after the real file (DraftAttachment.filename is the target's name).
        const file = { role: 'attachment', filename: attachment.filename, path: attachment.realPath } as const;
        const make = async (): Promise<LeafPart> => {
          const message = (await isMessageFile(file.filename)) ? await messagePart(file, eightBitMime) : undefined;
          return message ?? filePart({ file, mediaType: await attachmentMediaType(file), disposition: 'attachment', cid: undefined });
        };
        return options.attachmentCache === undefined ? make() : options.attachmentCache.part(`${String(eightBitMime)}\u0000${file.filename}\u0000${file.path}`, make);
      }),
    );
    attachmentSizes = attachments.map((part) => (part.body.kind === 'file' ? part.body.size : part.body.data.length));
    body = { kind: 'plan', subtype: 'mixed', children: [body, ...attachments] };
  }
  return { plan: body, attachmentSizes };
}

/** Bodies that go out as written (7bit/8bit), where a boundary could collide with content. */
function unencodedBodies(plan: PartPlan): Buffer[] {
  if (plan.kind === 'leaf') {
    const body = plan.body;
    return body.kind === 'memory' && (body.encoding === '7bit' || body.encoding === '8bit') ? [body.data] : [];
  }
  return plan.children.flatMap(unencodedBodies);
}

/**
 * Takes each multipart's boundary from the identity, top-down (depth 0 is the outermost), and
 * writes its Content-Type. A boundary that occurs in a 7bit or 8bit body would cut that body
 * short (RFC 2046 5.1.1): with 120 random or hashed bits it does not happen by chance, so it
 * is refused rather than silently replaced, which would break reproducibility.
 */
function assignBoundaries(plan: PartPlan, identity: MessageIdentity): MimePart {
  const bodies = unencodedBodies(plan);
  const walk = (part: PartPlan, depth: number): MimePart => {
    if (part.kind === 'leaf') {
      return part;
    }
    const boundary = identity.boundary(depth);
    if (!isValidBoundary(boundary)) {
      throw new ComposeError('boundary-collision', localized('"{0}" is not a valid MIME boundary (RFC 2046 5.1.1).', boundary));
    }
    if (bodies.some((body) => body.includes(boundary))) {
      throw new ComposeError('boundary-collision', localized('The boundary "{0}" occurs in the message content.', boundary));
    }
    const parameters = [simpleParameter('boundary', boundary)];
    if (part.subtype === 'related') {
      // RFC 2387 3.1: the type parameter is required and names the root part's type.
      parameters.unshift(simpleParameter('type', 'text/html'));
    }
    const headers = foldHeader('Content-Type', withParameters(`multipart/${part.subtype}`, parameters));
    return { kind: 'multipart', headers, boundary, children: part.children.map((child) => walk(child, depth + 1)) };
  };
  return walk(plan, 0);
}

function summarise(options: ComposeOptions, attachmentSizes: readonly number[]): MessageSummary {
  const { draft } = options;
  const attachments = draft.attachments.map((attachment, index) => ({
    filename: attachment.filename,
    size: attachmentSizes[index] ?? attachment.size,
  }));
  return {
    to: draft.to.map(describeMailbox),
    cc: draft.cc.map(describeMailbox),
    bcc: draft.bcc.map(describeMailbox),
    attachments,
    attachmentBytes: attachments.reduce((total, attachment) => total + attachment.size, 0),
  };
}
