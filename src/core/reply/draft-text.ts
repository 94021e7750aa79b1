/**
 * The text of a new draft made from a received message: a reply (recipients, "Re:" subject,
 * threading headers, the original quoted) or a forward (the original attached as a message).
 * Every value is written as a YAML double-quoted scalar, so nothing in a received message — a
 * quote, a colon, a line break, a `---` — can add a key or end the front matter; what the draft
 * check would refuse (a control character) it still refuses, visibly, when the draft is checked.
 */
import type { Address } from '../draft/types';
import { describeMailbox } from '../mime/addresses';
import type { LocalizedText, Translate } from '../text';
import { localized, renderText } from '../text';
import { replyRecipients } from './addresses';
import { quoteText } from './quote';
import type { ReceivedMessage } from './received';
import { forwardSubject, replySubject } from './subject';

/** A YAML double-quoted scalar (JSON's string escapes are a subset of YAML's). */
function scalar(value: string): string {
  return JSON.stringify(value);
}

/** A header-bound value on one line: folded whitespace from the original becomes a space. */
function oneLine(value: string): string {
  return value.replace(/[\r\n\t]+/g, ' ').trim();
}

function addressField(key: string, addresses: readonly Address[]): string[] {
  if (addresses.length === 0) return [];
  const [only] = addresses;
  if (addresses.length === 1 && only !== undefined) return [`${key}: ${scalar(describeMailbox(only))}`];
  return [`${key}:`, ...addresses.map((address) => `  - ${scalar(describeMailbox(address))}`)];
}

function frontMatter(lines: readonly string[], body: string): string {
  return ['---', ...lines, '---', body].join('\n');
}

function sender(message: ReceivedMessage): string {
  return message.from.map(describeMailbox).join(', ');
}

/** RFC 5322 3.6.4: the parent's References (or its single In-Reply-To) followed by its Message-ID. */
export function replyReferences(message: ReceivedMessage): string[] {
  const inherited = message.references.length > 0 ? message.references : message.inReplyTo.length === 1 ? message.inReplyTo : [];
  const all = message.messageId === undefined ? [...inherited] : [...inherited, message.messageId];
  return all.filter((id, index) => all.indexOf(id) === index);
}

export function attributionLine(message: ReceivedMessage): LocalizedText {
  const from = sender(message) || '?';
  return message.date === undefined ? localized('{0} wrote:', from) : localized('On {0}, {1} wrote:', oneLine(message.date), from);
}

export interface ReplyDraftOptions {
  /** Reply All: the original To and Cc too. */
  readonly all: boolean;
  /** The user's own addresses, left out of Reply All. */
  readonly self: readonly string[];
  /** Written as `profile:` when the user chose one. */
  readonly profile: string | undefined;
  /** The language of the attribution line (the CLI's English, the extension's UI language). */
  readonly t: Translate | undefined;
}

export function replyDraftText(message: ReceivedMessage, options: ReplyDraftOptions): string {
  const { to, cc } = replyRecipients(message, options.all, options.self);
  const references = replyReferences(message);
  const lines = [
    ...(to.length === 0 ? ['to: '] : addressField('to', to)),
    ...addressField('cc', cc),
    `subject: ${scalar(replySubject(oneLine(message.subject)))}`,
    ...(message.messageId === undefined ? [] : [`in-reply-to: ${scalar(message.messageId)}`]),
    ...(references.length === 0 ? [] : [`references: ${scalar(references.join(' '))}`]),
    ...(options.profile === undefined ? [] : [`profile: ${scalar(options.profile)}`]),
  ];
  const quoted = message.text.trim() === '' ? '' : `${quoteText(message.text)}\n`;
  return frontMatter(lines, `\n${renderText(attributionLine(message), options.t)}\n${quoted}`);
}

export interface ForwardDraftOptions {
  /** The path written in `attach:` (relative to the draft's folder, or absolute). */
  readonly attachPath: string;
  readonly profile: string | undefined;
  readonly t: Translate | undefined;
}

/** A forward: no recipients yet, "Fwd:" subject, the original attached (as message/rfc822). */
export function forwardDraftText(message: ReceivedMessage, options: ForwardDraftOptions): string {
  const lines = [
    'to: ',
    `subject: ${scalar(forwardSubject(oneLine(message.subject)))}`,
    `attach: ${scalar(options.attachPath)}`,
    ...(options.profile === undefined ? [] : [`profile: ${scalar(options.profile)}`]),
  ];
  const summary = [
    renderText(localized('---------- Forwarded message ----------'), options.t),
    renderText(localized('From: {0}', sender(message)), options.t),
    ...(message.date === undefined ? [] : [renderText(localized('Date: {0}', oneLine(message.date)), options.t)]),
    renderText(localized('Subject: {0}', oneLine(message.subject)), options.t),
    ...(message.to.length === 0 ? [] : [renderText(localized('To: {0}', message.to.map(describeMailbox).join(', ')), options.t)]),
  ];
  return frontMatter(lines, `\n${summary.join('\n')}\n`);
}
