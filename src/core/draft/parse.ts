/**
 * parseDraft: a draft's text → its front matter checked field by field, plus the body.
 * The YAML is parsed by the `yaml` library with source ranges kept, so every problem points
 * at a line and column of the whole draft.
 */
import * as os from 'node:os';
import { isMap, parseDocument } from 'yaml';
import { readAddressField } from './address-fields';
import type { AttachmentProbe } from './attachments';
import { readAttachField } from './attach-field';
import { readExtraHeaders } from './extra-headers';
import type { FieldContext } from './field-context';
import { deref, isEmptyValue, readScalar, reportControlCharacter, spanOf } from './field-context';
import { collectKeys } from './front-matter-keys';
import type { KeyedValue, KnownKey } from './front-matter-keys';
import { splitDraft } from './front-matter';
import { LineIndex } from './line-index';
import { readInReplyTo, readReferences } from './message-ids';
import { ProblemCode } from './problem-codes';
import { ProblemSink } from './problem-sink';
import type { Address, Draft, ParseDraftOptions, ParseDraftResult } from './types';

const BYTE_ORDER_MARK = '\uFEFF';

/**
 * Parses and checks a draft. Never throws for a bad draft: everything wrong comes back in
 * `problems`, sorted by position; `draft` is present only when none of them is an error.
 * `probe` replaces the file-system calls that check attachments (tests only).
 */
export async function parseDraft(
  text: string,
  options: ParseDraftOptions,
  probe?: AttachmentProbe,
): Promise<ParseDraftResult> {
  // Editors hide a BOM and do not count it in columns; positions are computed without it.
  const source = text.startsWith(BYTE_ORDER_MARK) ? text.slice(1) : text;
  const sink = new ProblemSink(new LineIndex(source));
  const split = splitDraft(source);
  if (split.kind === 'no-front-matter') {
    sink.error(
      ProblemCode.noFrontMatter,
      'no front matter: a draft starts with a --- line, then YAML keys (at least to:), then another --- line',
      0,
      source.search(/\r|\n|$/),
    );
    return { problems: sink.sorted() };
  }
  if (split.kind === 'unterminated') {
    sink.error(
      ProblemCode.unterminatedFrontMatter,
      'the front matter opened by --- is never closed: add a --- line after the last key',
      0,
      split.openingFenceEnd,
    );
    return { problems: sink.sorted() };
  }

  const doc = parseDocument(split.yaml, { keepSourceTokens: true, uniqueKeys: false, prettyErrors: false });
  const ctx: FieldContext = { doc, yaml: split.yaml, base: split.yamlStart, sink };
  for (const error of doc.errors) {
    sink.error(ProblemCode.invalidYaml, `invalid YAML: ${error.message}${quotingHint(split.yaml, error.pos[0])}`, ctx.base + error.pos[0], ctx.base + error.pos[1]);
  }
  for (const warning of doc.warnings) {
    sink.warning(ProblemCode.yamlWarning, `YAML: ${warning.message}`, ctx.base + warning.pos[0], ctx.base + warning.pos[1]);
  }
  if (doc.errors.length > 0) return { problems: sink.sorted() };

  const contents = deref(doc.contents, ctx);
  if (!isEmptyValue(contents) && !isMap(contents)) {
    const [start, end] = spanOf(contents, ctx);
    sink.error(ProblemCode.frontMatterNotAMap, 'the front matter must be keys with values, like  to: bob@example.com', start, end);
    return { problems: sink.sorted() };
  }
  const keys = isMap(contents) ? collectKeys(contents, ctx) : new Map<KnownKey, KeyedValue>();
  const fenceEnd = split.openingFenceEnd;

  const addresses = (key: KnownKey): { addresses: Address[]; hadErrors: boolean } => {
    const entry = keys.get(key);
    return entry ? readAddressField(entry.written, entry.value, ctx) : { addresses: [], hadErrors: false };
  };
  const to = addresses('to');
  const cc = addresses('cc');
  const bcc = addresses('bcc');
  const replyTo = addresses('reply-to');
  const from = readFrom(keys.get('from'), ctx);
  if (to.addresses.length + cc.addresses.length + bcc.addresses.length === 0 && !(to.hadErrors || cc.hadErrors || bcc.hadErrors)) {
    // An invalid address already explains an empty list; a second error would be noise.
    const toKey = keys.get('to');
    sink.error(
      ProblemCode.noRecipients,
      'no recipients: put at least one address in to, cc or bcc',
      toKey ? toKey.keyStart : 0,
      toKey ? toKey.keyEnd : fenceEnd,
    );
  }

  const subject = readSubject(keys.get('subject'), ctx, fenceEnd);
  const profile = readOptionalText(keys.get('profile'), ctx, true);
  const inReplyToEntry = keys.get('in-reply-to');
  const inReplyTo = inReplyToEntry ? readInReplyTo(inReplyToEntry.written, inReplyToEntry.value, ctx) : undefined;
  const referencesEntry = keys.get('references');
  const references = referencesEntry ? readReferences(referencesEntry.written, referencesEntry.value, ctx) : [];
  const headersEntry = keys.get('headers');
  const headers = headersEntry ? readExtraHeaders(headersEntry.written, headersEntry.value, ctx) : [];
  const sent = readOptionalText(keys.get('sent'), ctx, false);
  const messageId = readOptionalText(keys.get('message-id'), ctx, false);
  const attachEntry = keys.get('attach');
  const attachments = attachEntry
    ? await readAttachField(attachEntry.written, attachEntry.value, ctx, {
        baseDir: options.baseDir,
        homeDir: options.homeDir ?? os.homedir(),
        ...(probe ? { probe } : {}),
      })
    : [];

  const problems = sink.sorted();
  if (sink.hasErrors) return { problems };
  const draft: Draft = {
    format: options.format,
    baseDir: options.baseDir,
    ...(from ? { from } : {}),
    to: to.addresses,
    cc: cc.addresses,
    bcc: bcc.addresses,
    replyTo: replyTo.addresses,
    subject,
    attachments,
    ...(profile !== undefined ? { profile } : {}),
    ...(inReplyTo !== undefined ? { inReplyTo } : {}),
    references,
    headers,
    body: split.body,
    bodyStartLine: split.bodyStartLine,
    ...(sent !== undefined || messageId !== undefined
      ? { receipt: { ...(sent !== undefined ? { sent } : {}), ...(messageId !== undefined ? { messageId } : {}) } }
      : {}),
  };
  return { draft, problems };
}

/** `from` overrides the profile's sender, so it must name exactly one mailbox. */
function readFrom(entry: KeyedValue | undefined, ctx: FieldContext): Address | undefined {
  if (!entry) return undefined;
  const { addresses, hadErrors } = readAddressField(entry.written, entry.value, ctx);
  if (hadErrors || addresses.length === 0) return undefined;
  if (addresses.length > 1) {
    const [start, end] = spanOf(deref(entry.value, ctx), ctx);
    ctx.sink.error(ProblemCode.invalidFrom, `${entry.written} must be exactly one address, not ${addresses.length}`, start, end);
    return undefined;
  }
  return addresses[0];
}

/** Subject: any scalar (numbers keep their spelling); missing or blank is only a warning. */
function readSubject(entry: KeyedValue | undefined, ctx: FieldContext, fenceEnd: number): string {
  if (!entry) {
    ctx.sink.warning(ProblemCode.emptySubject, 'no subject: add  subject: …  to the front matter', 0, fenceEnd);
    return '';
  }
  const value = deref(entry.value, ctx);
  if (isEmptyValue(value)) {
    ctx.sink.warning(ProblemCode.emptySubject, `${entry.written} is empty: the message will have no subject`, entry.keyStart, entry.keyEnd);
    return '';
  }
  const located = readScalar(entry.value, entry.written, 'one line of text', ctx);
  if (!located) return '';
  if (reportControlCharacter(located, entry.written, ctx)) return located.text;
  if (located.text.trim() === '') {
    ctx.sink.warning(ProblemCode.emptySubject, `${entry.written} is blank: the message will have no subject`, entry.keyStart, entry.keyEnd);
  }
  return located.text;
}

/** A one-line text value such as `profile`; header-bound values are checked for CR/LF/NUL. */
function readOptionalText(entry: KeyedValue | undefined, ctx: FieldContext, headerBound: boolean): string | undefined {
  if (!entry) return undefined;
  const value = deref(entry.value, ctx);
  if (isEmptyValue(value)) return undefined;
  const located = readScalar(entry.value, entry.written, 'text', ctx);
  if (!located) return undefined;
  if (headerBound && reportControlCharacter(located, entry.written, ctx)) return undefined;
  return located.text;
}

/**
 * `to: "Li, Bob" <bob@example.com>` is invalid YAML (a quoted scalar cannot be followed by
 * more text). It is the likeliest YAML mistake in a draft, so the message says what to do.
 */
function quotingHint(yaml: string, errorOffset: number): string {
  const lineStart = yaml.lastIndexOf('\n', Math.max(0, errorOffset - 1)) + 1;
  const lineEnd = yaml.indexOf('\n', lineStart);
  const line = yaml.slice(lineStart, lineEnd < 0 ? undefined : lineEnd);
  if (!/^\s*(?:-\s+)?(?:[\w-]+:\s*)?"[^"]*"\s*\S/.test(line)) return '';
  return '; to quote a display name, put the whole value in single quotes:  to: \'"Li, Bob" <bob@example.com>\'';
}
