import { describe, expect, it } from 'vitest';
import { GaugeStore } from '../../../../workers/shard/gauge.js';

const RECORD = 65536;

describe('GaugeStore keeping stream order (more than one shard)', () => {
  it('drains a set-only series as id, samples, hasSet, setOrder, setValue and no deltas', () => {
    const gauges = new GaugeStore({ keepsOrder: true });
    gauges.set(1, 5, 2 * RECORD + 3);
    gauges.set(1, 7, 4 * RECORD);

    expect([...gauges.drain()]).toEqual([1, 2, 1, 4 * RECORD, 7, 0]);
  });

  it('logs deltas with their positions, one entry per record, summed within a record', () => {
    const gauges = new GaugeStore({ keepsOrder: true });
    gauges.add(5, 1, 0 * RECORD + 1);
    gauges.add(5, 2, 0 * RECORD + 4);
    gauges.add(5, -10, 3 * RECORD + 0);
    gauges.add(5, 0.5, 3 * RECORD + 2);
    gauges.add(5, 4, 9 * RECORD + 7);

    expect([...gauges.drain()]).toEqual([
      ...[5, 5, 0, 0, 0, 3],
      ...[0 * RECORD + 1, 3, 3 * RECORD, -9.5, 9 * RECORD + 7, 4],
    ]);
  });

  it('keeps only the deltas after the last set', () => {
    const gauges = new GaugeStore({ keepsOrder: true });
    gauges.add(9, 3, 1 * RECORD);
    gauges.set(9, 100, 2 * RECORD + 5);
    gauges.add(9, -1, 2 * RECORD + 6);
    gauges.add(9, -1, 4 * RECORD);

    expect([...gauges.drain()]).toEqual([
      ...[9, 4, 1, 2 * RECORD + 5, 100, 2],
      ...[2 * RECORD + 6, -1, 4 * RECORD, -1],
    ]);
  });

  it('does not fold a delta into one logged before a set of the same record', () => {
    const gauges = new GaugeStore({ keepsOrder: true });
    gauges.add(9, 3, 2 * RECORD + 1);
    gauges.set(9, 10, 2 * RECORD + 2);
    gauges.add(9, 4, 2 * RECORD + 3);

    expect([...gauges.drain()]).toEqual([9, 3, 1, 2 * RECORD + 2, 10, 1, 2 * RECORD + 3, 4]);
  });

  it('drains several series back to back and starts over empty', () => {
    const gauges = new GaugeStore({ keepsOrder: true });
    gauges.set(1, 2, 0);
    gauges.add(5, 1, RECORD);

    expect([...gauges.drain()]).toEqual([1, 1, 1, 0, 2, 0, 5, 1, 0, 0, 0, 1, RECORD, 1]);
    expect([...gauges.drain()]).toEqual([]);
  });
});

describe('GaugeStore with one shard', () => {
  it('folds every delta after the last set into one entry, whatever the record', () => {
    const gauges = new GaugeStore({ keepsOrder: false });
    gauges.add(5, 1, 0 * RECORD + 1);
    gauges.add(5, 2, 3 * RECORD);
    gauges.set(5, 50, 4 * RECORD);
    gauges.add(5, -5, 5 * RECORD);
    gauges.add(5, -6, 8 * RECORD + 2);

    expect([...gauges.drain()]).toEqual([5, 5, 1, 4 * RECORD, 50, 1, 5 * RECORD, -11]);
  });
});
