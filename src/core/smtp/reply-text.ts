/** One-line rendering of a reply for error messages: `550 5.1.1 No such user`. */
import type { SmtpReply } from './types';

export function formatReply(reply: SmtpReply): string {
  const enhanced = reply.enhancedCode === undefined ? '' : ` ${reply.enhancedCode}`;
  const text = reply.lines.filter((line) => line.length > 0).join(' ');
  return `${reply.code}${enhanced}${text.length > 0 ? ` ${text}` : ''}`;
}
