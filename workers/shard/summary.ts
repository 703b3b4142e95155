import * as hdr from 'hdr-histogram-js';
import { SUMMARY_VALUE_SCALE, type ShardDelta, type SummaryOptions } from '../../src/protocol.js';

/**
 * Observations of summary series during one epoch. Quantiles cannot be added up from
 * buckets, so each series keeps its values in an HDR histogram (relative precision set by
 * the rule's `error`), which the merger merges into its sliding window. Emptied per delta.
 */
interface EpochSummary {
  samples: number;
  sum: number;
  count: number;
  histogram: hdr.Histogram;
}

// hdr-histogram-js resizes up to here; larger values are clamped so recording cannot throw.
const MAX_RECORDED = Number.MAX_SAFE_INTEGER / 4;
// Level 1 deflate: the encoding crosses a thread, not a network; speed matters more.
const COMPRESSION_LEVEL = 1;

export class SummaryStore {
  #byId = new Map<number, EpochSummary>();

  /** Records `value` as `weight` observations (weight is 1 / sample rate). */
  observe(id: number, value: number, weight: number, options: SummaryOptions): void {
    let summary = this.#byId.get(id);
    if (summary === undefined) {
      const histogram = hdr.build({
        numberOfSignificantValueDigits: options.significantDigits as 1 | 2 | 3 | 4,
      });
      summary = { samples: 0, sum: 0, count: 0, histogram };
      this.#byId.set(id, summary);
    }
    summary.samples++;
    summary.sum += value * weight;
    summary.count += weight;
    // LIMITATION: an HDR histogram holds no negative values; a negative observation enters
    // _sum and _count, and the quantiles as 0.
    const scaled = Math.min(MAX_RECORDED, Math.max(0, Math.round(value * SUMMARY_VALUE_SCALE)));
    summary.histogram.recordValueWithCount(scaled, Math.max(1, Math.round(weight)));
  }

  drain(): ShardDelta['summaries'] {
    if (this.#byId.size === 0) return undefined;
    const rows: NonNullable<ShardDelta['summaries']> = [];
    for (const [id, summary] of this.#byId) {
      const encoded = hdr.encodeIntoCompressedBase64(summary.histogram, COMPRESSION_LEVEL);
      rows.push([id, summary.samples, summary.sum, summary.count, encoded]);
    }
    this.#byId = new Map();
    return rows;
  }
}
