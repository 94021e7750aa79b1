/**
 * Why a copy could not be filed in the Sent folder. It is not an AppError: by the time it can
 * happen the message has been sent (after the SMTP 250), so it never decides an exit status;
 * front ends show it as a warning and keep the message for a retry.
 */
import { localized, renderText } from '../text';
import type { LocalizedText } from '../text';
import type { SaveSentStage } from './types';

export class SaveSentError extends Error {
  readonly text: LocalizedText;

  constructor(
    readonly stage: SaveSentStage,
    /** What the server said (its tagged NO/BAD text), credentials already removed; or Node's error text. */
    readonly reply: string,
    cause?: unknown,
  ) {
    const text = localized('The copy to the Sent folder failed (stage {0}): {1}', stage, reply);
    super(renderText(text), cause === undefined ? undefined : { cause });
    this.text = text;
  }

  override get name(): string {
    return 'SaveSentError';
  }
}
