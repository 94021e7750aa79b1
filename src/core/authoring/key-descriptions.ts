/**
 * One line about each front matter key, for completion and hover. The keys themselves come from
 * the parser's table (KNOWN_KEYS): a Record over KnownKey does not compile until every key the
 * parser knows has its line here, so the two cannot drift apart.
 */
import type { KnownKey } from '../draft/front-matter-keys';
import { KNOWN_KEYS } from '../draft/front-matter-keys';
import { localized } from '../text';
import type { LocalizedText } from '../text';

export const KEY_DESCRIPTIONS: Readonly<Record<KnownKey, LocalizedText>> = {
  to: localized('Recipients: addresses separated by commas, or a YAML list.'),
  cc: localized('Copy recipients, visible to everyone.'),
  bcc: localized('Blind copy recipients: they get the message, no header names them.'),
  from: localized('The sender, overriding the profile\'s from.'),
  'reply-to': localized('Where replies should go.'),
  subject: localized('The subject line.'),
  attach: localized('Files to attach: one path or a list, relative to the draft.'),
  profile: localized('The SMTP profile to send with.'),
  'in-reply-to': localized('The Message-ID this message answers (threading).'),
  references: localized('Message-IDs of the thread (threading).'),
  headers: localized('Extra headers, as a map of name: value.'),
  sent: localized('Written after a send: when the message was sent (not a header).'),
  'message-id': localized('Written after a send: the Message-ID it was sent with (not a header).'),
  dir: localized('Direction of the HTML part: rtl, ltr or auto.'),
  merge: localized('Mail merge: the data file (CSV, JSON or YAML) whose rows fill the draft\'s placeholders.'),
};

/** Keys in the parser's order, with their lines. */
export function describedKeys(): ReadonlyArray<{ readonly key: KnownKey; readonly description: LocalizedText }> {
  return KNOWN_KEYS.map((key) => ({ key, description: KEY_DESCRIPTIONS[key] }));
}

/** Keys that hold address lists: completion offers recipients there, hover shows the header. */
export const ADDRESS_KEYS: readonly KnownKey[] = ['to', 'cc', 'bcc', 'from', 'reply-to'];
