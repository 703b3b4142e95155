import { HISTOGRAM_ROW_HEAD } from '../../src/protocol.js';
import { GrowableRows, RowIndex } from './row-index.js';

/**
 * Observations of one epoch, bucketed on arrival: a Prometheus histogram needs only bucket
 * counts, a sum and a count, so the shard never keeps the values themselves.
 * Rows: id, samples, sum, count, then one count per upper bound and a last one for +Inf.
 * Counts are not cumulative here; the merger makes them so when it renders.
 */
export class HistogramStore {
  readonly #rows = new RowIndex();
  readonly #data: GrowableRows;
  readonly #upperBounds: Float64Array;
  readonly stride: number;

  /** `upperBounds` sorted ascending, finite; +Inf is implied. */
  constructor(upperBounds: readonly number[]) {
    this.#upperBounds = Float64Array.from(upperBounds);
    this.stride = HISTOGRAM_ROW_HEAD + upperBounds.length + 1;
    this.#data = new GrowableRows(this.stride);
  }

  /** Records `value` as `weight` observations (weight is 1 / sample rate). */
  observe(slot: number, id: number, value: number, weight: number): void {
    const row = this.#rows.touch(slot);
    const data = this.#data.ensure(row + 1);
    const base = row * this.stride;
    data[base] = id;
    data[base + 1] += 1;
    data[base + 2] += value * weight;
    data[base + 3] += weight;
    data[base + HISTOGRAM_ROW_HEAD + this.#bucketOf(value)] += weight;
  }

  drain(): Float64Array {
    const drained = this.#data.take(this.#rows.rowCount);
    this.#rows.reset();
    return drained;
  }

  /** Index of the first bound >= value (`le` is inclusive); bounds.length means +Inf. */
  #bucketOf(value: number): number {
    const bounds = this.#upperBounds;
    let low = 0;
    let high = bounds.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (bounds[middle] < value) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
