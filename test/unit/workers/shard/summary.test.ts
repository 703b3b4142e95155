import * as hdr from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import type { SummaryOptions } from '../../../../src/protocol.js';
import { SummaryWindow } from '../../../../workers/merge/summary-window.js';
import { SummaryStore } from '../../../../workers/shard/summary.js';

const OPTIONS: SummaryOptions = {
  quantiles: [{ quantile: 0.5, error: 0.001 }],
  maxAgeMs: 60_000,
  ageBuckets: 5,
  significantDigits: 3,
};

function pairsOf(rows: ReturnType<SummaryStore['drain']>, at = 0): number[] {
  return Array.from(rows![at][4]);
}

describe('SummaryStore', () => {
  it('ships each series as samples, weighted sum and count, and its non-empty buckets', () => {
    const store = new SummaryStore();
    store.observe(6, 0.001, 1, OPTIONS);
    store.observe(6, 0.002, 1, OPTIONS);
    store.observe(10, 1, 4, OPTIONS);

    const rows = store.drain()!;
    expect(rows.map(([id, samples, sum, count]) => [id, samples, sum, count])).toEqual([
      [6, 2, 0.003, 2],
      [10, 1, 4, 4],
    ]);
    // Values travel in millionths; with 3 digits every integer below 2048 is its own bucket,
    // and 1 s (1000000) lies in the 512-wide bucket from 999936.
    expect(pairsOf(rows, 0)).toEqual([1000, 1, 2000, 1]);
    expect(pairsOf(rows, 1)).toEqual([999936, 4]);
  });

  it('adds observations of one bucket together and lists buckets ascending', () => {
    const store = new SummaryStore();
    for (const value of [2.5, 0.1001, 0.1, 0.100001, 0.1]) store.observe(1, value, 1, OPTIONS);
    // 100000 and 100001 share the 64-wide bucket 99968..100031; 2500000 is in 2498560's.
    expect(pairsOf(store.drain())).toEqual([99968, 3, 100096, 1, 2498560, 1]);
  });

  it('ships the buckets and counts an HDR histogram of the same values holds', () => {
    const values = Array.from({ length: 2000 }, (_, i) => ((i * 7919) % 100_003) / 1000);
    const store = new SummaryStore();
    const reference = hdr.build({ numberOfSignificantValueDigits: 3 });
    for (const value of values) {
      store.observe(1, value, 1, OPTIONS);
      reference.recordValue(Math.round(value * 1e6));
    }
    const pairs = store.drain()![0][4];

    // Replayed into an HDR histogram, the pairs give back every count at its bucket.
    const decoded = hdr.build({ numberOfSignificantValueDigits: 3 });
    for (let i = 0; i < pairs.length; i += 2) decoded.recordValueWithCount(pairs[i], pairs[i + 1]);
    expect(decoded.totalCount).toBe(2000);
    expect(decoded.getValueAtPercentile(100)).toBe(reference.getValueAtPercentile(100));
    const percentiles = [0, 1, 10, 25, 50, 75, 90, 99, 99.9];
    expect(percentiles.map((p) => decoded.getValueAtPercentile(p))).toEqual(
      percentiles.map((p) => reference.getValueAtPercentile(p)),
    );

    // The merger's window reads the quantiles HDR reads, in the exposed unit.
    const window = new SummaryWindow(OPTIONS);
    window.add(pairs, 0);
    expect(window.quantiles(percentiles.map((p) => p / 100))).toEqual(
      percentiles.map((p) => reference.getValueAtPercentile(p) / 1e6),
    );
  });

  it('records a negative observation as 0 in the buckets and as itself in the sum', () => {
    const store = new SummaryStore();
    store.observe(2, -3, 1, OPTIONS);
    const rows = store.drain()!;
    expect([rows[0][2], rows[0][3], pairsOf(rows)]).toEqual([-3, 1, [0, 1]]);
  });

  it('starts empty after a drain and ships nothing when nothing was observed', () => {
    const store = new SummaryStore();
    store.observe(2, 1, 1, OPTIONS);
    store.drain();
    expect(store.drain()).toBeUndefined();
  });
});
