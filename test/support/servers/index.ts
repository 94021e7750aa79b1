/**
 * Real mail servers for tests: aiosmtpd (Python) as an exact SMTP sink without PIPELINING, a
 * private Postfix + Dovecot instance with submission, smtps, Maildir delivery and IMAP, and
 * Exim 4.96 with and without PIPELINING. All start through one harness (daemon.ts).
 * See each module for details; README-level usage lives in the interop tests.
 */
export { startAiosmtpd } from './aiosmtpd';
export type { AiosmtpdOptions, AiosmtpdServer, CapturedMessage } from './aiosmtpd';
export { aliceSubmissionProfile, startPostfix } from './postfix';
export type { PostfixInstance, PostfixOptions, PostfixUser, ReadOptions } from './postfix';
export { startDovecotImap, readImapAccount } from './dovecot-imap';
export type { DovecotAccount, DovecotImap, ImapReadTarget, ImapUser, MailboxInfo, StoredMessage } from './dovecot-imap';
export { startExim } from './exim';
export type { EximInstance, EximOptions, EximSession } from './exim';
export { createTestCertificate, makeCertificate } from './certificate';
export type { TestCertificate } from './certificate';
export { MissingPrerequisiteError, requireAiosmtpd, requireExim, requirePostfixAndDovecot } from './prerequisites';
export { startOrSkip, useServer } from './mocha-support';
export { findSecrets, secretForms } from './leak-check';
export { freePort, freePorts } from './ports';
export { DELIVERY_TRACE_HEADERS, lfToCrlf, stripDeliveryTraceHeaders } from './maildir';
export { SessionRecorder } from './session-recorder';
export { DOT_LINES, assertAuthRefused, realServerHarness, stageTimeouts, testMessage } from './real-server-cases';
export type { Credentials, RealClientOptions, RealServerHarness, TestMessageFields } from './real-server-cases';
