/** Human sizes for progress and confirmation ("3.2 MiB"); binary units, as file managers show. */
const UNITS = ['B', 'KiB', 'MiB', 'GiB'] as const;

function unitFor(bytes: number): number {
  let unit = 0;
  let value = bytes;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit;
}

function inUnit(bytes: number, unit: number): string {
  const value = bytes / 1024 ** unit;
  if (unit === 0) return String(Math.round(value));
  return value >= 10 ? value.toFixed(0) : value.toFixed(1);
}

export function formatBytes(bytes: number): string {
  const unit = unitFor(bytes);
  return `${inUnit(bytes, unit)} ${UNITS[unit]}`;
}

/** Both numbers in the unit of the total ("3.2", "27", "MiB"), so "3.2 of 27 MiB" reads as one quantity. */
export function bytesInUnitOf(sent: number, total: number): { readonly sent: string; readonly total: string; readonly unit: string } {
  const unit = unitFor(total);
  return { sent: inUnit(Math.min(sent, total), unit), total: inUnit(total, unit), unit: UNITS[unit] ?? 'B' };
}
