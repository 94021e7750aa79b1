/**
 * Which mailbox receives the copy: the one the server marks `\Sent` (RFC 6154 SPECIAL-USE),
 * else one of the names clients have long used, else "Sent", created. A folder the profile names
 * (`sentFolder`) wins over all of them and is created when missing.
 */

/** What the choice needs of one LIST entry (imapflow's ListResponse has these fields). */
export interface MailboxEntry {
  readonly path: string;
  readonly delimiter: string;
  readonly flags: ReadonlySet<string>;
  readonly specialUse?: string | undefined;
  /** `extension`: the server said so (SPECIAL-USE or XLIST); other sources are guesses. */
  readonly specialUseSource?: string | undefined;
}

export interface FolderChoice {
  readonly path: string;
  /** Not listed: CREATE it first (RFC 3501 6.3.3). */
  readonly create: boolean;
}

/** In order of preference; `INBOX.Sent` stands for INBOX, the server's delimiter, Sent. */
export const KNOWN_SENT_NAMES: readonly string[] = ['Sent', 'Sent Items', 'Sent Messages', 'INBOX.Sent', '[Gmail]/Sent Mail'];

export const CREATED_SENT_NAME = 'Sent';

function selectable(entry: MailboxEntry): boolean {
  return ![...entry.flags].some((flag) => /^\\(noselect|nonexistent)$/i.test(flag));
}

/** Names compare case-sensitively except INBOX (RFC 3501 5.1), with the server's own delimiter. */
function sameName(entry: MailboxEntry, name: string): boolean {
  const wanted = name.startsWith('INBOX.') ? `INBOX${entry.delimiter}${name.slice('INBOX.'.length)}` : name;
  const normalise = (path: string): string => path.replace(/^inbox(?=$|[^A-Za-z0-9])/i, 'INBOX');
  return normalise(entry.path) === normalise(wanted);
}

export function chooseSentFolder(entries: readonly MailboxEntry[], configured: string | undefined): FolderChoice {
  const usable = entries.filter(selectable);
  if (configured !== undefined) {
    return { path: configured, create: !usable.some((entry) => sameName(entry, configured)) };
  }
  const marked = usable.find((entry) => entry.specialUse === '\\Sent' && entry.specialUseSource === 'extension');
  if (marked !== undefined) return { path: marked.path, create: false };
  for (const name of KNOWN_SENT_NAMES) {
    const found = usable.find((entry) => sameName(entry, name));
    if (found !== undefined) return { path: found.path, create: false };
  }
  return { path: CREATED_SENT_NAME, create: true };
}
