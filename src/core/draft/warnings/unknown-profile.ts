/**
 * `profile:` naming no configured profile: sending would stop at "There is no SMTP profile
 * named …". Found while typing, with a quick fix per configured profile. A name that exists but
 * is invalid, or is hidden because the workspace is untrusted, is explained when sending.
 */
import { localized } from '../../text';
import type { DraftProblem } from '../types';
import { WarningCode } from './codes';
import type { DraftLines } from './lines';
import { keyLine, warningAt } from './lines';

export interface KnownProfiles {
  /** Usable profiles by name. */
  readonly names: readonly string[];
  /** Names that exist but cannot be used now (invalid, or hidden by workspace trust). */
  readonly unusable: readonly string[];
}

/** The profile name as written on the `profile:` line, quotes removed. */
export function writtenProfile(lines: DraftLines): string | undefined {
  const value = keyLine(lines, 'profile')?.value;
  if (value === undefined || value === '') return undefined;
  const quoted = /^(["'])(.*)\1$/.exec(value);
  return quoted ? quoted[2] : value;
}

export function unknownProfile(lines: DraftLines, known: KnownProfiles): DraftProblem[] {
  const name = writtenProfile(lines);
  const at = keyLine(lines, 'profile');
  if (name === undefined || at === undefined || known.names.includes(name) || known.unusable.includes(name)) return [];
  const text = known.names.length === 0
    ? localized('there is no SMTP profile named "{0}": no profile is set up yet (setting sendAsEmail.profiles)', name)
    : localized('there is no SMTP profile named "{0}"; configured: {1}', name, known.names.join(', '));
  return [{ ...warningAt(WarningCode.unknownProfile, text, at.line, at.valueStart, at.valueEnd), severity: 'error' }];
}
