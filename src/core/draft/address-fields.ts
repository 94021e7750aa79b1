import { localized } from '../text';
import { parseAddressList } from './address-list';
import type { FieldContext } from './field-context';
import { deref, isEmptyValue, readScalar, reportControlCharacter, spanOf } from './field-context';
import { rangeWithin } from './located-text';
import { ProblemCode } from './problem-codes';
import type { Address } from './types';

/** One mailbox read from a field, with the draft offsets where it is written. */
export interface FieldAddress {
  readonly address: Address;
  readonly start: number;
  readonly end: number;
}

export interface AddressFieldResult {
  readonly addresses: FieldAddress[];
  /** Some address in the field was reported invalid. */
  readonly hadErrors: boolean;
}

/**
 * Reads to/cc/bcc/from/reply-to: one address-list string, or a YAML list whose items are
 * address-list strings themselves. Each invalid address is reported where it is written.
 */
export function readAddressField(label: string, node: unknown, ctx: FieldContext): AddressFieldResult {
  const value = deref(node, ctx);
  const addresses: FieldAddress[] = [];
  let hadErrors = false;
  const wrongType = localized('{0} must be an address list string or a YAML list of addresses', label);
  const readOne = (item: unknown): void => {
    const located = readScalar(item, ctx, wrongType);
    if (!located || reportControlCharacter(located, label, ctx)) {
      hadErrors = true;
      return;
    }
    const parsed = parseAddressList(located.text, label);
    for (const entry of parsed.located) {
      const [start, end] = rangeWithin(located, entry.offset, entry.length);
      addresses.push({ address: entry.address, start, end });
    }
    for (const error of parsed.errors) {
      hadErrors = true;
      const [start, end] = rangeWithin(located, error.offset, error.length);
      ctx.sink.error(ProblemCode.invalidAddress, error.text, start, end);
    }
    for (const warning of parsed.warnings) {
      const [start, end] = rangeWithin(located, warning.offset, warning.length);
      ctx.sink.warning(ProblemCode.formatCharacter, warning.text, start, end);
    }
  };
  if (isEmptyValue(value, ctx)) return { addresses, hadErrors };
  if (ctx.Y.isSeq(value)) {
    for (const item of value.items) {
      if (isEmptyValue(deref(item, ctx), ctx)) continue;
      readOne(item);
    }
  } else if (ctx.Y.isScalar(value)) {
    readOne(node);
  } else {
    const [start, end] = spanOf(value, ctx);
    ctx.sink.error(ProblemCode.invalidType, wrongType, start, end);
    hadErrors = true;
  }
  return { addresses, hadErrors };
}
