/** Reads the EHLO reply (RFC 5321 4.1.1.1): first line is the server's domain, each further line one extension. */
import type { SmtpReply } from './types';

export interface EhloResult {
  readonly name: string;
  readonly extensions: ReadonlyMap<string, string>;
}

export function parseEhlo(reply: SmtpReply): EhloResult {
  const [first = '', ...rest] = reply.lines;
  const extensions = new Map<string, string>();
  for (const line of rest) {
    const trimmed = line.trim();
    if (trimmed === '') continue;
    const space = trimmed.indexOf(' ');
    let keyword = (space === -1 ? trimmed : trimmed.slice(0, space)).toUpperCase();
    let params = space === -1 ? '' : trimmed.slice(space + 1).trim();
    // Old Microsoft servers also announce "AUTH=LOGIN PLAIN"; fold it into AUTH.
    if (keyword.startsWith('AUTH=')) {
      params = `${keyword.slice(5)} ${params}`.trim();
      keyword = 'AUTH';
    }
    const known = extensions.get(keyword);
    extensions.set(keyword, known === undefined || known === '' ? params : params === '' ? known : `${known} ${params}`);
  }
  return { name: first.trim().split(/\s+/)[0] ?? '', extensions };
}
