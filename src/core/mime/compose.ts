/**
 * Draft → RFC 5322 message. The structure follows what the draft needs (RFC 2046 5.1):
 *
 *   plaintext, no attachments        text/plain
 *   Markdown                         multipart/alternative (text/plain source, text/html)
 *   Markdown with local images       the text/html becomes multipart/related (html, images)
 *   any attachments                  multipart/mixed (the above, attachments...)
 *
 * Nothing is read from disk here: files are stat-ed for their size and read only by stream(),
 * fresh each call. With date, messageId and boundary injected the bytes are deterministic.
 */
import { randomBytes } from 'node:crypto';
import type { Address } from '../draft/types';
import { renderMarkdown } from '../markdown/render';
import type { RenderedMarkdown } from '../markdown/types';
import { describeMailbox, formatAddrSpec, mailboxListSegments } from './addresses';
import { isValidBoundary, randomBoundary } from './boundary';
import { formatDate } from './date';
import { ComposeError } from './errors';
import { assertFieldName, foldHeader, unstructuredSegments } from './headers';
import { assertMessageId, generateMessageId } from './message-id';
import { simpleParameter, withParameters } from './params';
import { filePart, mediaTypeFor, textPart } from './parts';
import type { LeafPart, MimePart } from './tree';
import { leaves, segmentLength, serialise } from './tree';
import type { ComposedMessage, ComposeOptions, MessageSummary } from './types';
import { streamSegments } from './writer';

/** Header fields the composer writes itself; a draft's extra headers may not repeat them. */
const OWNED_HEADERS = new Set([
  'date', 'from', 'to', 'cc', 'bcc', 'reply-to', 'subject', 'message-id',
  'in-reply-to', 'references', 'mime-version',
]);

/** The tree before boundaries are chosen. */
type PartPlan = LeafPart | { readonly kind: 'plan'; readonly subtype: 'mixed' | 'alternative' | 'related'; readonly children: readonly PartPlan[] };

export async function composeMessage(options: ComposeOptions): Promise<ComposedMessage> {
  const { draft } = options;
  const eightBitMime = options.eightBitMime ?? false;
  const date = options.date ?? new Date();

  const { plan, attachmentSizes } = await planParts(options, eightBitMime);
  const root = assignBoundaries(plan, options.boundary);

  const sender = formatAddrSpec(options.from.address);
  const messageId = options.messageId ?? generateMessageId(sender.addrSpec.slice(sender.addrSpec.lastIndexOf('@') + 1), date);
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

  headerLines.push(foldHeader('Date', [formatDate(date)]));
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
    const lower = header.name.toLowerCase();
    if (OWNED_HEADERS.has(lower) || lower.startsWith('content-')) {
      throw new ComposeError('invalid-header', `The ${header.name} header is written by the composer and cannot be set in the draft.`);
    }
    headerLines.push(foldHeader(header.name, unstructuredSegments(header.name, header.value, { encodeUnfoldableAscii: false })));
  }
  headerLines.push(foldHeader('MIME-Version', ['1.0']));

  const segments = serialise(root, headerLines.join(''));
  const size = segments.reduce((total, segment) => total + segmentLength(segment), 0);

  const recipients = [...draft.to, ...draft.cc, ...draft.bcc].map((mailbox) => formatAddrSpec(mailbox.address));
  smtpUtf8 ||= recipients.some((recipient) => recipient.smtpUtf8);
  const envelopeTo = [...new Set(recipients.map((recipient) => recipient.addrSpec))];

  return {
    messageId,
    envelope: {
      from: sender.addrSpec,
      to: envelopeTo,
      smtpUtf8,
      eightBit: leaves(root).some((leaf) => leaf.body.kind === 'memory' && leaf.body.encoding === '8bit'),
    },
    size,
    stream: () => streamSegments(segments),
    summary: summarise(options, attachmentSizes),
  };
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

async function planParts(options: ComposeOptions, eightBitMime: boolean): Promise<PlannedParts> {
  const { draft } = options;
  let body: PartPlan = textPart('plain', draft.body, eightBitMime);
  if (draft.format === 'markdown') {
    const rendered = options.rendered ?? (await renderOrThrow(options));
    let html: PartPlan = textPart('html', rendered.html, eightBitMime);
    if (rendered.inlineImages.length > 0) {
      const images = await Promise.all(
        rendered.inlineImages.map((image) =>
          filePart({
            path: image.path,
            filename: image.filename,
            contentType: image.contentType,
            disposition: 'inline',
            cid: image.cid,
            label: `image "${image.filename}"`,
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
      draft.attachments.map((attachment) =>
        filePart({
          path: attachment.path,
          filename: attachment.filename,
          contentType: mediaTypeFor(attachment.filename),
          disposition: 'attachment',
          label: `attachment "${attachment.filename}"`,
        }),
      ),
    );
    attachmentSizes = attachments.map((part) => (part.body.kind === 'file' ? part.body.size : 0));
    body = { kind: 'plan', subtype: 'mixed', children: [body, ...attachments] };
  }
  return { plan: body, attachmentSizes };
}

async function renderOrThrow(options: ComposeOptions): Promise<RenderedMarkdown> {
  const rendered = await renderMarkdown(options.draft.body, {
    baseDir: options.draft.baseDir,
    bodyStartLine: options.draft.bodyStartLine,
  });
  const errors = rendered.problems.filter((problem) => problem.severity === 'error');
  if (errors.length > 0) {
    throw new ComposeError('render-failed', errors.map((problem) => `${problem.start.line}:${problem.start.column} ${problem.message}`).join('\n'));
  }
  return rendered;
}

/** Bodies that go out as written (7bit/8bit), where a boundary could collide with content. */
function unencodedBodies(plan: PartPlan): Buffer[] {
  if (plan.kind === 'leaf') {
    const body = plan.body;
    return body.kind === 'memory' && (body.encoding === '7bit' || body.encoding === '8bit') ? [body.data] : [];
  }
  return plan.children.flatMap(unencodedBodies);
}

/** Picks each multipart's boundary top-down (depth 0 is the outermost) and writes its Content-Type. */
function assignBoundaries(plan: PartPlan, inject: ComposeOptions['boundary']): MimePart {
  const bodies = unencodedBodies(plan);
  const collides = (boundary: string): boolean => bodies.some((body) => body.includes(boundary));
  const walk = (part: PartPlan, depth: number): MimePart => {
    if (part.kind === 'leaf') {
      return part;
    }
    let boundary: string;
    if (inject !== undefined) {
      boundary = inject(depth);
      if (!isValidBoundary(boundary)) {
        throw new ComposeError('boundary-collision', `"${boundary}" is not a valid MIME boundary (RFC 2046 5.1.1).`);
      }
      if (collides(boundary)) {
        throw new ComposeError('boundary-collision', `The boundary "${boundary}" occurs in the message content.`);
      }
    } else {
      // A random 120-bit boundary colliding is practically impossible; the loop is bounded anyway.
      boundary = randomBoundary();
      for (let attempt = 0; collides(boundary) && attempt < 8; attempt++) {
        boundary = randomBoundary() + randomBytes(4).toString('hex');
      }
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
