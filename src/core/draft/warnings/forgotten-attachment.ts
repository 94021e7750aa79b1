/**
 * "See the attached report" with nothing attached is the classic mail slip (aerc and
 * Thunderbird warn about it too). The words are looked for in the prose only: not in code, not
 * in quoted lines (`> …`, the message being replied to), not in the front matter.
 */
import { localized } from '../../text';
import type { Draft, DraftProblem } from '../types';
import { WarningCode } from './codes';
import type { DraftLines } from './lines';
import { proseLines, warningAt } from './lines';

/**
 * English, German, French, Spanish, Chinese and Japanese words that announce an attachment.
 * Letters around a match must not be letters (Unicode-aware), so "attachés" or "Anhänger" do
 * not count; Chinese and Japanese have no spaces between words, so they match anywhere.
 */
const ANNOUNCES_ATTACHMENT = new RegExp(
  [
    '(?<!\\p{L})(?:attached|attachments?|attaching',
    'anhang|anhänge|angehängt',
    'pièces? jointes?|ci-joint(?:e|s|es)?',
    'adjunt(?:o|a|os|as|ado|amos))(?!\\p{L})',
    '附件|添付',
  ].join('|'),
  'iu',
);

export function forgottenAttachment(draft: Draft, lines: DraftLines): DraftProblem[] {
  if (draft.attachments.length > 0) return [];
  for (const { line, text } of proseLines(lines)) {
    if (/^\s*>/.test(text)) continue;
    const match = ANNOUNCES_ATTACHMENT.exec(text);
    if (match === null) continue;
    return [
      warningAt(
        WarningCode.forgottenAttachment,
        localized('the message says "{0}" but nothing is attached: add the file under attach:', match[0]),
        line,
        match.index,
        match.index + match[0].length,
      ),
    ];
  }
  return [];
}
