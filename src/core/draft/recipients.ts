/**
 * Checks across to, cc and bcc: at least one recipient, and each mailbox once. Two spellings
 * are one mailbox when the local parts are equal as written and the domains equal ignoring
 * case (RFC 5321 2.4: only the receiving host may interpret the local part; domains are
 * case-insensitive). The first spelling wins, in the order to, cc, bcc: a mailbox in both to
 * and bcc stays visible in To and gets one RCPT, so the blind copy is dropped with a warning.
 */
import { mailboxKey } from '../mime/grammar';
import { localized } from '../text';
import type { FieldAddress } from './address-fields';
import type { FieldReaderEnv, ReadFields } from './field-readers';
import { ProblemCode } from './problem-codes';
import type { Address } from './types';

export interface Recipients {
  readonly to: Address[];
  readonly cc: Address[];
  readonly bcc: Address[];
}

export function checkRecipients(fields: Pick<ReadFields, 'to' | 'cc' | 'bcc'>, { ctx, keys, fenceEnd }: FieldReaderEnv): Recipients {
  const { to, cc, bcc } = fields;
  if (to.addresses.length + cc.addresses.length + bcc.addresses.length === 0 && !(to.hadErrors || cc.hadErrors || bcc.hadErrors)) {
    // An invalid address already explains an empty list; a second error would be noise.
    const toKey = keys.get('to');
    ctx.sink.error(
      ProblemCode.noRecipients,
      localized('no recipients: put at least one address in to, cc or bcc'),
      toKey ? toKey.keyStart : 0,
      toKey ? toKey.keyEnd : fenceEnd,
    );
  }
  const seen = new Map<string, { readonly label: string; readonly address: string }>();
  const keep = (label: string, entries: readonly FieldAddress[], blind: boolean): Address[] => {
    const kept: Address[] = [];
    for (const entry of entries) {
      const key = mailboxKey(entry.address.address);
      const earlier = seen.get(key);
      if (earlier === undefined) {
        seen.set(key, { label, address: entry.address.address });
        kept.push(entry.address);
        continue;
      }
      const text = blind && earlier.label !== label
        ? localized('{0}: {1} is also in {2} as {3}: it stays visible there and is not sent as a blind copy', label, entry.address.address, earlier.label, earlier.address)
        : localized('{0}: {1} is already a recipient in {2} as {3}: it is sent once', label, entry.address.address, earlier.label, earlier.address);
      ctx.sink.warning(ProblemCode.duplicateRecipient, text, entry.start, entry.end);
    }
    return kept;
  };
  const label = (key: 'to' | 'cc' | 'bcc'): string => keys.get(key)?.written ?? key;
  return {
    to: keep(label('to'), to.addresses, false),
    cc: keep(label('cc'), cc.addresses, false),
    bcc: keep(label('bcc'), bcc.addresses, true),
  };
}
