import { describe, expect, it } from 'vitest';
import type { ShardDelta } from '../../../../src/protocol.js';
import { rebaseOrders } from '../../../../workers/shard/rebase-orders.js';

function heldDelta(): ShardDelta {
  return {
    shard: 0,
    generation: 0,
    epoch: 5,
    definitions: [{ id: 1, kind: 1, name: 'g', labels: [], firstOrder: 300 }],
    counters: new Float64Array([0, 1, 1]),
    // Two gauge records: a set at 300 then one delta at 310; no set, deltas at 20 and 450.
    gauges: new Float64Array([1, 2, 1, 300, 7, 1, 310, 1, 5, 2, 0, 0, 0, 2, 20, -1, 450, 2]),
    histograms: new Float64Array(0),
    histogramStride: 0,
    customHistograms: [],
    sets: [],
    groupOps: [{ method: 'put', order: 400, group: ['job', 'a'], receivedAtSeconds: 1 }],
    otlpPoints: [{ order: 420 } as never],
    stats: {} as never,
  } as ShardDelta;
}

describe('rebaseOrders', () => {
  it('moves every stream position back by the shift, and nothing else', () => {
    const delta = heldDelta();

    rebaseOrders(delta, 400);

    expect(delta.definitions[0].firstOrder).toBe(-100);
    expect([...delta.gauges]).toEqual([
      1, 2, 1, -100, 7, 1, -90, 1, 5, 2, 0, -400, 0, 2, -380, -1, 50, 2,
    ]);
    expect(delta.groupOps![0].order).toBe(0);
    expect(delta.otlpPoints![0].order).toBe(20);
    expect([...delta.counters]).toEqual([0, 1, 1]);
  });

  it('leaves a delta alone when the shift is zero', () => {
    const delta = heldDelta();
    rebaseOrders(delta, 0);
    expect(delta).toEqual(heldDelta());
  });
});
