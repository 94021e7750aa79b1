/**
 * The SecretStorage key a password is kept under. It binds the secret to the account *and* the
 * server (DESIGN.md "Extension"): if a workspace repoints profile "work" at another host or port,
 * the key changes and the stored password is simply not found there — it is never offered to a
 * server the user did not store it for. Pure, so it is unit-testable.
 */
export interface SecretTarget {
  readonly username?: string;
  readonly host: string;
  readonly port: number;
}

export function secretKey(target: SecretTarget): string {
  // Host names are case-insensitive (RFC 4343); user names may not be, so they stay as written.
  return `smtp:${target.username ?? ''}@${target.host.toLowerCase()}:${target.port}`;
}
