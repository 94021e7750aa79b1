import type { Readable } from 'node:stream';
import type { Address, Draft } from '../draft/types';
import type { MessageIdentity } from '../identity';
import type { InlineImage } from '../markdown/types';
import type { AttachmentCache } from './attachment-cache';

/** The HTML alternative of a Markdown draft, its images referred to as `cid:` + identity.contentId(index). */
export interface HtmlBody {
  readonly html: string;
  readonly inlineImages: readonly InlineImage[];
}

export interface ComposeOptions {
  readonly draft: Draft;
  /** The sender: the draft's `from:` or else the profile's. */
  readonly from: Address;
  /** Date, Message-ID, boundaries and Content-IDs: every value that makes the message unique. */
  readonly identity: MessageIdentity;
  /** For Markdown drafts (composeDraft renders it with the same identity). */
  readonly html: HtmlBody | undefined;
  /** The server offers 8BITMIME (RFC 6152): mostly non-ASCII text may go as 8bit. */
  readonly eightBitMime: boolean;
  /** Attachment parts shared with other messages (attachment-cache.ts: a merge's constant `attach:`). */
  readonly attachmentCache?: AttachmentCache | undefined;
}

export interface MessageSummary {
  readonly to: readonly string[];
  readonly cc: readonly string[];
  readonly bcc: readonly string[];
  readonly attachments: ReadonlyArray<{ readonly filename: string; readonly size: number }>;
  readonly attachmentBytes: number;
}

export interface ComposedMessage {
  readonly messageId: string;
  /** Envelope for SMTP: every To, Cc and Bcc address once (IDNA A-label domains). */
  readonly envelope: {
    readonly from: string;
    readonly to: readonly string[];
    /** A non-ASCII local part needs SMTPUTF8 (RFC 6531). */
    readonly smtpUtf8: boolean;
    /** Some body part is Content-Transfer-Encoding: 8bit (RFC 6152). */
    readonly eightBit: boolean;
  };
  /** Exact length in bytes of what `stream()` yields, known without reading attachments. */
  readonly size: number;
  /** A fresh stream of the whole message (CRLF line endings), attachments read from disk as it goes. */
  stream(): Readable;
  /** The whole message, when no part of it is still to be read from disk; else undefined (use `stream()`). */
  inMemory(): Buffer | undefined;
  readonly summary: MessageSummary;
}
