import * as hdr from 'hdr-histogram-js';
import { SUMMARY_VALUE_SCALE, type SummaryOptions } from '../../src/protocol.js';

/**
 * The observations of one summary series over the last `maxAgeMs`, as client_golang keeps
 * them (its age buckets), with HDR histograms in place of its quantile streams:
 *
 *   time ─┬─ slice k-4 ─┬─ slice k-3 ─┬─ ... ─┬─ slice k (now) ─┐   each maxAge / ageBuckets
 *         └──────────────── window: the last ageBuckets slices ─┘
 *
 * Slices are aligned to multiples of their width since the Unix epoch, so the window spans
 * between maxAge·(ageBuckets-1)/ageBuckets and maxAge of observations, as client_golang's
 * head stream does. `window` is the sum of the live slices, rebuilt when one leaves.
 */
interface Slice {
  index: number;
  histogram: hdr.Histogram;
}

export class SummaryWindow {
  readonly #sliceMs: number;
  readonly #ageBuckets: number;
  readonly #digits: 1 | 2 | 3 | 4;
  #slices: Slice[] = [];
  #window: hdr.Histogram | null = null;
  /** Set when the window changed since quantiles were last read. */
  isDirty = false;

  constructor(options: SummaryOptions) {
    this.#sliceMs = options.maxAgeMs / options.ageBuckets;
    this.#ageBuckets = options.ageBuckets;
    this.#digits = options.significantDigits as 1 | 2 | 3 | 4;
  }

  /** Adds one shard's encoded observations (workers/shard/summary.ts) at time `nowMs`. */
  add(encoded: string, nowMs: number): void {
    this.advance(nowMs);
    const observed = hdr.decodeFromCompressedBase64(encoded);
    const index = Math.floor(nowMs / this.#sliceMs);
    let current = this.#slices.at(-1);
    if (current === undefined || current.index !== index) {
      current = { index, histogram: this.#build() };
      this.#slices.push(current);
    }
    current.histogram.add(observed);
    this.#window ??= this.#build();
    this.#window.add(observed);
    this.isDirty = true;
  }

  /** Lets slices older than the window go. */
  advance(nowMs: number): void {
    const oldestLive = Math.floor(nowMs / this.#sliceMs) - this.#ageBuckets + 1;
    if (this.#slices.length === 0 || this.#slices[0].index >= oldestLive) return;
    this.#slices = this.#slices.filter((slice) => slice.index >= oldestLive);
    this.#window = null;
    if (this.#slices.length > 0) {
      this.#window = this.#build();
      for (const slice of this.#slices) this.#window.add(slice.histogram);
    }
    this.isDirty = true;
  }

  /**
   * The value at each quantile (0..1), in the exposed unit: the upper edge of the HDR bucket
   * holding that rank, so never below the true value and at most 10^-digits above it. NaN
   * when the window is empty, as client_golang reports.
   */
  quantiles(quantiles: readonly number[]): number[] {
    this.isDirty = false;
    const window = this.#window;
    if (window === null || window.totalCount === 0) return quantiles.map(() => NaN);
    return quantiles.map((q) => window.getValueAtPercentile(q * 100) / SUMMARY_VALUE_SCALE);
  }

  clear(): void {
    this.#slices = [];
    this.#window = null;
    this.isDirty = true;
  }

  #build(): hdr.Histogram {
    return hdr.build({ numberOfSignificantValueDigits: this.#digits });
  }
}
