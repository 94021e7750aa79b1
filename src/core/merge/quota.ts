/**
 * Provider sending limits. A quota reply means every further message of the run would be
 * refused too, so the merge stops with a resumable journal instead of failing row after row:
 * RFC 3463 `5.4.5` (Gmail: "Daily user sending limit exceeded"), and `4.7.0`/`5.7.0` when
 * the text speaks of a daily limit or quota (Outlook, 163 and QQ word it so).
 */
import type { SmtpReply } from '../smtp/types';
import type { AnySmtpError } from '../smtp/errors';

export function isQuotaReply(reply: SmtpReply): boolean {
  const text = reply.lines.join(' ');
  if (reply.enhancedCode === '5.4.5' || /\b5\.4\.5\b/.test(text)) return true;
  const limitWords = /\b(daily|quota|sending limit|rate limit|too many messages)\b/i.test(text);
  return limitWords && (reply.enhancedCode === '4.7.0' || reply.enhancedCode === '5.7.0' || reply.code === 421 || reply.code === 450 || reply.code === 451 || reply.code === 452 || reply.code === 550 || reply.code === 554);
}

/** The reply of an SMTP failure, for quota checks and the journal: the first refused recipient's for RCPT. */
export function replyOf(error: AnySmtpError): SmtpReply | undefined {
  switch (error.kind) {
    case 'reply':
      return error.reply;
    case 'recipients':
      return error.refused[0]?.reply;
    case 'auth':
      return error.reply;
    default:
      return undefined;
  }
}
