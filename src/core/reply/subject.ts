/**
 * Reply and forward subjects: one "Re: " (or "Fwd: ") in front, never "Re: Re: Re:". RFC 5322
 * 3.6.5 suggests "Re: " for replies; clients in other languages write their own prefix, which
 * counts as the same thing: "回复:"/"答复:" (Chinese Outlook, Foxmail, QQ, full- or half-width
 * colon), "AW:" (German), "SV:" (Nordic), "Antw:" (Dutch), and "Re[2]:"-style counters.
 */

/** Reply prefixes, each with an optional `[n]` or `(n)` counter and either colon. */
const REPLY_PREFIX = /^[ \t]*(?:re|aw|sv|antw|回复|答复)(?:\[\d+\]|\(\d+\))?[ \t]*[:：][ \t]*/iu;
/** Forward prefixes ("Fwd:", "Fw:", "WG:" German, "转发:" Chinese). */
const FORWARD_PREFIX = /^[ \t]*(?:fwd?|wg|转发)[ \t]*[:：][ \t]*/iu;

function strip(subject: string, prefix: RegExp): string {
  let rest = subject;
  for (let previous = ''; previous !== rest; ) {
    previous = rest;
    rest = rest.replace(prefix, '');
  }
  return rest.trim();
}

/** "Re: " and the subject without any reply prefixes it already had. */
export function replySubject(subject: string): string {
  return `Re: ${strip(subject, REPLY_PREFIX)}`;
}

/** "Fwd: " and the subject without forward prefixes it already had. */
export function forwardSubject(subject: string): string {
  return `Fwd: ${strip(subject, FORWARD_PREFIX)}`;
}
