/**
 * Message-IDs (RFC 5322 3.6.4): `<id-left@id-right>`. The grammar lives in grammar.ts, shared
 * with the draft checker; the identity (core/identity.ts) makes new ones.
 */
import { ComposeError } from './errors';
import { messageIdFault, messageIdFaultText } from './grammar';

/** Throws unless `id` is a msg-id the composer may write in header `name`. */
export function assertMessageId(name: string, id: string): void {
  const fault = messageIdFault(id);
  if (fault) {
    throw new ComposeError('invalid-header', messageIdFaultText(name, id, fault));
  }
}
