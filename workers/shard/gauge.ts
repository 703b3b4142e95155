import { GAUGE_RECORD_HEAD } from '../../src/protocol.js';

/**
 * Gauge updates of one epoch, kept so the merger can replay them in stream order.
 *
 * A gauge mixes absolute sets and ±deltas, and one series' samples may land on any shard.
 * The value in-order processing gives is: the last set in the stream, plus every delta
 * that came after it. So each shard reports its own last set (with its stream position)
 * and the deltas after that set, each with its position. The merger takes the latest set
 * over all shards and adds the deltas, from every shard, that are positioned after it.
 *
 * Positions are `(seq - epochStartSeq) * 2^16 + line`. Deltas from one record are summed
 * into one entry: no other shard can hold a sample between two lines of the same record.
 */
interface GaugeEpochState {
  samples: number;
  hasSet: boolean;
  setOrder: number;
  setValue: number;
  /** Pairs: position, delta. */
  log: number[];
  lastRecord: number;
}

const LINES_PER_RECORD = 65536;

export class GaugeStore {
  #states = new Map<number, GaugeEpochState>();
  readonly #keepsOrder: boolean;

  /** With one shard there is no one to interleave with: deltas fold into one entry. */
  constructor(options: { keepsOrder: boolean }) {
    this.#keepsOrder = options.keepsOrder;
  }

  set(id: number, value: number, order: number): void {
    const state = this.#stateOf(id);
    state.samples++;
    state.hasSet = true;
    state.setOrder = order;
    state.setValue = value;
    state.log.length = 0;
    state.lastRecord = -1;
  }

  add(id: number, delta: number, order: number): void {
    const state = this.#stateOf(id);
    state.samples++;
    const record = Math.floor(order / LINES_PER_RECORD);
    const log = state.log;
    if (log.length > 0 && (!this.#keepsOrder || record === state.lastRecord)) {
      log[log.length - 1] += delta;
      return;
    }
    log.push(order, delta);
    state.lastRecord = record;
  }

  /** Records: id, samples, hasSet, setOrder, setValue, n, then n (position, delta) pairs. */
  drain(): Float64Array {
    let length = 0;
    for (const state of this.#states.values()) length += GAUGE_RECORD_HEAD + state.log.length;
    const out = new Float64Array(length);
    let at = 0;
    for (const [id, state] of this.#states) {
      out[at] = id;
      out[at + 1] = state.samples;
      out[at + 2] = state.hasSet ? 1 : 0;
      out[at + 3] = state.setOrder;
      out[at + 4] = state.setValue;
      out[at + 5] = state.log.length / 2;
      out.set(state.log, at + GAUGE_RECORD_HEAD);
      at += GAUGE_RECORD_HEAD + state.log.length;
    }
    this.#states = new Map();
    return out;
  }

  #stateOf(id: number): GaugeEpochState {
    let state = this.#states.get(id);
    if (state === undefined) {
      state = { samples: 0, hasSet: false, setOrder: 0, setValue: 0, log: [], lastRecord: -1 };
      this.#states.set(id, state);
    }
    return state;
  }
}
