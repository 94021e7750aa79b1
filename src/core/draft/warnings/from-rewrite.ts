/** `from:` that Gmail will replace with the login: the recipient would see another sender. */
import type { SmtpProfile } from '../../profiles';
import { localized } from '../../text';
import type { Draft, DraftProblem } from '../types';
import { WarningCode } from './codes';
import type { DraftLines } from './lines';
import { keyLine, warningAt } from './lines';
import { rewritesFrom } from './provider-limits';

export type FromProfile = Pick<SmtpProfile, 'name' | 'preset' | 'host' | 'username'>;

export function fromRewritten(draft: Draft, lines: DraftLines, profile: FromProfile | undefined): DraftProblem[] {
  const login = profile?.username;
  const from = draft.from;
  if (profile === undefined || login === undefined || from === undefined || !rewritesFrom(profile)) return [];
  // Addresses compare case-insensitively in practice (the domain always, RFC 5321 2.4; Gmail also the local part).
  if (from.address.toLowerCase() === login.toLowerCase()) return [];
  const at = keyLine(lines, 'from');
  if (at === undefined) return [];
  return [
    warningAt(
      WarningCode.fromRewritten,
      localized('Gmail (profile "{0}") sends as {1}: it replaces this From with the login unless {2} is a verified "Send mail as" address of that account', profile.name, login, from.address),
      at.line,
      at.valueStart,
      at.valueEnd,
    ),
  ];
}
