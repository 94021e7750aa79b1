export * from './types';
export { parseDraft, MAX_DRAFT_BYTES } from './parse';
export { parseAddressList } from './address-list';
export type { AddressListError, LocatedAddress, ParsedAddressList } from './address-list';
export { ProblemCode } from './problem-codes';
export { sortProblems } from './problem-sink';
