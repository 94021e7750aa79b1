/**
 * What makes one message unique: its Date, Message-ID, multipart boundaries and the
 * Content-IDs of its inline images. Made once per message, by one of three factories, and
 * passed to composeDraft, which takes every such value from it and nowhere else. So a message
 * composed twice from the same identity is the same bytes, images included: the .eml saved
 * and the message sent agree, and two `SOURCE_DATE_EPOCH` runs agree.
 *
 * - randomIdentity: now, and random ids (an ordinary send).
 * - reproducibleIdentity: the reproducible-builds convention SOURCE_DATE_EPOCH; ids derived
 *   from the draft text and that instant.
 * - identityWith: values a caller fixes (the extension's `compose` argument); the rest random.
 */
import { ConfigError } from './errors';
import { sha256Hex } from './guards';
import { randomBoundary } from './mime/boundary';
import { FALLBACK_MESSAGE_ID_DOMAIN, messageIdDomain } from './mime/grammar';
import { randomHex } from './random-hex';
import { localized } from './text';

export interface MessageIdentity {
  /** The instant in the Date header. */
  readonly date: Date;
  /**
   * The sender's offset from UTC in minutes (east positive) written as the Date header's zone
   * (RFC 5322 3.3: `+0800`); the factories take it from the local time zone of `date`.
   */
  readonly zoneOffset: number;
  /** Message-ID with angle brackets (RFC 5322 3.6.4). */
  readonly messageId: string;
  /** The boundary of the multipart at `depth` (0 is the outermost); the same depth, the same boundary. */
  boundary(depth: number): string;
  /** Content-ID without angle brackets of the `index`-th inline image (1-based; RFC 2392). */
  contentId(index: number): string;
}

/** Values a caller may fix; anything left out is made fresh. */
export interface IdentityOverrides {
  readonly date?: Date | undefined;
  readonly messageId?: string | undefined;
  readonly boundary?: ((depth: number) => string) | undefined;
}

/** Minutes east of UTC at `date` where this process runs (TZ). */
export function localZoneOffset(date: Date): number {
  // `-0` would print as `-0000`, which RFC 5322 3.3 reserves for "local time unknown".
  return -date.getTimezoneOffset() || 0;
}

/** Each depth asks once; later calls give the same answer, so one identity composes the same bytes twice. */
function memoised(make: (depth: number) => string): (depth: number) => string {
  const made = new Map<number, string>();
  return (depth) => {
    let value = made.get(depth);
    if (value === undefined) {
      value = make(depth);
      made.set(depth, value);
    }
    return value;
  };
}

/**
 * Content-IDs follow from the Message-ID: unique wherever it is unique (RFC 2392 asks for
 * world-unique ids), fixed wherever it is fixed, and never made by the Markdown renderer.
 */
function contentIdsFor(messageId: string): (index: number) => string {
  let suffix: string | undefined;
  // Worked out on first use: most messages have no inline image, and a merge makes thousands.
  return (index) => {
    suffix ??= `${sha256Hex(`content-id\0${messageId}`).slice(0, 16)}@${/@([A-Za-z0-9.-]+)>$/.exec(messageId)?.[1] ?? FALLBACK_MESSAGE_ID_DOMAIN}`;
    return `image${index}.${suffix}`;
  };
}

function build(date: Date, messageId: string, boundary: (depth: number) => string): MessageIdentity {
  return { date, zoneOffset: localZoneOffset(date), messageId, boundary: memoised(boundary), contentId: contentIdsFor(messageId) };
}

function randomMessageId(senderAddress: string, date: Date): string {
  return `<${date.getTime().toString(36)}.${randomHex(12)}@${messageIdDomain(senderAddress)}>`;
}

/** A fresh identity for an ordinary send: the current time, random ids. */
export function randomIdentity(senderAddress: string, now: Date = new Date()): MessageIdentity {
  return build(now, randomMessageId(senderAddress, now), () => randomBoundary());
}

/** Date, Message-ID, boundaries and Content-IDs fixed by `seed` (the draft text) and `date`. */
export function reproducibleIdentity(seed: string, date: Date, senderAddress: string): MessageIdentity {
  const digest = (label: string): string => sha256Hex(`${label}\0${date.getTime()}\0${seed}`);
  const messageId = `<${digest('message-id').slice(0, 32)}@${messageIdDomain(senderAddress)}>`;
  // `=_sae_` as in mime/boundary.ts: a prefix neither quoted-printable nor base64 can produce.
  return build(date, messageId, (depth) => `=_sae_${digest(`boundary-${depth}`).slice(0, 30)}`);
}

/** The caller's fixed values (e.g. the extension's `compose` argument); the rest as randomIdentity. */
export function identityWith(overrides: IdentityOverrides, senderAddress: string, now: Date = new Date()): MessageIdentity {
  const date = overrides.date ?? now;
  return build(date, overrides.messageId ?? randomMessageId(senderAddress, date), overrides.boundary ?? (() => randomBoundary()));
}

/** Parses SOURCE_DATE_EPOCH (whole seconds since 1970); undefined when unset, a ConfigError when malformed. */
export function sourceDateEpoch(value: string | undefined): Date | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d{1,12}$/.test(value)) throw new ConfigError(localized('SOURCE_DATE_EPOCH must be whole seconds since 1970, not "{0}".', value));
  return new Date(Number(value) * 1000);
}
