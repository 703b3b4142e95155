import { describe, expect, it } from 'vitest';
import { EpochGate, type ClosedEpoch } from '../../../../workers/merge/epoch-gate.js';
import { mergerTick, shardDelta } from '../../../helpers/merge.js';

/** Which epochs came out, and from which shards each one's deltas are. */
function summary(released: ClosedEpoch[]): Array<[number, number[]]> {
  return released.map((closed) => [closed.epoch, closed.deltas.map((delta) => delta.shard)]);
}

function gateFor(shards: number, maxWaitEpochs = 5): EpochGate {
  const gate = new EpochGate({ maxWaitEpochs });
  for (let shard = 0; shard < shards; shard++) gate.expect(shard, 0);
  return gate;
}

describe('EpochGate', () => {
  it('releases an epoch once its tick and a delta from every shard are in', () => {
    const gate = gateFor(2);
    gate.addTick(mergerTick(0));
    expect(gate.addDelta(shardDelta({ shard: 1, epoch: 0 }))).toBeNull();
    expect(summary(gate.takeReleasable())).toEqual([]);

    gate.addDelta(shardDelta({ shard: 0, epoch: 0 }));
    const released = gate.takeReleasable();

    expect(summary(released)).toEqual([[0, [1, 0]]]);
    expect(released[0].tick.epoch).toBe(0);
    expect(gate.nextEpoch).toBe(1);
    expect(gate.backlog).toBe(0);
  });

  it('waits for the tick even when every delta is in', () => {
    const gate = gateFor(1);
    gate.addDelta(shardDelta({ shard: 0, epoch: 0 }));
    expect(summary(gate.takeReleasable())).toEqual([]);

    gate.addTick(mergerTick(0));
    expect(summary(gate.takeReleasable())).toEqual([[0, [0]]]);
  });

  it('holds a complete later epoch until the earlier ones are out, then releases in order', () => {
    const gate = gateFor(2);
    for (const epoch of [1, 2]) {
      gate.addTick(mergerTick(epoch));
      gate.addDelta(shardDelta({ shard: 0, epoch }));
      gate.addDelta(shardDelta({ shard: 1, epoch }));
    }
    gate.addTick(mergerTick(0));
    gate.addDelta(shardDelta({ shard: 0, epoch: 0 }));
    expect(summary(gate.takeReleasable())).toEqual([]);
    expect(gate.backlog).toBe(3);

    gate.addDelta(shardDelta({ shard: 1, epoch: 0 }));
    expect(summary(gate.takeReleasable())).toEqual([
      [0, [0, 1]],
      [1, [0, 1]],
      [2, [0, 1]],
    ]);
    expect(gate.nextEpoch).toBe(3);
  });

  it('stops waiting for a replaced shard before the epoch its new generation reports from', () => {
    const gate = gateFor(2);
    for (const epoch of [0, 1, 2]) {
      gate.addTick(mergerTick(epoch));
      gate.addDelta(shardDelta({ shard: 0, epoch }));
    }
    expect(summary(gate.takeReleasable())).toEqual([]);

    gate.expect(1, 2);
    expect(summary(gate.takeReleasable())).toEqual([
      [0, [0]],
      [1, [0]],
    ]);

    gate.addDelta(shardDelta({ shard: 1, epoch: 2, generation: 1 }));
    expect(summary(gate.takeReleasable())).toEqual([[2, [0, 1]]]);
  });

  it('releases without a silent shard once maxWaitEpochs later epochs are ticked', () => {
    const gate = gateFor(2, 2);
    for (const epoch of [0, 1]) {
      gate.addTick(mergerTick(epoch));
      gate.addDelta(shardDelta({ shard: 0, epoch }));
      expect(summary(gate.takeReleasable())).toEqual([]);
    }

    gate.addTick(mergerTick(2));
    expect(summary(gate.takeReleasable())).toEqual([[0, [0]]]);

    gate.addTick(mergerTick(3));
    expect(summary(gate.takeReleasable())).toEqual([[1, [0]]]);
    expect(gate.nextEpoch).toBe(2);
  });

  it('hands back a delta whose epoch was released without it, for a late fold', () => {
    const gate = gateFor(2, 1);
    gate.addTick(mergerTick(0));
    gate.addDelta(shardDelta({ shard: 0, epoch: 0 }));
    gate.addTick(mergerTick(1));
    expect(summary(gate.takeReleasable())).toEqual([[0, [0]]]);

    const late = shardDelta({ shard: 1, epoch: 0 });
    expect(gate.addDelta(late)).toBe(late);
    expect(gate.addDelta(shardDelta({ shard: 1, epoch: 1 }))).toBeNull();
    gate.addDelta(shardDelta({ shard: 0, epoch: 1 }));
    expect(summary(gate.takeReleasable())).toEqual([[1, [1, 0]]]);
  });

  it('releases ticked epochs at once when no shard is attached yet', () => {
    const gate = new EpochGate({ maxWaitEpochs: 5 });
    gate.addTick(mergerTick(0));
    gate.addTick(mergerTick(1));
    expect(summary(gate.takeReleasable())).toEqual([
      [0, []],
      [1, []],
    ]);
  });

  it('does not wait for a shard that said it will send no delta of its own for the epoch', () => {
    const gate = new EpochGate({
      maxWaitEpochs: 5,
      isSkipped: (shard, epoch) => shard === 1 && epoch === 0,
    });
    gate.expect(0, 0);
    gate.expect(1, 0);
    gate.addTick(mergerTick(0));
    gate.addTick(mergerTick(1));
    gate.addDelta(shardDelta({ shard: 0, epoch: 0 }));
    gate.addDelta(shardDelta({ shard: 0, epoch: 1 }));

    // Shard 1 held epoch 0 back into its next delta; epoch 1 is still owed.
    expect(summary(gate.takeReleasable())).toEqual([[0, [0]]]);
    gate.addDelta(shardDelta({ shard: 1, epoch: 1 }));
    expect(summary(gate.takeReleasable())).toEqual([[1, [0, 1]]]);
  });

  it('lets one tick stand for the earlier ones main skipped while the merger was behind', () => {
    const gate = gateFor(1);
    gate.addDelta(shardDelta({ shard: 0, epoch: 0 }));
    gate.addDelta(shardDelta({ shard: 0, epoch: 2 }));
    gate.addTick(mergerTick(2));
    expect(summary(gate.takeReleasable())).toEqual([[0, [0]]]);

    gate.addDelta(shardDelta({ shard: 0, epoch: 1 }));
    const released = gate.takeReleasable();

    expect(summary(released)).toEqual([
      [1, [0]],
      [2, [0]],
    ]);
    expect(released.map((closed) => closed.tick.epoch)).toEqual([2, 2]);
  });

  it('starts a replacement merger at its first epoch and hands back earlier deltas as late', () => {
    const gate = new EpochGate({ maxWaitEpochs: 5, firstEpoch: 7 });
    gate.expect(0, 7);
    const early = shardDelta({ shard: 0, epoch: 6 });

    expect(gate.addDelta(early)).toBe(early);
    gate.addTick(mergerTick(7));
    gate.addDelta(shardDelta({ shard: 0, epoch: 7 }));
    expect(summary(gate.takeReleasable())).toEqual([[7, [0]]]);
  });

  it('counts a delta that carries held epochs as that shard’s part of each of them', () => {
    const gate = gateFor(2);
    for (const epoch of [0, 1, 2]) {
      gate.addTick(mergerTick(epoch));
      gate.addDelta(shardDelta({ shard: 0, epoch }));
    }
    expect(summary(gate.takeReleasable())).toEqual([]);

    // Shard 1 held epochs 0 and 1 and ships them with epoch 2.
    gate.addDelta(shardDelta({ shard: 1, epoch: 2 }), 0);

    expect(summary(gate.takeReleasable())).toEqual([
      [0, [0]],
      [1, [0]],
      [2, [0, 1]],
    ]);
  });
});
