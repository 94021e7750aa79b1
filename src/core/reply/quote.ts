/**
 * The original text quoted for a reply: every line behind `> ` (RFC 3676 4.5 style; a line that
 * is already quoted gains one more `>`, an empty line becomes `>`). Trailing blank lines are
 * dropped, line breaks become LF (the draft's own line ends).
 */
export function quoteText(text: string): string {
  const lines = text.replace(/\r\n|\r/g, '\n').replace(/\s+$/, '').split('\n');
  return lines.map((line) => (line === '' ? '>' : line.startsWith('>') ? `>${line}` : `> ${line}`)).join('\n');
}
