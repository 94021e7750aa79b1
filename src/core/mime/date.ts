/**
 * RFC 5322 3.3 date-time with the sender's zone: the clock time at the sender and its offset
 * from UTC (`+0800`), as mail readers expect. The offset is given, not looked up here, so the
 * same instant and offset give the same bytes on any machine (the identity supplies both).
 */

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

function two(value: number): string {
  return String(value).padStart(2, '0');
}

/** `+0800`, `-0330`, `+0000` (RFC 5322 3.3 zone; `-0000` means "unknown" and is never written). */
function formatZone(offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const magnitude = Math.abs(offsetMinutes);
  return `${sign}${two(Math.floor(magnitude / 60))}${two(magnitude % 60)}`;
}

/**
 * E.g. `Sun, 29 Nov 2026 21:52:00 +0800` for 13:52 UTC at `offsetMinutes` 480 (minutes east of
 * UTC). Whole minutes between -23:59 and +23:59, as the zone's four digits allow.
 */
export function formatDate(date: Date, offsetMinutes: number): string {
  if (Number.isNaN(date.getTime())) {
    throw new RangeError('Cannot write an invalid Date into the Date header.');
  }
  if (!Number.isInteger(offsetMinutes) || Math.abs(offsetMinutes) >= 24 * 60) {
    throw new RangeError(`Cannot write a zone offset of ${offsetMinutes} minutes into the Date header.`);
  }
  // The sender's wall clock: shift the instant and read it as UTC.
  const local = new Date(date.getTime() + offsetMinutes * 60_000);
  const day = DAYS[local.getUTCDay()] ?? 'Sun';
  const month = MONTHS[local.getUTCMonth()] ?? 'Jan';
  return (
    `${day}, ${two(local.getUTCDate())} ${month} ${String(local.getUTCFullYear()).padStart(4, '0')} ` +
    `${two(local.getUTCHours())}:${two(local.getUTCMinutes())}:${two(local.getUTCSeconds())} ${formatZone(offsetMinutes)}`
  );
}
