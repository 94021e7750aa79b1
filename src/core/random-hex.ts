/**
 * Random hex for the values that make a message unique (Message-ID, MIME boundaries). Every
 * message needs three or four such values; asked of the system one by one they cost a
 * `getrandom` call apiece, which a mail merge of thousands of messages feels. So bytes are
 * taken from the same CSPRNG (crypto.randomFillSync) a pool at a time, and each byte is
 * handed out once, as Node's own `crypto.randomUUID` does with its cache.
 */
import { randomFillSync } from 'node:crypto';

const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let used = POOL_BYTES;

/** `bytes` fresh random bytes (at most the pool's size) as lower-case hex. */
export function randomHex(bytes: number): string {
  if (bytes > POOL_BYTES) throw new RangeError(`randomHex: at most ${POOL_BYTES} bytes`);
  if (used + bytes > POOL_BYTES) {
    randomFillSync(pool);
    used = 0;
  }
  const hex = pool.toString('hex', used, used + bytes);
  used += bytes;
  return hex;
}
