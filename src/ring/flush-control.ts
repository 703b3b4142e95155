import {
  CONTROL_CUT_BASE_SLOT,
  CONTROL_EPOCH_SLOT,
  CONTROL_STOP_SLOT,
  CUT_SLOTS,
  createControlBuffer,
} from './layout.js';
import type { RingDispatcher } from './ring-dispatcher.js';

/**
 * The main thread's side of the control block (see layout.ts): it cuts the stream into
 * epochs. A cut is the seq of the next record to be written, published before the epoch
 * number, so every record before it, on every ring, belongs to the closing epoch.
 */
export class FlushControl {
  readonly buffer = createControlBuffer();
  readonly #slots = new Int32Array(this.buffer);
  readonly #dispatcher: RingDispatcher;
  #epoch = 0;

  constructor(dispatcher: RingDispatcher) {
    this.#dispatcher = dispatcher;
  }

  /** The epoch now accumulating. */
  get epoch(): number {
    return this.#epoch;
  }

  /** Closes the current epoch and wakes every shard to ship it. Returns the closed epoch. */
  cut(): number {
    const closed = this.#epoch;
    const next = closed + 1;
    Atomics.store(
      this.#slots,
      CONTROL_CUT_BASE_SLOT + (next % CUT_SLOTS),
      this.#dispatcher.nextSeq | 0,
    );
    Atomics.store(this.#slots, CONTROL_EPOCH_SLOT, next);
    this.#epoch = next;
    for (const writer of this.#dispatcher.writers) writer.ring();
    return closed;
  }

  /** Asks shards to return once everything before the last cut is shipped. */
  requestStop(): void {
    Atomics.store(this.#slots, CONTROL_STOP_SLOT, 1);
    for (const writer of this.#dispatcher.writers) writer.ring();
  }
}
