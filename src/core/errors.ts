/**
 * The one application error family. Every failure a user can meet is an AppError with a
 * `kind`, so `exitCodeFor` and `explainError` (explain.ts) switch over every case and the
 * compiler checks that none is forgotten. The SMTP client's errors (smtp/errors.ts) are members
 * of the family too. Messages are LocalizedText: translated by the front end, never by core.
 *
 * Stage: SMTP errors carry a `stage`; it is added to the sentence once, by the formatter
 * (explain.ts), never typed into a message.
 */
import type { LocalizedText } from './text';
import { renderText } from './text';

/** Input problems (exit 2 in the CLI): the user must change something before trying again. */
export type InputErrorKind = 'draft' | 'config' | 'usage' | 'setup';

export abstract class AppError extends Error {
  abstract readonly kind: string;
  /** The sentence, untranslated; `message` is its English rendering. */
  readonly text: LocalizedText;

  protected constructor(text: LocalizedText, cause?: unknown) {
    super(renderText(text), cause === undefined ? undefined : { cause });
    this.text = text;
  }

  override get name(): string {
    return this.constructor.name;
  }
}

/** The draft has error-severity problems (each with line and column); nothing was sent. */
export class DraftError extends AppError {
  readonly kind = 'draft' as const;
  constructor(text: LocalizedText, readonly problems: readonly unknown[] = []) {
    super(text);
  }
}

/** A configuration file or setting is unusable (bad JSON, no such profile, bad profile entry). */
export class ConfigError extends AppError {
  readonly kind = 'config' as const;
  constructor(text: LocalizedText, cause?: unknown) {
    super(text, cause);
  }
}

/** The command line was used wrongly (unknown option, missing argument). */
export class UsageError extends AppError {
  readonly kind = 'usage' as const;
  constructor(text: LocalizedText) {
    super(text);
  }
}

export type SetupReason = 'no-sender' | 'invalid-sender' | 'ca-unreadable' | 'no-password' | 'untrusted';

/** The setup around a draft is incomplete: no sender, an unreadable CA file, no password. */
export class SetupError extends AppError {
  readonly kind = 'setup' as const;
  constructor(readonly reason: SetupReason, text: LocalizedText, cause?: unknown) {
    super(text, cause);
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}
