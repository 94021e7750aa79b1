/**
 * Whether a document is an email draft at all — the one rule behind the editor's context key,
 * live diagnostics, CodeLens, status bar and Preview. A README or CHANGELOG (no front matter,
 * or front matter without recipients) is not a draft, so it gets no Send icon and no problems.
 *
 * A draft starts with a `---` line and names `to`, `cc` or `bcc` (any case) as a top-level
 * key before the closing fence. Only fences and keys are looked at — no YAML is parsed — so
 * this is cheap enough to run on every keystroke without loading the YAML library.
 */
import { splitDraft } from './front-matter';

const RECIPIENT_KEY = /^(?:to|cc|bcc)[ \t]*:/im;
/** `merge:` as a top-level key: the draft is sent once per row of a table (core/merge). */
const MERGE_KEY = /^merge[ \t]*:/im;
const BYTE_ORDER_MARK = '\uFEFF';

/** The front matter's text; undefined when there is none. */
function frontMatterText(text: string): string | undefined {
  const source = text.startsWith(BYTE_ORDER_MARK) ? text.slice(1) : text;
  const split = splitDraft(source);
  // An unterminated front matter that already names recipients is a draft being written: it
  // must get diagnostics ("the front matter is not closed"), not lose them.
  return split.kind === 'ok' ? split.yaml : split.kind === 'unterminated' ? source.slice(split.openingFenceEnd) : undefined;
}

export function isDraftText(text: string): boolean {
  const frontMatter = frontMatterText(text);
  return frontMatter !== undefined && RECIPIENT_KEY.test(frontMatter);
}

/** Whether the front matter names merge data (`merge: people.csv`); fences and keys only, like isDraftText. */
export function isMergeText(text: string): boolean {
  const frontMatter = frontMatterText(text);
  return frontMatter !== undefined && MERGE_KEY.test(frontMatter);
}
