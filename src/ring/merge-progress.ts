/**
 * Shared-memory block between the merger, the shards and the main thread: how far the
 * merger has folded, and what each shard did about it. It is what keeps a slow merger from
 * queueing deltas without bound, and what a merger restart reads to count its losses.
 *
 *   Int32 slot  0        1 + 4s      2 + 4s        3 + 4s        4 + 4s
 *   +---------+-----------+-------------+-------------+--------------+
 *   | FOLDED  | SKIP_FROM | SKIP_THROUGH| HELD_EPOCHS | LOST_RECORDS |  ... one run per shard s
 *   +---------+-----------+-------------+-------------+--------------+
 *     merger    shard s stores FROM,      shard s       shard s adds,
 *     stores    then THROUGH              adds          main exchanges 0
 *
 *  - FOLDED: the newest epoch the merger has folded (-1 before the first). Shards and main
 *    load it to count how many of their messages the merger has not taken yet.
 *  - SKIP_FROM..SKIP_THROUGH: epochs for which shard s will never send a delta of its own
 *    (held back into a later delta, or shipped to a merger that died). The epoch gate loads
 *    THROUGH, then FROM, instead of waiting. The shard stores FROM first, so a reader that
 *    sees a new THROUGH sees its FROM, and one that sees a new FROM with the old THROUGH
 *    reads an empty range: never one that covers a delta really sent.
 *  - HELD_EPOCHS: epochs shard s folded into a later delta because the merger was behind.
 *  - LOST_RECORDS: ring records in deltas shard s shipped to a merger that died before
 *    folding them; main moves them into catalyst_worker_lost_records_total each flush.
 */

const FOLDED_SLOT = 0;
const SLOTS_PER_SHARD = 4;
const SKIP_FROM = 1;
const SKIP_THROUGH = 2;
const HELD_EPOCHS = 3;
const LOST_RECORDS = 4;

/** Deltas a shard may have shipped and the merger not yet folded; past it, the shard holds. */
export const MAX_UNFOLDED_DELTAS = 4;

export function createMergeProgressBuffer(shards: number): SharedArrayBuffer {
  const buffer = new SharedArrayBuffer(4 * (1 + SLOTS_PER_SHARD * shards));
  const slots = new Int32Array(buffer);
  slots[FOLDED_SLOT] = -1;
  // An empty skip range: FROM after THROUGH.
  for (let shard = 0; shard < shards; shard++) {
    slots[slot(shard, SKIP_FROM)] = 0;
    slots[slot(shard, SKIP_THROUGH)] = -1;
  }
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

  /** True when shard `shard` said it will send no delta of its own for `epoch`. */
  isSkipped(shard: number, epoch: number): boolean {
    if (shard >= this.shards) return false;
    const through = Atomics.load(this.#slots, slot(shard, SKIP_THROUGH));
    const from = Atomics.load(this.#slots, slot(shard, SKIP_FROM));
    return from <= epoch && epoch <= through;
  }

  /**
   * Shard only: no delta of its own will come for epochs `from` to `through`. A range that
   * continues or overlaps the one stored extends it; any other replaces it.
   */
  skip(shard: number, from: number, through: number): void {
    const fromSlot = slot(shard, SKIP_FROM);
    const throughSlot = slot(shard, SKIP_THROUGH);
    const storedFrom = Atomics.load(this.#slots, fromSlot);
    const storedThrough = Atomics.load(this.#slots, throughSlot);
    const continues = storedFrom <= from && from <= storedThrough + 1;
    if (!continues) Atomics.store(this.#slots, fromSlot, from);
    Atomics.store(this.#slots, throughSlot, continues ? Math.max(through, storedThrough) : through);
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
