/**
 * RFC 5322 3.3 date-time, always in UTC (`+0000`: "the time is UTC", unlike `-0000`), so a
 * message composed with an injected date is byte-identical on machines in any time zone.
 */

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

function two(value: number): string {
  return String(value).padStart(2, '0');
}

/** E.g. `Sun, 29 Nov 2026 13:52:00 +0000`. */
export function formatDate(date: Date): string {
  if (Number.isNaN(date.getTime())) {
    throw new RangeError('Cannot write an invalid Date into the Date header.');
  }
  const day = DAYS[date.getUTCDay()] ?? 'Sun';
  const month = MONTHS[date.getUTCMonth()] ?? 'Jan';
  return (
    `${day}, ${two(date.getUTCDate())} ${month} ${String(date.getUTCFullYear()).padStart(4, '0')} ` +
    `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`
  );
}
