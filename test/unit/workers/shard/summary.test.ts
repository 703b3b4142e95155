import * as hdr from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import type { SummaryOptions } from '../../../../src/protocol.js';
import { SummaryStore } from '../../../../workers/shard/summary.js';

const OPTIONS: SummaryOptions = {
  quantiles: [{ quantile: 0.5, error: 0.001 }],
  maxAgeMs: 60_000,
  ageBuckets: 5,
  significantDigits: 3,
};

describe('SummaryStore', () => {
  it('ships each series as samples, weighted sum and count, and an encoded HDR histogram', () => {
    const store = new SummaryStore();
    store.observe(6, 0.001, 1, OPTIONS);
    store.observe(6, 0.002, 1, OPTIONS);
    store.observe(10, 1, 4, OPTIONS);

    const rows = store.drain()!;
    expect(rows.map(([id, samples, sum, count]) => [id, samples, sum, count])).toEqual([
      [6, 2, 0.003, 2],
      [10, 1, 4, 4],
    ]);
    // Values travel in millionths; with 3 digits, HDR keeps every integer below 2048 exact.
    const first = hdr.decodeFromCompressedBase64(rows[0][4]);
    expect([first.totalCount, first.minNonZeroValue, first.maxValue]).toEqual([2, 1000, 2000]);
    const weighted = hdr.decodeFromCompressedBase64(rows[1][4]);
    expect(weighted.totalCount).toBe(4);
  });

  it('records a negative observation as 0 in the histogram and as itself in the sum', () => {
    const store = new SummaryStore();
    store.observe(2, -3, 1, OPTIONS);
    const [[, , sum, count, encoded]] = store.drain()!;
    const histogram = hdr.decodeFromCompressedBase64(encoded);
    expect([sum, count, histogram.totalCount, histogram.maxValue]).toEqual([-3, 1, 1, 0]);
  });

  it('starts empty after a drain and ships nothing when nothing was observed', () => {
    const store = new SummaryStore();
    store.observe(2, 1, 1, OPTIONS);
    store.drain();
    expect(store.drain()).toBeUndefined();
  });
});
