import { isScalar, isSeq } from 'yaml';
import { parseAddressList } from './address-list';
import type { FieldContext } from './field-context';
import { deref, isEmptyValue, readScalar, reportControlCharacter, spanOf } from './field-context';
import { rangeWithin } from './located-text';
import { ProblemCode } from './problem-codes';
import type { Address } from './types';

export interface AddressFieldResult {
  readonly addresses: Address[];
  /** Some address in the field was reported invalid. */
  readonly hadErrors: boolean;
}

const EXPECTED = 'an address list string or a YAML list of addresses';

/**
 * Reads to/cc/bcc/from/reply-to: one address-list string, or a YAML list whose items are
 * address-list strings themselves. Each invalid address is reported where it is written.
 */
export function readAddressField(label: string, node: unknown, ctx: FieldContext): AddressFieldResult {
  const value = deref(node, ctx);
  const addresses: Address[] = [];
  let hadErrors = false;
  const readOne = (item: unknown): void => {
    const located = readScalar(item, label, EXPECTED, ctx);
    if (!located) {
      hadErrors = true;
      return;
    }
    if (reportControlCharacter(located, label, ctx)) {
      hadErrors = true;
      return;
    }
    const parsed = parseAddressList(located.text);
    addresses.push(...parsed.addresses);
    for (const error of parsed.errors) {
      hadErrors = true;
      const [start, end] = rangeWithin(located, error.offset, error.length);
      ctx.sink.error(ProblemCode.invalidAddress, `${label}: ${error.message}`, start, end);
    }
  };
  if (isEmptyValue(value)) return { addresses, hadErrors };
  if (isSeq(value)) {
    for (const item of value.items) {
      if (isEmptyValue(deref(item, ctx))) continue;
      readOne(item);
    }
  } else if (isScalar(value)) {
    readOne(node);
  } else {
    const [start, end] = spanOf(value, ctx);
    ctx.sink.error(ProblemCode.invalidType, `${label} must be ${EXPECTED}`, start, end);
    hadErrors = true;
  }
  return { addresses, hadErrors };
}
