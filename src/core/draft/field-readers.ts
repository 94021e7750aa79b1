/**
 * One small reader per front matter key, assembled once into FIELD_READERS (in the manner of
 * vscode-eslint's per-setting `X.from`): each takes the key's value, reports its own problems
 * and returns the typed value. parseDraft runs the table; adding a key means adding a row.
 */
import { localized } from '../text';
import { readAddressField } from './address-fields';
import type { AddressFieldResult } from './address-fields';
import type { AttachScope } from './attach-field';
import { readAttachField } from './attach-field';
import { readDir } from './dir-field';
import { readExtraHeaders } from './extra-headers';
import type { FieldContext } from './field-context';
import { deref, isEmptyValue, readScalar, reportControlCharacter, spanOf, warnFormatCharacter } from './field-context';
import type { KeyedValue, KnownKey } from './front-matter-keys';
import { readInReplyTo, readReferences } from './message-ids';
import { ProblemCode } from './problem-codes';
import type { Address, Draft } from './types';

export interface FieldReaderEnv {
  readonly ctx: FieldContext;
  readonly keys: ReadonlyMap<KnownKey, KeyedValue>;
  /** Offset just after the opening `---`: where problems about a missing key point. */
  readonly fenceEnd: number;
  readonly scope: AttachScope;
}

type FieldReader<T> = (env: FieldReaderEnv) => T | Promise<T>;

const NO_ADDRESSES: AddressFieldResult = { addresses: [], hadErrors: false };

function addresses(key: KnownKey): FieldReader<AddressFieldResult> {
  return ({ keys, ctx }) => {
    const entry = keys.get(key);
    return entry ? readAddressField(entry.written, entry.value, ctx) : NO_ADDRESSES;
  };
}

/** `from` overrides the profile's sender, so it must name exactly one mailbox. */
const readFrom: FieldReader<Address | undefined> = ({ keys, ctx }) => {
  const entry = keys.get('from');
  if (!entry) return undefined;
  const { addresses: found, hadErrors } = readAddressField(entry.written, entry.value, ctx);
  if (hadErrors || found.length === 0) return undefined;
  if (found.length > 1) {
    const [start, end] = spanOf(deref(entry.value, ctx), ctx);
    ctx.sink.error(ProblemCode.invalidFrom, localized('{0} must be exactly one address, not {1}', entry.written, found.length), start, end);
    return undefined;
  }
  return found[0]?.address;
};

/**
 * Subject: any scalar (numbers keep their spelling); missing or blank is only a warning. It
 * never needs a length check: text that cannot fold at spaces goes out as encoded-words.
 */
const readSubject: FieldReader<string> = ({ keys, ctx, fenceEnd }) => {
  const entry = keys.get('subject');
  if (!entry) {
    ctx.sink.warning(ProblemCode.emptySubject, localized('no subject: add  subject: …  to the front matter'), 0, fenceEnd);
    return '';
  }
  if (isEmptyValue(deref(entry.value, ctx), ctx)) {
    ctx.sink.warning(ProblemCode.emptySubject, localized('{0} is empty: the message will have no subject', entry.written), entry.keyStart, entry.keyEnd);
    return '';
  }
  const located = readScalar(entry.value, ctx, localized('{0} must be one line of text', entry.written));
  if (!located) return '';
  if (reportControlCharacter(located, entry.written, ctx)) return located.text;
  if (located.text.trim() === '') {
    ctx.sink.warning(ProblemCode.emptySubject, localized('{0} is blank: the message will have no subject', entry.written), entry.keyStart, entry.keyEnd);
  }
  warnFormatCharacter(located, entry.written, ctx);
  return located.text;
};

/** A one-line text value such as `profile`; header-bound values are checked for CR/LF/NUL. */
function optionalText(key: KnownKey, headerBound: boolean): (env: FieldReaderEnv) => string | undefined {
  return ({ keys, ctx }) => {
    const entry = keys.get(key);
    if (!entry || isEmptyValue(deref(entry.value, ctx), ctx)) return undefined;
    const located = readScalar(entry.value, ctx, localized('{0} must be text', entry.written));
    if (!located) return undefined;
    if (headerBound && reportControlCharacter(located, entry.written, ctx)) return undefined;
    return located.text;
  };
}

function keyed<T>(key: KnownKey, empty: T, read: (label: string, node: unknown, ctx: FieldContext) => T): FieldReader<T> {
  return ({ keys, ctx }) => {
    const entry = keys.get(key);
    return entry ? read(entry.written, entry.value, ctx) : empty;
  };
}

const readAttachments: FieldReader<Draft['attachments']> = async ({ keys, ctx, scope }) => {
  const entry = keys.get('attach');
  return entry ? readAttachField(entry.written, entry.value, ctx, scope) : [];
};

const readSent = optionalText('sent', false);
const readMessageId = optionalText('message-id', false);

/** The receipt written back after a send (`sent:`, `message-id:`). */
const readReceipt: FieldReader<Draft['receipt']> = (env) => {
  const sent = readSent(env);
  const messageId = readMessageId(env);
  if (sent === undefined && messageId === undefined) return undefined;
  return { ...(sent !== undefined ? { sent } : {}), ...(messageId !== undefined ? { messageId } : {}) };
};

export const FIELD_READERS = {
  to: addresses('to'),
  cc: addresses('cc'),
  bcc: addresses('bcc'),
  replyTo: addresses('reply-to'),
  from: readFrom,
  subject: readSubject,
  profile: optionalText('profile', true),
  inReplyTo: keyed<string | undefined>('in-reply-to', undefined, readInReplyTo),
  references: keyed<string[]>('references', [], readReferences),
  headers: keyed('headers', [], readExtraHeaders),
  attachments: readAttachments,
  receipt: readReceipt,
  dir: readDir,
} satisfies Record<string, FieldReader<unknown>>;

export type Fields<R> = { readonly [K in keyof R]: R[K] extends FieldReader<infer T> ? T : never };

/** Runs every reader of the table, in its order (problems are sorted by position later). */
export async function readFields<R extends Record<string, FieldReader<unknown>>>(readers: R, env: FieldReaderEnv): Promise<Fields<R>> {
  const fields: Record<string, unknown> = {};
  for (const [name, read] of Object.entries(readers)) {
    const value = read(env);
    // Most readers are synchronous: awaiting only the promises saves a microtask turn per key.
    fields[name] = value instanceof Promise ? await value : value;
  }
  return fields as Fields<R>;
}

export type ReadFields = Fields<typeof FIELD_READERS>;
