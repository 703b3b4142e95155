import { SUMMARY_VALUE_SCALE, type SummaryOptions } from '../../src/protocol.js';
import { bucketsFor, type SummaryBuckets } from '../shard/summary-buckets.js';

/**
 * The observations of one summary series over the last `maxAgeMs`, as client_golang keeps
 * them (its age buckets), with HDR buckets in place of its quantile streams:
 *
 *   time ─┬─ slice k-4 ─┬─ slice k-3 ─┬─ ... ─┬─ slice k (now) ─┐   each maxAge / ageBuckets
 *         └──────────────── window: the last ageBuckets slices ─┘
 *
 * Slices are aligned to multiples of their width since the Unix epoch, so the window spans
 * between maxAge·(ageBuckets-1)/ageBuckets and maxAge of observations, as client_golang's
 * head stream does. A slice keeps only its non-empty buckets, sorted (12 bytes each); there
 * is no window histogram: quantiles merge the live slices when read, and only a window that
 * changed is read (summary-family.ts).
 */
interface Slice {
  index: number;
  /** HDR bucket indexes, ascending, and their counts. */
  buckets: Int32Array;
  counts: Float64Array;
  total: number;
}

export class SummaryWindow {
  readonly #sliceMs: number;
  readonly #ageBuckets: number;
  readonly #buckets: SummaryBuckets;
  #slices: Slice[] = [];
  /** Set when the window changed since quantiles were last read. */
  isDirty = false;

  constructor(options: SummaryOptions) {
    this.#sliceMs = options.maxAgeMs / options.ageBuckets;
    this.#ageBuckets = options.ageBuckets;
    this.#buckets = bucketsFor(options.significantDigits);
  }

  /** Adds one shard's (value, count) pairs (workers/shard/summary.ts) at time `nowMs`. */
  add(pairs: Float64Array, nowMs: number): void {
    this.advance(nowMs);
    const index = Math.floor(nowMs / this.#sliceMs);
    let current = this.#slices.at(-1);
    if (current === undefined || current.index !== index) {
      current = { index, buckets: new Int32Array(0), counts: new Float64Array(0), total: 0 };
      this.#slices.push(current);
    }
    mergeInto(current, pairs, this.#buckets);
    this.isDirty = true;
  }

  /** Lets slices older than the window go. */
  advance(nowMs: number): void {
    const oldestLive = Math.floor(nowMs / this.#sliceMs) - this.#ageBuckets + 1;
    if (this.#slices.length === 0 || this.#slices[0].index >= oldestLive) return;
    this.#slices = this.#slices.filter((slice) => slice.index >= oldestLive);
    this.isDirty = true;
  }

  /**
   * The value at each quantile (0..1), in the exposed unit: the upper edge of the HDR bucket
   * holding that rank (the lower edge for 0), so never below the true value and at most
   * 10^-digits above it. The rank is hdr-histogram-js's getValueAtPercentile's. NaN when the
   * window is empty, as client_golang reports.
   */
  quantiles(quantiles: readonly number[]): number[] {
    this.isDirty = false;
    let total = 0;
    for (const slice of this.#slices) total += slice.total;
    if (total === 0) return quantiles.map(() => NaN);

    const ranks = quantiles.map((q) => rankOf(q, total));
    const order = ranks.map((_, i) => i).sort((a, b) => ranks[a] - ranks[b]);
    const values = quantiles.map(() => 0);
    let next = 0;
    const visit = (bucket: number, cumulative: number): boolean => {
      for (; next < order.length && cumulative >= ranks[order[next]]; next++) {
        const at = order[next];
        const edge =
          quantiles[at] === 0
            ? this.#buckets.lowestValueAt(bucket)
            : this.#buckets.highestValueAt(bucket);
        values[at] = edge / SUMMARY_VALUE_SCALE;
      }
      return next < order.length;
    };
    if (this.#slices.length === 1) walkSlice(this.#slices[0], visit);
    else walkMerged(this.#slices, visit);
    return values;
  }

  clear(): void {
    this.#slices = [];
    this.isDirty = true;
  }
}

/** HDR's rank for a quantile: the count at the percentile, rounded up, at least 1. */
function rankOf(quantile: number, total: number): number {
  const exact = (Math.min(quantile * 100, 100) / 100) * total;
  const ulp = Math.pow(2, Math.floor(Math.log2(exact)) - 52);
  return Math.max(Math.ceil(exact - ulp), 1);
}

type Visit = (bucket: number, cumulative: number) => boolean;

/** Visits a slice's buckets in ascending order with the running count, until told to stop. */
function walkSlice(slice: Slice, visit: Visit): void {
  let cumulative = 0;
  for (let at = 0; at < slice.buckets.length; at++) {
    cumulative += slice.counts[at];
    if (!visit(slice.buckets[at], cumulative)) return;
  }
}

// A window is added up in a dense scratch array when its slices' indexes span at most this
// many slots and not many more than the buckets it holds; a sparse or wider one, k-way merged.
const MAX_SCRATCH_SPAN = 65_536;
const MAX_SCRATCH_SLOTS_PER_BUCKET = 8;
let scratch = new Float64Array(0);

/**
 * Visits the buckets of several slices as one, ascending. Dense: add every slice into the
 * scratch array over the span of their indexes, scan it, clear it (linear in the span).
 * Otherwise a k-way merge of the slices (k is at most age_buckets).
 */
function walkMerged(slices: readonly Slice[], visit: Visit): void {
  let low = Infinity;
  let high = -Infinity;
  let held = 0;
  for (const { buckets } of slices) {
    if (buckets.length === 0) continue;
    low = Math.min(low, buckets[0]);
    high = Math.max(high, buckets[buckets.length - 1]);
    held += buckets.length;
  }
  const span = high - low + 1;
  if (span > MAX_SCRATCH_SPAN || span > held * MAX_SCRATCH_SLOTS_PER_BUCKET) {
    walkKWay(slices, visit);
    return;
  }
  if (scratch.length < span) scratch = new Float64Array(span);
  for (const { buckets, counts } of slices) {
    for (let at = 0; at < buckets.length; at++) scratch[buckets[at] - low] += counts[at];
  }
  let cumulative = 0;
  for (let at = 0; at < span; at++) {
    if (scratch[at] === 0) continue;
    cumulative += scratch[at];
    if (!visit(low + at, cumulative)) break;
  }
  scratch.fill(0, 0, span);
}

function walkKWay(slices: readonly Slice[], visit: Visit): void {
  const cursors = slices.map(() => 0);
  let cumulative = 0;
  for (;;) {
    let lowest = -1;
    for (let s = 0; s < slices.length; s++) {
      const at = cursors[s];
      if (at < slices[s].buckets.length && (lowest < 0 || slices[s].buckets[at] < lowest)) {
        lowest = slices[s].buckets[at];
      }
    }
    if (lowest < 0) return;
    for (let s = 0; s < slices.length; s++) {
      const at = cursors[s];
      if (at < slices[s].buckets.length && slices[s].buckets[at] === lowest) {
        cumulative += slices[s].counts[at];
        cursors[s]++;
      }
    }
    if (!visit(lowest, cumulative)) return;
  }
}

/** Merges ascending (value, count) pairs into a slice's ascending buckets. */
function mergeInto(slice: Slice, pairs: Float64Array, buckets: SummaryBuckets): void {
  const incoming = pairs.length / 2;
  const merged = new Int32Array(slice.buckets.length + incoming);
  const counts = new Float64Array(merged.length);
  let size = 0;
  let old = 0;
  for (let i = 0; i <= incoming; i++) {
    const bucket = i < incoming ? buckets.indexOf(pairs[2 * i]) : Infinity;
    for (; old < slice.buckets.length && slice.buckets[old] < bucket; old++) {
      size = append(merged, counts, size, slice.buckets[old], slice.counts[old]);
    }
    if (i === incoming) break;
    size = append(merged, counts, size, bucket, pairs[2 * i + 1]);
    slice.total += pairs[2 * i + 1];
  }
  // Trimmed copies: a slice lives for max_age / age_buckets, its spare room would too.
  slice.buckets = size === merged.length ? merged : merged.slice(0, size);
  slice.counts = size === counts.length ? counts : counts.slice(0, size);
}

/** Appends a bucket, or adds to the last one when equal. Returns the new size. */
function append(
  buckets: Int32Array,
  counts: Float64Array,
  size: number,
  bucket: number,
  count: number,
): number {
  if (size > 0 && buckets[size - 1] === bucket) {
    counts[size - 1] += count;
    return size;
  }
  buckets[size] = bucket;
  counts[size] = count;
  return size + 1;
}
