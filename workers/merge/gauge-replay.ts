/**
 * The value in-order processing gives a gauge, from what each shard saw of it during one
 * epoch (see workers/shard/gauge.ts for what a shard records):
 *  - no shard saw a set: the previous value plus every delta;
 *  - otherwise the latest set wins, plus the deltas positioned after it, from any shard.
 * Positions from different shards never tie: a record is read by exactly one shard.
 */
export interface GaugeContribution {
  hasSet: boolean;
  setOrder: number;
  setValue: number;
  /** Pairs: position, delta. All come after this shard's own last set. */
  log: Float64Array;
}

export function replayGauge(previous: number, contributions: readonly GaugeContribution[]): number {
  let winner: GaugeContribution | null = null;
  for (const contribution of contributions) {
    if (!contribution.hasSet) continue;
    if (winner === null || contribution.setOrder > winner.setOrder) winner = contribution;
  }

  if (winner === null) {
    let value = previous;
    for (const contribution of contributions) value += sumLog(contribution.log, -Infinity);
    return value;
  }

  let value = winner.setValue + sumLog(winner.log, -Infinity);
  for (const contribution of contributions) {
    if (contribution !== winner) value += sumLog(contribution.log, winner.setOrder);
  }
  return value;
}

function sumLog(log: Float64Array, after: number): number {
  let sum = 0;
  for (let i = 0; i < log.length; i += 2) {
    if (log[i] > after) sum += log[i + 1];
  }
  return sum;
}
