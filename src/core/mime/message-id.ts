/**
 * Message-IDs (RFC 5322 3.6.4): `<id-left@id-right>`, globally unique. The right side is the
 * sender's domain, as RFC 5322 suggests, so the id says who made it.
 */
import { randomBytes } from 'node:crypto';
import { ComposeError } from './errors';

/** RFC 5322 3.6.4 msg-id with dot-atom-text on both sides (no obsolete or literal forms). */
const MSG_ID = /^<[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~.]+@[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~.[\]]+>$/;

export function generateMessageId(domain: string, now: Date): string {
  const right = /^[A-Za-z0-9.-]+$/.test(domain) ? domain : 'send-as-email.invalid';
  return `<${now.getTime().toString(36)}.${randomBytes(12).toString('hex')}@${right}>`;
}

export function assertMessageId(what: string, id: string): void {
  if (!MSG_ID.test(id)) {
    throw new ComposeError('invalid-header', `${what} "${id}" is not a message id like <id@domain> (RFC 5322 3.6.4).`);
  }
}
