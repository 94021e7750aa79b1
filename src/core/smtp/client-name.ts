/**
 * The name the client gives in EHLO/HELO. RFC 5321 4.1.4: the client's fully-qualified domain
 * name if it has one, otherwise an address literal (4.1.3) of the connection's local address,
 * such as `[192.0.2.1]` or `[IPv6:2001:db8::1]`. A bare host name like `laptop` is neither.
 */
import { isIP } from 'node:net';

/** RFC 5321 4.1.2 Domain: dot-separated labels of letters, digits and inner hyphens. */
const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

export function isFqdn(name: string): boolean {
  const trimmed = name.endsWith('.') ? name.slice(0, -1) : name;
  const labels = trimmed.split('.');
  return trimmed.length <= 253 && labels.length >= 2 && labels.every((label) => LABEL.test(label)) && !/^\d+$/.test(labels[labels.length - 1] ?? '');
}

export function addressLiteral(address: string): string | undefined {
  const bare = address.split('%')[0] ?? address; // Drop an IPv6 zone id such as %eth0.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  if (mapped?.[1] !== undefined) return `[${mapped[1]}]`;
  const family = isIP(bare);
  if (family === 4) return `[${bare}]`;
  if (family === 6) return `[IPv6:${bare}]`;
  return undefined;
}

/** `hostname` is os.hostname(); `localAddress` is socket.localAddress after connecting. */
export function defaultClientName(hostname: string, localAddress: string | undefined): string {
  if (isFqdn(hostname)) return hostname.endsWith('.') ? hostname.slice(0, -1) : hostname;
  return (localAddress === undefined ? undefined : addressLiteral(localAddress)) ?? '[127.0.0.1]';
}
