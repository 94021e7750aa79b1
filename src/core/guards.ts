/** Small type guards shared by every reader of untyped input (settings, YAML, JSON, arguments). */

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** Node's errno-style `code` of an error, if it has one. */
export function errnoOf(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/** CR or LF: either one in a header or command line would start a new one (RFC 5321 2.3.8, RFC 5322 2.2). */
export function hasLineBreak(text: string): boolean {
  return text.includes('\r') || text.includes('\n');
}
