/**
 * `[report](report.pdf)` works in a Markdown preview but not in an email: the recipient's
 * client has no such file, so the link goes nowhere. Images are embedded (../../markdown/
 * images.ts); other local files must be attached instead — the quick fix moves them to attach:.
 */
import { localized } from '../../text';
import type { DraftProblem } from '../types';
import { WarningCode } from './codes';
import type { DraftLines } from './lines';
import { proseLines, warningAt } from './lines';

/** An inline link, not an image (`![`): label, then a destination with an optional title. */
const LINK = /(?<![!\\])\[([^\]\n]*)\]\(\s*(<[^>\n]*>|[^\s()]+)(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g;

export interface LocalLink {
  readonly line: number;
  readonly start: number;
  readonly end: number;
  readonly label: string;
  /** The destination as a path: angle brackets removed, percent-escapes decoded. */
  readonly target: string;
}

/** A scheme (`https:`, `mailto:`), `//host` or `#anchor` is not a local file. */
function isLocalTarget(target: string): boolean {
  return target !== '' && !/^[a-z][a-z0-9+.-]*:/i.test(target) && !target.startsWith('//') && !target.startsWith('#');
}

function decodeTarget(written: string): string {
  const bare = written.startsWith('<') ? written.slice(1, -1) : written;
  const path = bare.replace(/[?#].*$/, '');
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

export function findLocalLinks(lines: DraftLines): LocalLink[] {
  const found: LocalLink[] = [];
  for (const { line, text } of proseLines(lines)) {
    for (const match of text.matchAll(LINK)) {
      const [whole, label = '', destination = ''] = match;
      const target = decodeTarget(destination);
      if (!isLocalTarget(target)) continue;
      found.push({ line, start: match.index, end: match.index + whole.length, label, target });
    }
  }
  return found;
}

export function localLinks(lines: DraftLines): DraftProblem[] {
  return findLocalLinks(lines).map((link) =>
    warningAt(
      WarningCode.localLink,
      localized('the link to the local file {0} will be broken in the email: attach the file instead', link.target),
      link.line,
      link.start,
      link.end,
    ),
  );
}
