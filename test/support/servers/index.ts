/**
 * Real mail servers for tests: aiosmtpd (Python) as an exact SMTP sink without PIPELINING, and a
 * private Postfix + Dovecot instance with submission, smtps, Maildir delivery and IMAP.
 * See each module for details; README-level usage lives in the interop tests.
 */
export { startAiosmtpd } from './aiosmtpd';
export type { AiosmtpdOptions, AiosmtpdServer, CapturedMessage } from './aiosmtpd';
export { startPostfix } from './postfix';
export type { PostfixInstance, PostfixOptions, PostfixUser, ReadOptions } from './postfix';
export { createTestCertificate } from './certificate';
export type { TestCertificate } from './certificate';
export { MissingPrerequisiteError, requireAiosmtpd, requirePostfixAndDovecot } from './prerequisites';
export { startOrSkip } from './mocha-support';
export { findSecrets, secretForms } from './leak-check';
export { freePort, freePorts } from './ports';
export { DELIVERY_TRACE_HEADERS, lfToCrlf, stripDeliveryTraceHeaders } from './maildir';
export { SessionRecorder } from './session-recorder';
