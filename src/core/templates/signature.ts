/**
 * A profile's signature: Markdown appended to a new draft after the separator line "-- "
 * (dash, dash, space — RFC 3676 4.3), which mail clients recognise to fold or strip the
 * signature when replying.
 */
import type { LocalizedText } from '../text';
import { localized } from '../text';

export const SIGNATURE_SEPARATOR = '-- ';

/** The profile field's reader (see profiles.ts): a string, line breaks allowed; empty counts as none. */
export function readSignature(raw: Record<string, unknown>, name: string, errors: LocalizedText[]): string | undefined {
  const value = raw['signature'];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') {
    errors.push(localized('profile "{0}": "{1}" must be a string', name, 'signature'));
    return undefined;
  }
  return value;
}

/**
 * `text` with the signature at its end. A blank line goes before the separator: directly under
 * a paragraph, Markdown would read a line of dashes as a heading underline. A signature that
 * already starts with its own separator line keeps it instead of getting a second one.
 */
export function appendSignature(text: string, signature: string | undefined): string {
  const body = signature?.replace(/\r\n?/g, '\n').replace(/\s+$/, '');
  if (body === undefined || body === '') return text;
  const separated = /^-- ?\n/.test(body) ? body.replace(/^-- ?\n/, `${SIGNATURE_SEPARATOR}\n`) : `${SIGNATURE_SEPARATOR}\n${body}`;
  const before = text.replace(/\s+$/, '');
  // A template whose body is empty keeps an empty line to write on, above the blank line.
  const emptyBody = /(?:^|\n)(?:---|\.\.\.)$/.test(before);
  return `${before}\n${emptyBody ? '\n' : ''}\n${separated}\n`;
}
