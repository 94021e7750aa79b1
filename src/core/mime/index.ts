export { composeMessage } from './compose';
export { ComposeError } from './errors';
export type { ComposeErrorReason } from './errors';
export type { ComposedMessage, ComposeOptions, MessageSummary } from './types';
