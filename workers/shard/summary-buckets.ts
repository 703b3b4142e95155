import * as hdr from 'hdr-histogram-js';

/**
 * HDR bucket arithmetic without the counts: which bucket a value falls in, and the bucket's
 * edges. Summaries keep only the buckets that hold observations (summary.ts on the shard,
 * summary-window.ts in the merger), so memory follows what was observed, not the range.
 * Buckets are hdr-histogram-js's own, so quantiles read exactly what an HDR histogram would.
 *
 * On the wire (ShardDelta.summaries) a series' observations are a Float64Array of
 * (value, count) pairs, ascending by value, one per non-empty bucket, where value is the
 * bucket's lowest value in millionths of the exposed unit. Values, not indexes: a merger
 * whose family kept other digits re-buckets them instead of misreading them.
 */
export class SummaryBuckets {
  // Index math depends only on the digits and the lowest value (1); never recorded into.
  readonly #reference: hdr.JsHistogram;
  readonly #halfMagnitude: number;
  readonly #half: number;

  constructor(significantDigits: number) {
    this.#reference = new hdr.Int8Histogram(1, 2, significantDigits);
    // With a lowest value of 1 the unit magnitude is 0; the integer paths below rely on it.
    if (this.#reference.unitMagnitude !== 0) throw new Error('unitMagnitude must be 0');
    this.#halfMagnitude = this.#reference.subBucketHalfCountMagnitude;
    this.#half = this.#reference.subBucketHalfCount;
  }

  /**
   * The bucket of a non-negative integer value: hdr-histogram-js's countsArrayIndex, with
   * clz32 and shifts below 2^31 (most of the cost of recording otherwise), its own
   * floating-point path above. A test holds the two equal.
   */
  indexOf(value: number): number {
    if (value >= 2 ** 31) return this.#reference.countsArrayIndex(value) | 0;
    const bucket = Math.max(31 - Math.clz32(value) - this.#halfMagnitude, 0);
    const subBucket = value >>> bucket;
    return ((bucket + 1) << this.#halfMagnitude) + subBucket - this.#half;
  }

  /** hdr-histogram-js's valueFromIndex, in integer steps (a test holds them equal). */
  lowestValueAt(index: number): number {
    const half = this.#half;
    let bucket = Math.floor(index / half) - 1;
    let subBucket = (index % half) + half;
    if (bucket < 0) {
      subBucket -= half;
      bucket = 0;
    }
    return subBucket * 2 ** bucket;
  }

  highestValueAt(index: number): number {
    return this.#reference.highestEquivalentValue(this.#reference.valueFromIndex(index));
  }
}

const BY_DIGITS = new Map<number, SummaryBuckets>();

/** One shared instance per precision: they hold no counts. */
export function bucketsFor(significantDigits: number): SummaryBuckets {
  let buckets = BY_DIGITS.get(significantDigits);
  if (buckets === undefined) {
    buckets = new SummaryBuckets(significantDigits);
    BY_DIGITS.set(significantDigits, buckets);
  }
  return buckets;
}
