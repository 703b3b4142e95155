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

  constructor(significantDigits: number) {
    this.#reference = new hdr.Int8Histogram(1, 2, significantDigits);
  }

  /** The bucket of a non-negative integer value. */
  indexOf(value: number): number {
    // HDR computes the index in floating point; `| 0` makes it a small integer, which Maps
    // and typed arrays take without boxing (indexes stay far below 2^31, see summary.ts).
    return this.#reference.countsArrayIndex(value) | 0;
  }

  /** hdr-histogram-js's valueFromIndex, in integer steps (a test holds them equal). */
  lowestValueAt(index: number): number {
    const reference = this.#reference;
    const half = reference.subBucketHalfCount;
    let bucket = Math.floor(index / half) - 1;
    let subBucket = (index % half) + half;
    if (bucket < 0) {
      subBucket -= half;
      bucket = 0;
    }
    return subBucket * 2 ** (bucket + reference.unitMagnitude);
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
