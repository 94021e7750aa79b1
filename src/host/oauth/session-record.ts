/**
 * What the extension stores for a profile signed in through a VS Code authentication provider
 * (Microsoft). VS Code keeps and refreshes those tokens itself; this record only binds the
 * profile — under its grant key, so to its user, host, port and connection safety — to the
 * provider, the account and the application it signed in with. A profile that changes any of
 * them (a workspace pointing the same user at another server) is not signed in and asks first.
 * Pure, so it is unit-tested; the type marker keeps it apart from a TokenGrant (grant-codec.ts
 * reads this as "no grant", and this reads a grant as "no session").
 */
import { isRecord } from '../../core/guards';

const TYPE = 'send-as-email/vscode-session';

export interface SessionRecord {
  readonly providerId: string;
  readonly accountId: string;
  readonly accountLabel: string;
  /** The scopes asked for, the VSCODE_CLIENT_ID / VSCODE_TENANT ones included. */
  readonly scopes: readonly string[];
}

export function serialiseSessionRecord(record: SessionRecord): string {
  return JSON.stringify({ type: TYPE, ...record });
}

/** JSON.parse that answers undefined for text that is not JSON (a password kept under the key). */
function jsonValue(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function parseSessionRecord(text: string | undefined): SessionRecord | undefined {
  const raw = text === undefined ? undefined : jsonValue(text);
  if (!isRecord(raw) || raw['type'] !== TYPE) return undefined;
  const { providerId, accountId, accountLabel, scopes } = raw;
  if (typeof providerId !== 'string' || typeof accountId !== 'string' || typeof accountLabel !== 'string') return undefined;
  if (!Array.isArray(scopes) || !scopes.every((s): s is string => typeof s === 'string')) return undefined;
  return { providerId, accountId, accountLabel, scopes };
}

/** Whether a stored record is for this provider and exactly these scopes (application and tenant included). */
export function recordMatches(record: SessionRecord, providerId: string, scopes: readonly string[]): boolean {
  const wanted = [...scopes].sort();
  const stored = [...record.scopes].sort();
  return record.providerId === providerId && wanted.length === stored.length && wanted.every((s, i) => s === stored[i]);
}
