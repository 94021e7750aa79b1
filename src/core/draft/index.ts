export * from './types';
export { parseDraft } from './parse';
export { parseAddressList } from './address-list';
export type { AddressListError, ParsedAddressList } from './address-list';
export type { AttachmentProbe } from './attachments';
export { ProblemCode } from './problem-codes';
