import { SUMMARY_VALUE_SCALE, type ShardDelta, type SummaryOptions } from '../../src/protocol.js';
import { BucketCounts } from './bucket-counts.js';
import { bucketsFor, type SummaryBuckets } from './summary-buckets.js';

/**
 * Observations of summary series during one epoch. Quantiles cannot be added up from
 * buckets, so each series counts its values per HDR bucket (relative precision set by the
 * rule's `error`), only the buckets it used; the merger adds them into its sliding window.
 * Emptied per delta.
 */
interface EpochSummary {
  samples: number;
  sum: number;
  count: number;
  buckets: SummaryBuckets;
  counts: BucketCounts;
}

// Larger values are clamped, so a bucket index stays a small exact integer.
const MAX_RECORDED = Number.MAX_SAFE_INTEGER / 4;

export class SummaryStore {
  #byId = new Map<number, EpochSummary>();

  /** Records `value` as `weight` observations (weight is 1 / sample rate). */
  observe(id: number, value: number, weight: number, options: SummaryOptions): void {
    let summary = this.#byId.get(id);
    if (summary === undefined) {
      const buckets = bucketsFor(options.significantDigits);
      summary = { samples: 0, sum: 0, count: 0, buckets, counts: new BucketCounts() };
      this.#byId.set(id, summary);
    }
    summary.samples++;
    summary.sum += value * weight;
    summary.count += weight;
    // LIMITATION: HDR buckets hold no negative values; a negative observation enters
    // _sum and _count, and the quantiles as 0.
    const scaled = Math.min(MAX_RECORDED, Math.max(0, Math.round(value * SUMMARY_VALUE_SCALE)));
    summary.counts.add(summary.buckets.indexOf(scaled), Math.max(1, Math.round(weight)));
  }

  drain(): ShardDelta['summaries'] {
    if (this.#byId.size === 0) return undefined;
    const rows: NonNullable<ShardDelta['summaries']> = [];
    for (const [id, summary] of this.#byId) {
      rows.push([id, summary.samples, summary.sum, summary.count, encodeBuckets(summary)]);
    }
    this.#byId = new Map();
    return rows;
  }
}

/** (lowest value, count) pairs ascending, as summary-buckets.ts describes the wire. */
function encodeBuckets({ buckets, counts }: EpochSummary): Float64Array {
  const pairs = new Float64Array(counts.size * 2);
  let at = 0;
  counts.forEach((index, count) => {
    pairs[at++] = buckets.lowestValueAt(index);
    pairs[at++] = count;
  });
  return pairs;
}
