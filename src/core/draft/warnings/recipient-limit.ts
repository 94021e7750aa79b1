/** More recipients than the provider takes in one message: the server refuses the send. */
import type { SmtpProfile } from '../../profiles';
import { localized } from '../../text';
import type { Draft, DraftProblem } from '../types';
import { WarningCode } from './codes';
import type { DraftLines } from './lines';
import { warningAt } from './lines';
import { RECIPIENTS_PER_MESSAGE } from './provider-limits';

export function tooManyRecipients(draft: Draft, lines: DraftLines, profile: Pick<SmtpProfile, 'name' | 'preset'> | undefined): DraftProblem[] {
  const limit = profile?.preset === undefined ? undefined : RECIPIENTS_PER_MESSAGE[profile.preset];
  const count = draft.to.length + draft.cc.length + draft.bcc.length;
  if (profile === undefined || limit === undefined || count <= limit) return [];
  const at = lines.keys.find((key) => key.name === 'to' || key.name === 'cc' || key.name === 'bcc');
  if (at === undefined) return [];
  return [
    warningAt(
      WarningCode.tooManyRecipients,
      localized('{0} recipients: profile "{1}" ({2}) accepts at most {3} per message; split the list or use a mailing list', count, profile.name, profile.preset ?? '', limit),
      at.line,
      at.keyStart,
      at.keyEnd,
    ),
  ];
}
