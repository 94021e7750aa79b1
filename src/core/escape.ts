/**
 * Text from a draft or a server is shown to people: on a terminal (the CLI's stdout and stderr)
 * and in the Output channel. Such text must never drive the display: an ESC starts a terminal
 * escape sequence (colours, cursor moves, window titles, OSC 8 links, even clipboard writes on
 * some terminals); CR or LF can forge a line that looks like our own ("Sent …"); a bidi control
 * (U+202E) reorders what follows it, so `résumé<U+202E>fdp.exe` reads as `résumé exe.pdf`.
 *
 * Every such character is shown as a visible escape instead: C0 controls, DEL and C1 controls as
 * `\xNN` (`\x1b`, `\x07`, `\x0a`), bidi and invisible format characters as `\uNNNN` (`\u202e`).
 * Tab is left alone: it moves the cursor right and nothing else. Backslash is left alone too,
 * so Windows paths stay readable; the escapes are for display, not a reversible encoding.
 */
import { FORMAT_CHARACTER_RANGES } from './mime/characters';

/**
 * C0 (U+0000–U+001F) except tab, DEL (U+007F), C1 (U+0080–U+009F); then the bidi and invisible
 * format characters of Unicode's "Default_Ignorable"/bidi-control sets that can hide or reorder
 * text: U+2028/U+2029 (line and paragraph separators) and grammar.ts's FORMAT_CHARACTER_RANGES,
 * the one list of bidi controls and invisible format characters the draft check also refuses.
 */
const UNSAFE = new RegExp(`[\\u0000-\\u0008\\u000a-\\u001f\\u007f-\\u009f\\u2028\\u2029${FORMAT_CHARACTER_RANGES}]`, 'g');

function visible(char: string): string {
  const code = char.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** The text with every control, bidi and invisible format character shown as an escape. */
export function escapeForDisplay(text: string): string {
  return text.replace(UNSAFE, visible);
}

/**
 * Like `escapeForDisplay`, but keeps LF: for a block of our own lines (a usage text) whose
 * untrusted parts were already escaped. Defence in depth at the last write to a terminal.
 */
export function escapeForDisplayKeepingLines(text: string): string {
  return text.split('\n').map(escapeForDisplay).join('\n');
}
