/**
 * parseDraft: a draft's text → its front matter checked field by field, plus the body.
 * The YAML is parsed by the `yaml` library (loaded lazily) with source ranges kept, so every
 * problem points at a line and column of the whole draft. Each key has a small reader in
 * FIELD_READERS; parseDraft runs the checks on the whole text, then the table, then the checks
 * across fields (recipients).
 */
import * as os from 'node:os';
import { loadYaml } from '../lazy';
import { localized } from '../text';
import type { FieldContext } from './field-context';
import { deref, isEmptyValue, spanOf } from './field-context';
import type { FieldReaderEnv } from './field-readers';
import { FIELD_READERS, readFields } from './field-readers';
import { collectKeys } from './front-matter-keys';
import type { KeyedValue, KnownKey } from './front-matter-keys';
import { splitDraft } from './front-matter';
import { LineIndex } from './line-index';
import { ProblemCode } from './problem-codes';
import { ProblemSink } from './problem-sink';
import { checkRecipients } from './recipients';
import type { Draft, ParseDraftOptions, ParseDraftResult } from './types';
import { reportYamlProblems } from './yaml-problems';

const BYTE_ORDER_MARK = '\uFEFF';
/** The largest draft accepted: beyond this, checking and composing would hold too much memory. */
export const MAX_DRAFT_BYTES = 10 * 1024 * 1024;
/** Each U+FFFD is reported, up to this many: more only repeats the advice. */
const MAX_REPLACEMENT_REPORTS = 10;

/**
 * Parses and checks a draft. Never throws for a bad draft: everything wrong comes back in
 * `problems`, sorted by position; `draft` is present only when none of them is an error.
 */
export async function parseDraft(text: string, options: ParseDraftOptions): Promise<ParseDraftResult> {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_DRAFT_BYTES) {
    const sink = new ProblemSink(new LineIndex(''));
    sink.error(ProblemCode.draftTooLarge, localized('the draft is {0} MiB; the limit is 10 MiB', (bytes / (1024 * 1024)).toFixed(1)), 0, 0);
    return { problems: sink.sorted() };
  }
  // Editors hide a BOM and do not count it in columns; positions are computed without it.
  const source = text.startsWith(BYTE_ORDER_MARK) ? text.slice(1) : text;
  const sink = new ProblemSink(new LineIndex(source));
  reportReplacementCharacters(source, sink);
  const split = splitDraft(source);
  if (split.kind === 'no-front-matter') {
    sink.error(
      ProblemCode.noFrontMatter,
      localized('no front matter: a draft starts with a --- line, then YAML keys (at least to:), then another --- line'),
      0,
      source.search(/\r|\n|$/),
    );
    return { problems: sink.sorted() };
  }
  if (split.kind === 'unterminated') {
    sink.error(ProblemCode.unterminatedFrontMatter, localized('the front matter opened by --- is never closed: add a --- line after the last key'), 0, split.openingFenceEnd);
    return { problems: sink.sorted() };
  }

  const Y = await loadYaml();
  const doc = Y.parseDocument(split.yaml, { keepSourceTokens: true, uniqueKeys: false, prettyErrors: false });
  const ctx: FieldContext = { Y, doc, yaml: split.yaml, base: split.yamlStart, sink };
  if (reportYamlProblems(doc, ctx)) return { problems: sink.sorted() };

  const contents = deref(doc.contents, ctx);
  if (!isEmptyValue(contents, ctx) && !Y.isMap(contents)) {
    const [start, end] = spanOf(contents, ctx);
    sink.error(ProblemCode.frontMatterNotAMap, localized('the front matter must be keys with values, like  to: bob@example.com'), start, end);
    return { problems: sink.sorted() };
  }
  const keys = Y.isMap(contents) ? collectKeys(contents, ctx) : new Map<KnownKey, KeyedValue>();
  const root = options.root ?? options.baseDir;
  const env: FieldReaderEnv = {
    ctx,
    keys,
    fenceEnd: split.openingFenceEnd,
    scope: { baseDir: options.baseDir, homeDir: options.homeDir ?? os.homedir(), root, untrusted: options.untrusted === true },
  };
  const fields = await readFields(FIELD_READERS, env);
  const recipients = checkRecipients(fields, env);

  const problems = sink.sorted();
  if (sink.hasErrors) return { problems };
  const draft: Draft = {
    format: options.format,
    baseDir: options.baseDir,
    ...(fields.from ? { from: fields.from } : {}),
    ...recipients,
    replyTo: fields.replyTo.addresses.map((entry) => entry.address),
    subject: fields.subject,
    attachments: fields.attachments,
    ...(fields.profile !== undefined ? { profile: fields.profile } : {}),
    ...(fields.inReplyTo !== undefined ? { inReplyTo: fields.inReplyTo } : {}),
    references: fields.references,
    headers: fields.headers,
    body: split.body,
    bodyStartLine: split.bodyStartLine,
    ...(fields.receipt !== undefined ? { receipt: fields.receipt } : {}),
    ...(fields.dir !== undefined ? { dir: fields.dir } : {}),
  };
  return { draft, problems };
}

/**
 * The readers (the extension's document, the CLI's file read) decode the bytes as UTF-8 and put
 * U+FFFD where bytes are not UTF-8. Sending it would silently change the text, so each one is
 * an error where it stands.
 */
function reportReplacementCharacters(source: string, sink: ProblemSink): void {
  let reported = 0;
  for (let at = source.indexOf('\uFFFD'); at >= 0 && reported < MAX_REPLACEMENT_REPORTS; at = source.indexOf('\uFFFD', at + 1)) {
    sink.error(
      ProblemCode.invalidUtf8,
      localized('invalid UTF-8: the file has bytes here that are not UTF-8 text (shown as U+FFFD); save the draft as UTF-8'),
      at,
      at + 1,
    );
    reported++;
  }
}
