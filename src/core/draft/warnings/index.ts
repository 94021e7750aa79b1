/**
 * The editor's warnings beyond the parser's: each rule is its own file and unit test; this
 * assembles them. The parser's problems (checkDraft) stay the one home of every rule that
 * decides whether a draft can be sent; these add what a careful reader would point out.
 */
import type { SmtpProfile } from '../../profiles';
import { sortProblems } from '../problem-sink';
import type { Draft, DraftFormat, DraftProblem } from '../types';
import { forgottenAttachment } from './forgotten-attachment';
import { fromRewritten } from './from-rewrite';
import { htmlClipped } from './html-size';
import { draftLines } from './lines';
import { localLinks } from './local-link';
import { tooManyRecipients } from './recipient-limit';
import type { KnownProfiles } from './unknown-profile';
import { unknownProfile } from './unknown-profile';

export { WarningCode } from './codes';
export type { KnownProfiles } from './unknown-profile';

export interface WarningInput {
  readonly text: string;
  readonly format: DraftFormat;
  /** The checked draft; undefined when the parser found errors (then only text rules run). */
  readonly draft: Draft | undefined;
  /** The profile the draft would be sent with, when one is known. */
  readonly profile: SmtpProfile | undefined;
  readonly profiles: KnownProfiles;
  /** The rendered HTML part's size in bytes, when measured. */
  readonly htmlBytes: number | undefined;
}

export function draftWarnings(input: WarningInput): DraftProblem[] {
  const lines = draftLines(input.text);
  if (lines === undefined) return [];
  const fromText = [...unknownProfile(lines, input.profiles), ...(input.format === 'plaintext' ? [] : localLinks(lines))];
  const draft = input.draft;
  const fromDraft = draft === undefined
    ? []
    : [
        ...forgottenAttachment(draft, lines),
        ...fromRewritten(draft, lines, input.profile),
        ...tooManyRecipients(draft, lines, input.profile),
        ...htmlClipped(input.htmlBytes),
      ];
  return sortProblems([...fromText, ...fromDraft]);
}
