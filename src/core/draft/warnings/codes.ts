/**
 * Codes of the problems the editor adds to the parser's (../problem-codes.ts). Stable: quick
 * fixes and tests match on them. Each rule lives in its own file beside this one.
 */
export const WarningCode = {
  /** The body says "attached" (in one of several languages) but nothing is attached. */
  forgottenAttachment: 'forgotten-attachment',
  /** `from:` differs from the login on a provider that rewrites From (Gmail). */
  fromRewritten: 'from-rewritten',
  /** More recipients than the provider accepts in one message. */
  tooManyRecipients: 'too-many-recipients',
  /** The HTML part is larger than Gmail shows before clipping it. */
  htmlClipped: 'html-clipped',
  /** A Markdown link to a local file: the recipient gets a link that goes nowhere. */
  localLink: 'local-link',
  /** `profile:` names no configured SMTP profile. */
  unknownProfile: 'unknown-profile',
} as const;

export type WarningCode = (typeof WarningCode)[keyof typeof WarningCode];
