import { describe, expect, it } from 'vitest';
import { HistogramStore } from '../../../../workers/shard/histogram.js';

const BOUNDS = [0.1, 1, 10];
// Row: id, samples, sum, count, then le=0.1, le=1, le=10, +Inf.
const STRIDE = 4 + BOUNDS.length + 1;

function bucketsAfter(values: number[]): number[] {
  const histograms = new HistogramStore(BOUNDS);
  for (const value of values) histograms.observe(0, 2, value, 1);
  return [...histograms.drain().subarray(4)];
}

describe('HistogramStore', () => {
  it('has a stride of the head, one count per bound and one for +Inf', () => {
    expect(new HistogramStore(BOUNDS).stride).toBe(STRIDE);
  });

  it.each([
    { name: 'below the first bound', value: 0.05, buckets: [1, 0, 0, 0] },
    { name: 'equal to the first bound', value: 0.1, buckets: [1, 0, 0, 0] },
    { name: 'just above the first bound', value: 0.1000001, buckets: [0, 1, 0, 0] },
    { name: 'equal to a middle bound', value: 1, buckets: [0, 1, 0, 0] },
    { name: 'equal to the last bound', value: 10, buckets: [0, 0, 1, 0] },
    { name: 'above the last bound', value: 10.5, buckets: [0, 0, 0, 1] },
    { name: 'negative', value: -3, buckets: [1, 0, 0, 0] },
  ])('puts a value $name in the bucket whose le includes it', ({ value, buckets }) => {
    expect(bucketsAfter([value])).toEqual(buckets);
  });

  it('drains id, samples, weighted sum and count, and non-cumulative weighted buckets', () => {
    const histograms = new HistogramStore(BOUNDS);
    histograms.observe(0, 2, 0.5, 1);
    histograms.observe(0, 2, 20, 4);
    histograms.observe(1, 6, 1, 1);

    expect([...histograms.drain()]).toEqual([
      ...[2, 2, 0.5 + 80, 5, 0, 1, 0, 4],
      ...[6, 1, 1, 1, 0, 1, 0, 0],
    ]);
    expect([...histograms.drain()]).toEqual([]);
  });

  it('sends everything to +Inf when there are no bounds', () => {
    const histograms = new HistogramStore([]);
    histograms.observe(0, 2, 123, 1);
    expect([...histograms.drain()]).toEqual([2, 1, 123, 1, 1]);
  });
});
