/** The SMTP client: public surface. */
export { SmtpClient } from './client';
export * from './errors';
export type * from './types';
export { DEFAULT_TIMEOUTS } from './timeouts';
export { DataEncoder, createDotStuffer } from './data-encoder';
export { ReplyParser, DEFAULT_REPLY_LIMITS } from './reply-parser';
export type { ParsedReply, ReplyLimits } from './reply-parser';
export { defaultClientName } from './client-name';
export { isLoopbackHost } from './loopback';
export { formatReply } from './reply-text';
