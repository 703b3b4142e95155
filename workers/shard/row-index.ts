/**
 * Maps a series slot to its row in this epoch's buffer. A shard only ships series touched
 * during the epoch, so rows are handed out on first touch and all forgotten at the cut:
 * memory follows what one epoch touches, not everything the shard has ever seen.
 */
export class RowIndex {
  #rowBySlot: Int32Array = new Int32Array(1024).fill(-1);
  #touchedSlots: number[] = [];

  get rowCount(): number {
    return this.#touchedSlots.length;
  }

  /** The slot's row, or -1 when the slot was not touched this epoch. */
  rowOf(slot: number): number {
    return slot < this.#rowBySlot.length ? this.#rowBySlot[slot] : -1;
  }

  /** Gives the slot a row if it has none; returns the row. */
  touch(slot: number): number {
    if (slot >= this.#rowBySlot.length) this.#grow(slot);
    const row = this.#rowBySlot[slot];
    if (row >= 0) return row;
    const created = this.#touchedSlots.length;
    this.#rowBySlot[slot] = created;
    this.#touchedSlots.push(slot);
    return created;
  }

  /** Forgets every row; the next epoch starts empty. */
  reset(): void {
    for (const slot of this.#touchedSlots) this.#rowBySlot[slot] = -1;
    this.#touchedSlots.length = 0;
  }

  #grow(slot: number): void {
    let length = this.#rowBySlot.length * 2;
    while (length <= slot) length *= 2;
    const grown = new Int32Array(length).fill(-1);
    grown.set(this.#rowBySlot);
    this.#rowBySlot = grown;
  }
}

/** A Float64Array that doubles as rows are added; `view` is what a delta ships. */
export class GrowableRows {
  #data: Float64Array;
  readonly stride: number;

  constructor(stride: number, initialRows = 256) {
    this.stride = stride;
    this.#data = new Float64Array(stride * initialRows);
  }

  /** Makes room for `rows` rows and returns the backing array (it may have moved). */
  ensure(rows: number): Float64Array {
    const needed = rows * this.stride;
    if (needed > this.#data.length) {
      let length = this.#data.length * 2;
      while (length < needed) length *= 2;
      const grown = new Float64Array(length);
      grown.set(this.#data);
      this.#data = grown;
    }
    return this.#data;
  }

  /** A copy of the first `rows` rows, zeroing them for reuse. */
  take(rows: number): Float64Array {
    const used = rows * this.stride;
    const copy = this.#data.slice(0, used);
    this.#data.fill(0, 0, used);
    return copy;
  }
}
