/**
 * Text a merge keeps for its whole run, held outside the JavaScript heap: strings in one growing
 * buffer, read back by index. A 10,000-row merge keeps thousands of strings (results, addresses,
 * checked rows); as heap strings they were copied and then promoted by V8's young-generation
 * collections while the run went on, and the young generation grows for good once enough bytes
 * have survived — peak memory following the row count. Here each string costs its bytes in the
 * buffer and two numbers in typed arrays, and the collector never walks them.
 *
 * `utf8` is compact for what is mostly ASCII; `utf16le` gives back any string exactly, lone
 * surrogates included.
 */

/** A copy of `array` with room for `capacity` entries. */
export function grownInt32(array: Int32Array, capacity: number): Int32Array {
  const copy = new Int32Array(capacity);
  copy.set(array);
  return copy;
}

export class OffHeapTexts {
  private bytes = Buffer.alloc(0);
  private used = 0;
  private starts: Int32Array = new Int32Array(0);
  /** Each text's byte length; -1 for one pushed as undefined, or forgotten. */
  private lengths: Int32Array = new Int32Array(0);
  private size = 0;

  constructor(private readonly encoding: 'utf8' | 'utf16le') {}

  /** How many texts were pushed. */
  get count(): number {
    return this.size;
  }

  /** Bytes the texts take in the buffer. */
  get byteLength(): number {
    return this.used;
  }

  /** Keeps `text` (undefined is kept as such); returns its index. */
  push(text: string | undefined): number {
    if (this.size === this.starts.length) {
      const capacity = Math.max(64, 2 * this.size);
      this.starts = grownInt32(this.starts, capacity);
      this.lengths = grownInt32(this.lengths, capacity);
    }
    const index = this.size++;
    this.starts[index] = this.used;
    if (text === undefined) {
      this.lengths[index] = -1;
      return index;
    }
    const length = Buffer.byteLength(text, this.encoding);
    if (this.used + length > this.bytes.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(2 * this.bytes.length, this.used + length, 16 * 1024));
      this.bytes.copy(grown, 0, 0, this.used);
      this.bytes = grown;
    }
    this.used += this.bytes.write(text, this.used, this.encoding);
    this.lengths[index] = length;
    return index;
  }

  /** The text at `index`, made anew; undefined when it was pushed as undefined or forgotten. */
  at(index: number): string | undefined {
    const length = this.lengths[index] ?? -1;
    if (length < 0) return undefined;
    const start = this.starts[index] ?? 0;
    return this.bytes.toString(this.encoding, start, start + length);
  }

  /** From now on `at(index)` gives undefined (its bytes stay until the store goes). */
  forget(index: number): void {
    if (index < this.size) this.lengths[index] = -1;
  }
}
