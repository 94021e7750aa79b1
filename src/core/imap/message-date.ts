/**
 * The Date header of a composed message, for the APPEND's internal date (RFC 3501 6.3.11): the
 * copy sorts by the time the message says it was written, not the time it was filed.
 */

/** The Date field's instant, or undefined when there is none or it does not parse. */
export function messageDate(message: Uint8Array): Date | undefined {
  const bytes = Buffer.from(message.buffer, message.byteOffset, message.byteLength);
  const end = bytes.indexOf('\r\n\r\n');
  // Header fields are ASCII (or UTF-8 with SMTPUTF8); latin1 keeps the offsets of bytes.
  const header = bytes.subarray(0, end < 0 ? bytes.length : end).toString('latin1');
  // Unfold (RFC 5322 2.2.3) before matching, so a folded Date is read whole.
  const match = /^Date:[ \t]*(.*)$/im.exec(header.replace(/\r\n(?=[ \t])/g, ''));
  if (match?.[1] === undefined) return undefined;
  const time = Date.parse(match[1].replace(/\s*\([^)]*\)\s*$/, ''));
  return Number.isNaN(time) ? undefined : new Date(time);
}
