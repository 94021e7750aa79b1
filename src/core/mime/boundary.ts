/**
 * Multipart boundaries (RFC 2046 5.1.1). The prefix `=_sae_` contains `=_`, which neither
 * quoted-printable (where `=` is followed by two hex digits or a line break) nor base64 (where
 * `=` is only trailing padding) can produce, so only 7bit and 8bit parts need to be checked.
 */
import { randomHex } from '../random-hex';

export const BOUNDARY_PREFIX = '=_sae_';

/** RFC 2046 5.1.1 bcharsnospace: 1 to 70 characters from this set, not ending in a space. */
const BOUNDARY = /^[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]$/;

export function randomBoundary(): string {
  return BOUNDARY_PREFIX + randomHex(15);
}

export function isValidBoundary(boundary: string): boolean {
  return BOUNDARY.test(boundary);
}
