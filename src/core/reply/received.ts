/**
 * A received message (.eml), read for replying or forwarding. Parsed by postal-mime, a
 * maintained MIME parser (encoded words, charsets, nested multiparts), loaded only when a reply
 * or forward is made. Only what a reply needs is kept, normalised into the draft's own types.
 */
import type * as PostalMimeModule from 'postal-mime' with { 'resolution-mode': 'import' };
import type { Email, Address as ParsedAddress } from 'postal-mime' with { 'resolution-mode': 'import' };
import type { Address } from '../draft/types';
import { messageIdFault } from '../mime/grammar';
import { htmlToText } from './html-text';

export interface ReceivedMessage {
  readonly from: readonly Address[];
  readonly replyTo: readonly Address[];
  readonly to: readonly Address[];
  readonly cc: readonly Address[];
  readonly subject: string;
  /** With angle brackets; undefined when missing or not a valid msg-id. */
  readonly messageId: string | undefined;
  /** The parent's References (valid ids only), in order. */
  readonly references: readonly string[];
  readonly inReplyTo: readonly string[];
  /** The Date header as written (for the attribution line), if any. */
  readonly date: string | undefined;
  /** The text part, else the HTML part as text. */
  readonly text: string;
}

let postalMime: Promise<typeof PostalMimeModule> | undefined;

async function loadPostalMime(): Promise<(typeof PostalMimeModule)['default']> {
  postalMime ??= import('postal-mime');
  return (await postalMime).default;
}

function mailboxes(list: readonly ParsedAddress[] | ParsedAddress | undefined): Address[] {
  const flat = (list === undefined ? [] : Array.isArray(list) ? list : [list]) as readonly ParsedAddress[];
  return flat
    .flatMap((entry) => (entry.group === undefined ? [entry] : entry.group))
    .filter((mailbox) => typeof mailbox.address === 'string' && mailbox.address.includes('@'))
    .map((mailbox) => (mailbox.name === '' ? { address: mailbox.address } : { name: mailbox.name, address: mailbox.address }));
}

/** The valid msg-ids in a header value (RFC 5322 3.6.4), in order. */
export function messageIds(value: string | undefined): string[] {
  return (value?.match(/<[^<>\s]*>/g) ?? []).filter((id) => messageIdFault(id) === undefined);
}

function header(email: Email, name: string): string | undefined {
  return email.headers.find((entry) => entry.key === name)?.value;
}

export async function readReceivedMessage(bytes: Uint8Array): Promise<ReceivedMessage> {
  const PostalMimeClass = await loadPostalMime();
  const email = await PostalMimeClass.parse(bytes);
  const text = email.text !== undefined && email.text.trim() !== '' ? email.text : email.html !== undefined ? await htmlToText(email.html) : '';
  return {
    from: mailboxes(email.from),
    replyTo: mailboxes(email.replyTo),
    to: mailboxes(email.to),
    cc: mailboxes(email.cc),
    subject: email.subject ?? '',
    messageId: messageIds(email.messageId)[0],
    references: messageIds(email.references),
    inReplyTo: messageIds(email.inReplyTo),
    date: header(email, 'date')?.trim(),
    text,
  };
}
