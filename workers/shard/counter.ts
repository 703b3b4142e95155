import { COUNTER_ROW } from '../../src/protocol.js';
import { GrowableRows, RowIndex } from './row-index.js';

/** Counter increments of one epoch. Rows: id, samples, sum of increments. */
export class CounterStore {
  readonly #rows = new RowIndex();
  readonly #data = new GrowableRows(COUNTER_ROW);

  add(slot: number, id: number, increment: number): void {
    const row = this.#rows.touch(slot);
    const data = this.#data.ensure(row + 1);
    data[row * COUNTER_ROW] = id;
    data[row * COUNTER_ROW + 1] += 1;
    data[row * COUNTER_ROW + 2] += increment;
  }

  /** The epoch's rows as the ShardDelta `counters` array; the store starts over empty. */
  drain(): Float64Array {
    const drained = this.#data.take(this.#rows.rowCount);
    this.#rows.reset();
    return drained;
  }
}
