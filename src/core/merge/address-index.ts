/**
 * The addresses a merge plan has seen, for its duplicate warnings (a To address in two rows, a
 * Cc/Bcc address in several): the first row of each and how many rows named it. A plan of
 * 10,000 rows sees 10,000 addresses; as a Map of strings they were objects that V8 copied and
 * promoted while the plan went on (bytes that count towards growing the young generation for
 * good). Here the addresses are kept off the heap (off-heap-texts.ts, as UTF-16: exact for any
 * string), found again through an open-addressing table of their hashes.
 */
import { grownInt32, OffHeapTexts } from './off-heap-texts';

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
  private readonly addresses = new OffHeapTexts('utf16le');
  private hashes: Int32Array = new Int32Array(0);
  private firsts: Int32Array = new Int32Array(0);
  private counts: Int32Array = new Int32Array(0);
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
      if (this.hashes[entry] === hash && this.addresses.at(entry) === address) {
        this.counts[entry] = (this.counts[entry] ?? 0) + 1;
        return this.firsts[entry];
      }
      slot = (slot + 1) & mask;
    }
    const entry = this.add(address, hash, row);
    this.slots[slot] = entry + 1;
    if (2 * this.addresses.count > this.slots.length) this.rehash();
    return undefined;
  }

  /** Every address noted, in the order first noted. */
  *entries(): IterableIterator<SeenAddress> {
    for (let entry = 0; entry < this.addresses.count; entry++) yield { address: this.addresses.at(entry) ?? '', first: this.firsts[entry] ?? 0, count: this.counts[entry] ?? 0 };
  }

  private add(address: string, hash: number, row: number): number {
    const entry = this.addresses.push(address);
    if (entry >= this.hashes.length) {
      const capacity = Math.max(64, 2 * entry);
      this.hashes = grownInt32(this.hashes, capacity);
      this.firsts = grownInt32(this.firsts, capacity);
      this.counts = grownInt32(this.counts, capacity);
    }
    this.hashes[entry] = hash;
    this.firsts[entry] = row;
    this.counts[entry] = 1;
    return entry;
  }

  private rehash(): void {
    const slots = new Int32Array(2 * this.slots.length);
    const mask = slots.length - 1;
    for (let entry = 0; entry < this.addresses.count; entry++) {
      let slot = (this.hashes[entry] ?? 0) & mask;
      while ((slots[slot] ?? 0) !== 0) slot = (slot + 1) & mask;
      slots[slot] = entry + 1;
    }
    this.slots = slots;
  }
}
