import type { ShardDelta } from '../../src/protocol.js';

/**
 * Moves every stream position in `delta` back by `shift`. A shard that held epochs back
 * ships positions counted from the cut that opened its hold; the other shards' deltas of the
 * same epoch count from that epoch's cut. Rebased, the held samples sort before theirs
 * (negative positions), as they came before them, and gauge replay and name claims across
 * shards compare like with like.
 */
export function rebaseOrders(delta: ShardDelta, shift: number): void {
  if (shift === 0) return;
  for (const definition of delta.definitions) definition.firstOrder -= shift;
  rebaseGaugeOrders(delta.gauges, shift);
  for (const op of delta.groupOps ?? []) op.order -= shift;
  for (const point of delta.otlpPoints ?? []) point.order -= shift;
}

/** Gauge records: id, samples, hasSet, setOrder, setValue, n, then n (order, delta) pairs. */
function rebaseGaugeOrders(gauges: Float64Array, shift: number): void {
  let at = 0;
  while (at < gauges.length) {
    gauges[at + 3] -= shift;
    const pairs = gauges[at + 5];
    at += 6;
    for (let pair = 0; pair < pairs; pair++, at += 2) gauges[at] -= shift;
  }
}
