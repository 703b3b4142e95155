import { describe, expect, it } from 'vitest';
import { CounterStore } from '../../../../workers/shard/counter.js';

describe('CounterStore', () => {
  it('drains one row per series: id, samples, sum of increments, in first-touch order', () => {
    const counters = new CounterStore();
    counters.add(1, 4, 2);
    counters.add(0, 0, 1);
    counters.add(1, 4, 0.5);
    counters.add(1, 4, 10);

    expect([...counters.drain()]).toEqual([4, 3, 12.5, 0, 1, 1]);
  });

  it('starts over empty after a drain', () => {
    const counters = new CounterStore();
    counters.add(3, 12, 5);
    counters.drain();
    expect([...counters.drain()]).toEqual([]);

    counters.add(3, 12, 1);
    expect([...counters.drain()]).toEqual([12, 1, 1]);
  });

  it('keeps every row once more series than its initial room are touched', () => {
    const counters = new CounterStore();
    for (let slot = 0; slot < 600; slot++) counters.add(slot, slot * 4, slot);

    const rows = counters.drain();
    expect(rows.length).toBe(600 * 3);
    expect([...rows.subarray(599 * 3)]).toEqual([599 * 4, 1, 599]);
  });
});
