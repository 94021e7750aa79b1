/**
 * The addresses a merge plan has seen, for its duplicate warnings (a To address in two rows, a
 * Cc/Bcc address in several): the first row of each and how many rows named it. A plan of
 * 10,000 rows sees 10,000 addresses; as a Map of strings they were objects that V8 copied and
 * promoted while the plan went on (bytes that count towards growing the young generation for
 * good). Here the addresses are kept as UTF-16 code units in a buffer outside the heap (exact
 * for any string), found again through an open-addressing table of their hashes.
 */

/** FNV-1a over the UTF-16 code units. */
function hashOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash | 0;
}

export interface SeenAddress {
  readonly address: string;
  /** The row that named it first. */
  readonly first: number;
  /** How many times it was noted. */
  readonly count: number;
}

export class AddressIndex {
  private text = Buffer.alloc(0);
  private used = 0;
  private starts = new Int32Array(0);
  private ends = new Int32Array(0);
  private hashes = new Int32Array(0);
  private firsts = new Int32Array(0);
  private counts = new Int32Array(0);
  private size = 0;
  /** Entry index + 1 for each slot, 0 for an empty one; a power of two long. */
  private slots = new Int32Array(16);

  /** Notes `address` as named by `row`; returns the row that named it first, or undefined if none did. */
  note(address: string, row: number): number | undefined {
    const hash = hashOf(address);
    const mask = this.slots.length - 1;
    let slot = hash & mask;
    for (;;) {
      const entry = (this.slots[slot] ?? 0) - 1;
      if (entry < 0) break;
      if (this.hashes[entry] === hash && this.addressAt(entry) === address) {
        this.counts[entry] = (this.counts[entry] ?? 0) + 1;
        return this.firsts[entry];
      }
      slot = (slot + 1) & mask;
    }
    this.add(address, hash, row);
    this.slots[slot] = this.size;
    if (2 * this.size > this.slots.length) this.rehash();
    return undefined;
  }

  /** Every address noted, in the order first noted. */
  *entries(): IterableIterator<SeenAddress> {
    for (let entry = 0; entry < this.size; entry++) yield { address: this.addressAt(entry), first: this.firsts[entry] ?? 0, count: this.counts[entry] ?? 0 };
  }

  private addressAt(entry: number): string {
    return this.text.toString('utf16le', this.starts[entry], this.ends[entry]);
  }

  private add(address: string, hash: number, row: number): void {
    const bytes = 2 * address.length;
    if (this.used + bytes > this.text.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(2 * this.text.length, this.used + bytes, 16 * 1024));
      this.text.copy(grown, 0, 0, this.used);
      this.text = grown;
    }
    if (this.size === this.starts.length) {
      const capacity = Math.max(64, 2 * this.size);
      this.starts = grown(this.starts, capacity);
      this.ends = grown(this.ends, capacity);
      this.hashes = grown(this.hashes, capacity);
      this.firsts = grown(this.firsts, capacity);
      this.counts = grown(this.counts, capacity);
    }
    const entry = this.size++;
    this.starts[entry] = this.used;
    this.used += this.text.write(address, this.used, 'utf16le');
    this.ends[entry] = this.used;
    this.hashes[entry] = hash;
    this.firsts[entry] = row;
    this.counts[entry] = 1;
  }

  private rehash(): void {
    const slots = new Int32Array(2 * this.slots.length);
    const mask = slots.length - 1;
    for (let entry = 0; entry < this.size; entry++) {
      let slot = (this.hashes[entry] ?? 0) & mask;
      while ((slots[slot] ?? 0) !== 0) slot = (slot + 1) & mask;
      slots[slot] = entry + 1;
    }
    this.slots = slots;
  }
}

function grown(array: Int32Array, capacity: number): Int32Array<ArrayBuffer> {
  const copy = new Int32Array(capacity);
  copy.set(array);
  return copy;
}
