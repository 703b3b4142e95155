/**
 * Shared-memory block between the merger, the shards and the main thread: how far the
 * merger has folded, and what each shard did about it. It is what keeps a slow merger from
 * queueing deltas without bound, and what a merger restart reads to count its losses.
 *
 *   Int32 slot   0              1 + 3s          2 + 3s            3 + 3s
 *   +------------+--------------+---------------+-----------------+
 *   | FOLDED     | SKIP_THROUGH | HELD_EPOCHS   | LOST_RECORDS    |  ... one triple per shard s
 *   +------------+--------------+---------------+-----------------+
 *     merger       shard s        shard s         shard s adds,
 *     stores       raises         adds            main exchanges 0
 *
 *  - FOLDED: the newest epoch the merger has folded (-1 before the first). Shards and main
 *    load it to count how many of their messages the merger has not taken yet.
 *  - SKIP_THROUGH: shard s will never send a delta of its own for an epoch at or below
 *    this (held back into a later delta, or shipped to a merger that died). The epoch gate
 *    loads it instead of waiting.
 *  - HELD_EPOCHS: epochs shard s folded into a later delta because the merger was behind.
 *  - LOST_RECORDS: ring records in deltas shard s shipped to a merger that died before
 *    folding them; main moves them into catalyst_worker_lost_records_total each flush.
 * Every access is an Atomics load, store, add or exchange: each slot has one writer kind.
 */

const FOLDED_SLOT = 0;
const SLOTS_PER_SHARD = 3;
const SKIP_THROUGH = 1;
const HELD_EPOCHS = 2;
const LOST_RECORDS = 3;

/** Deltas a shard may have shipped and the merger not yet folded; past it, the shard holds. */
export const MAX_UNFOLDED_DELTAS = 4;

export function createMergeProgressBuffer(shards: number): SharedArrayBuffer {
  const buffer = new SharedArrayBuffer(4 * (1 + SLOTS_PER_SHARD * shards));
  const slots = new Int32Array(buffer);
  slots[FOLDED_SLOT] = -1;
  for (let shard = 0; shard < shards; shard++) slots[slot(shard, SKIP_THROUGH)] = -1;
  return buffer;
}

export class MergeProgress {
  readonly #slots: Int32Array;

  constructor(buffer: SharedArrayBuffer) {
    this.#slots = new Int32Array(buffer);
  }

  get shards(): number {
    return (this.#slots.length - 1) / SLOTS_PER_SHARD;
  }

  get foldedEpoch(): number {
    return Atomics.load(this.#slots, FOLDED_SLOT);
  }

  /** Merger only. */
  markFolded(epoch: number): void {
    Atomics.store(this.#slots, FOLDED_SLOT, epoch);
  }

  skipThrough(shard: number): number {
    if (shard >= this.shards) return -1;
    return Atomics.load(this.#slots, slot(shard, SKIP_THROUGH));
  }

  /** Shard only: the gate need not wait for this shard's delta of `epoch` or before. */
  skip(shard: number, epoch: number): void {
    const index = slot(shard, SKIP_THROUGH);
    if (Atomics.load(this.#slots, index) < epoch) Atomics.store(this.#slots, index, epoch);
  }

  /** Shard only. */
  countHeld(shard: number): void {
    Atomics.add(this.#slots, slot(shard, HELD_EPOCHS), 1);
  }

  /** Shard only. */
  countLost(shard: number, records: number): void {
    Atomics.add(this.#slots, slot(shard, LOST_RECORDS), records);
  }

  /** Held epochs over all shards, cumulative. */
  heldEpochs(): number {
    let total = 0;
    for (let shard = 0; shard < this.shards; shard++) {
      total += Atomics.load(this.#slots, slot(shard, HELD_EPOCHS));
    }
    return total;
  }

  /** Main only: lost records counted since the last call, over all shards. */
  takeLostRecords(): number {
    let total = 0;
    for (let shard = 0; shard < this.shards; shard++) {
      total += Atomics.exchange(this.#slots, slot(shard, LOST_RECORDS), 0);
    }
    return total;
  }
}

function slot(shard: number, which: number): number {
  return SLOTS_PER_SHARD * shard + which;
}
