import assert from 'node:assert/strict';
import { parseDraft } from '../../../../src/core/draft';
import type { Draft } from '../../../../src/core/draft';
import type { DraftLines } from '../../../../src/core/draft/warnings/lines';
import { draftLines } from '../../../../src/core/draft/warnings/lines';
import type { SmtpProfile } from '../../../../src/core/profiles';
import { OPTIONS } from '../helpers';

/** The draft and its lines, for a text that must parse without errors. */
export async function parsed(lines: readonly string[]): Promise<{ draft: Draft; lines: DraftLines; text: string }> {
  const text = lines.join('\n');
  const result = await parseDraft(text, OPTIONS);
  assert.ok(result.draft, JSON.stringify(result.problems));
  const split = draftLines(text);
  assert.ok(split);
  return { draft: result.draft, lines: split, text };
}

export function linesOf(lines: readonly string[]): DraftLines {
  const split = draftLines(lines.join('\n'));
  assert.ok(split);
  return split;
}

export function profile(fields: Partial<SmtpProfile> & Pick<SmtpProfile, 'name'>): SmtpProfile {
  return { host: 'smtp.example.com', port: 587, security: 'starttls', auth: 'auto', tls: { allowSelfSigned: false }, allowPlaintextAuth: false, ...fields };
}
