/**
 * Counts per HDR bucket index, for one series during one epoch, in one of two layouts:
 *  - sparse (a Map of the non-empty buckets): where every series starts, so a series seen a
 *    few times costs a few entries whatever the spread of its values;
 *  - dense (one Uint32Array over the span of indexes seen): taken once the buckets fill a
 *    16th of their span, as a busy series' do, so the array is at most about twice the Map;
 *    cheaper to count into. It grows by doubling; past MAX_DENSE_SPAN (64 kB), or a count
 *    past 2^32 - 1, the series goes back to sparse for the rest of the epoch, so an outlier
 *    far away cannot make the array huge. Counts are whole (weights are rounded).
 */
const MAX_DENSE_SPAN = 16_384;
const MAX_DENSE_COUNT = 0xffffffff;
const MIN_DENSE_BUCKETS = 64;
// A Map entry costs about 30 bytes with its share of the hash table, a slot 4: dense may
// take twice the Map's memory (64 kB at most), for counting without hashing or sorting.
const MAX_DENSE_SLOTS_PER_BUCKET = 16;
const POSITIONS = 2 ** 24;

export class BucketCounts {
  #sparse: Map<number, number> | null = new Map();
  #hasLeftDense = false;
  #low = Infinity;
  #high = -Infinity;
  #base = 0;
  #dense = new Uint32Array(0);

  add(index: number, count: number): void {
    const sparse = this.#sparse;
    if (sparse === null) {
      const at = index - this.#base;
      if (at < 0 || at >= this.#dense.length) this.#addOutside(index, count);
      else if (this.#dense[at] + count > MAX_DENSE_COUNT) this.#leaveDense(index, count);
      else this.#dense[at] += count;
      return;
    }
    sparse.set(index, (sparse.get(index) ?? 0) + count);
    if (index < this.#low) this.#low = index;
    if (index > this.#high) this.#high = index;
    if (sparse.size >= MIN_DENSE_BUCKETS && !this.#hasLeftDense) this.#considerDense(sparse);
  }

  /** Visits the non-empty buckets in ascending order of index. */
  forEach(visit: (index: number, count: number) => void): void {
    const sparse = this.#sparse;
    if (sparse !== null) {
      // Sorted once as index·2^24 + position in `counts`, exact in a double (indexes stay
      // below 2^23): cheaper than a Map lookup per sorted index.
      const keys = new Float64Array(sparse.size);
      const counts = new Float64Array(sparse.size);
      let at = 0;
      for (const [index, count] of sparse) {
        keys[at] = index * POSITIONS + at;
        counts[at++] = count;
      }
      keys.sort();
      for (const key of keys) visit(Math.floor(key / POSITIONS), counts[key % POSITIONS]);
      return;
    }
    const dense = this.#dense;
    for (let at = 0; at < dense.length; at++) {
      if (dense[at] !== 0) visit(this.#base + at, dense[at]);
    }
  }

  /** Counts non-empty buckets. */
  get size(): number {
    if (this.#sparse !== null) return this.#sparse.size;
    let size = 0;
    for (const count of this.#dense) if (count !== 0) size++;
    return size;
  }

  #considerDense(sparse: Map<number, number>): void {
    const span = this.#high - this.#low + 1;
    if (span > MAX_DENSE_SPAN || span > sparse.size * MAX_DENSE_SLOTS_PER_BUCKET) return;
    const dense = new Uint32Array(span);
    for (const [index, count] of sparse) {
      if (count > MAX_DENSE_COUNT) {
        this.#hasLeftDense = true;
        return;
      }
      dense[index - this.#low] = count;
    }
    this.#base = this.#low;
    this.#dense = dense;
    this.#sparse = null;
  }

  /** Dense, and `index` is outside the array: grow it, or go back to sparse for good. */
  #addOutside(index: number, count: number): void {
    const old = this.#dense;
    const low = Math.min(index, this.#base);
    const high = Math.max(index + 1, this.#base + old.length);
    if (high - low > MAX_DENSE_SPAN || count > MAX_DENSE_COUNT) {
      this.#leaveDense(index, count);
      return;
    }
    const length = Math.min(MAX_DENSE_SPAN, Math.max(high - low, old.length * 2));
    // Grow towards the side that needed it, so a run of rising values copies rarely.
    const base = index < this.#base ? high - length : low;
    const dense = new Uint32Array(length);
    dense.set(old, this.#base - base);
    dense[index - base] += count;
    this.#base = base;
    this.#dense = dense;
  }

  /** Back to sparse for the rest of the epoch, with `count` more at `index`. */
  #leaveDense(index: number, count: number): void {
    const old = this.#dense;
    const sparse = new Map<number, number>();
    for (let at = 0; at < old.length; at++) if (old[at] !== 0) sparse.set(this.#base + at, old[at]);
    sparse.set(index, (sparse.get(index) ?? 0) + count);
    this.#sparse = sparse;
    this.#hasLeftDense = true;
    this.#dense = new Uint32Array(0);
  }
}
