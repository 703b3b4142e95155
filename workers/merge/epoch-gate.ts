import type { MergerTick, ShardDelta } from '../../src/protocol.js';

/** One epoch's material, complete or given up waiting for. */
export interface ClosedEpoch {
  epoch: number;
  tick: MergerTick;
  deltas: ShardDelta[];
}

interface PendingEpoch {
  tick: MergerTick | null;
  deltas: ShardDelta[];
  shards: Set<number>;
}

/**
 * Releases epochs to the merger strictly in order, each once the main thread's tick and a
 * delta from every shard expected for it have arrived. Order matters for gauges: epoch e's
 * sets and deltas must be replayed before e + 1's.
 *
 * Three ways an epoch can be short of a shard's delta:
 *  - the shard is slow: wait, but never more than `maxWaitEpochs` ticks;
 *  - the shard died: its new generation reports from a later epoch (`expect`), so earlier
 *    epochs stop waiting for it;
 *  - the delta arrives after its epoch was released: `late` returns it for folding alone;
 *  - the shard will never send one: it held that epoch back into a later delta while the
 *    merger was behind, or shipped it to a merger that died (`isSkipped`, shared memory;
 *    the delta that carries held epochs names the first, `heldFrom`, in case it comes first).
 *
 * The main thread may skip ticks while the merger is behind; a tick stands for every
 * earlier epoch still without one (ticks carry running totals, so none is lost).
 */
export class EpochGate {
  readonly #pending = new Map<number, PendingEpoch>();
  readonly #fromEpochByShard = new Map<number, number>();
  readonly #maxWaitEpochs: number;
  readonly #isSkipped: (shard: number, epoch: number) => boolean;
  #next: number;

  /** `firstEpoch`: where a replacement merger starts; what came before went with the old one. */
  constructor(options: {
    maxWaitEpochs: number;
    firstEpoch?: number;
    isSkipped?: (shard: number, epoch: number) => boolean;
  }) {
    this.#maxWaitEpochs = options.maxWaitEpochs;
    this.#next = options.firstEpoch ?? 0;
    this.#isSkipped = options.isSkipped ?? (() => false);
  }

  /** The next epoch to release. */
  get nextEpoch(): number {
    return this.#next;
  }

  /** Epochs ticked but not yet released. */
  get backlog(): number {
    return this.#pending.size;
  }

  /** From `fromEpoch` on, wait for `shard` (a new generation replaces what came before). */
  expect(shard: number, fromEpoch: number): void {
    this.#fromEpochByShard.set(shard, fromEpoch);
  }

  /**
   * Returns the delta when its epoch was already released: the caller folds it late.
   * `heldFrom`: the delta also carries epochs from this one on, which the shard held back.
   */
  addDelta(delta: ShardDelta, heldFrom = delta.epoch): ShardDelta | null {
    if (delta.epoch < this.#next) return delta;
    for (let epoch = Math.max(heldFrom, this.#next); epoch < delta.epoch; epoch++) {
      this.#pendingOf(epoch).shards.add(delta.shard);
    }
    const pending = this.#pendingOf(delta.epoch);
    pending.deltas.push(delta);
    pending.shards.add(delta.shard);
    return null;
  }

  addTick(tick: MergerTick): void {
    if (tick.epoch < this.#next) return;
    for (let epoch = this.#next; epoch < tick.epoch; epoch++) {
      const pending = this.#pendingOf(epoch);
      pending.tick ??= tick;
    }
    this.#pendingOf(tick.epoch).tick = tick;
  }

  /** Every epoch that can be released now, oldest first. */
  takeReleasable(): ClosedEpoch[] {
    const released: ClosedEpoch[] = [];
    for (;;) {
      const pending = this.#pending.get(this.#next);
      if (pending === undefined || pending.tick === null) return released;
      if (!this.#isComplete(this.#next, pending) && !this.#hasWaitedEnough()) return released;
      released.push({ epoch: this.#next, tick: pending.tick, deltas: pending.deltas });
      this.#pending.delete(this.#next);
      this.#next++;
    }
  }

  #isComplete(epoch: number, pending: PendingEpoch): boolean {
    for (const [shard, fromEpoch] of this.#fromEpochByShard) {
      if (fromEpoch > epoch || pending.shards.has(shard)) continue;
      if (!this.#isSkipped(shard, epoch)) return false;
    }
    return true;
  }

  #hasWaitedEnough(): boolean {
    let newestTicked = -1;
    for (const [epoch, pending] of this.#pending) {
      if (pending.tick !== null && epoch > newestTicked) newestTicked = epoch;
    }
    return newestTicked - this.#next >= this.#maxWaitEpochs;
  }

  #pendingOf(epoch: number): PendingEpoch {
    let pending = this.#pending.get(epoch);
    if (pending === undefined) {
      pending = { tick: null, deltas: [], shards: new Set() };
      this.#pending.set(epoch, pending);
    }
    return pending;
  }
}
