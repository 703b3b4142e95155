import { describe, expect, it } from 'vitest';
import { BucketCounts } from '../../../../workers/shard/bucket-counts.js';

function entriesOf(counts: BucketCounts): number[][] {
  const entries: number[][] = [];
  counts.forEach((index, count) => entries.push([index, count]));
  return entries;
}

describe('BucketCounts', () => {
  it('adds counts per index and lists the non-empty ones ascending', () => {
    const counts = new BucketCounts();
    for (const [index, count] of [
      [900, 1],
      [7, 2],
      [900, 3],
      [40_000, 1],
    ]) {
      counts.add(index, count);
    }
    expect(entriesOf(counts)).toEqual([
      [7, 2],
      [900, 4],
      [40_000, 1],
    ]);
    expect(counts.size).toBe(3);
  });

  it('gives the same counts after turning dense, and after growing down and up', () => {
    const counts = new BucketCounts();
    // 64 buckets within a span of 128 indexes: dense from the 64th on.
    for (let i = 0; i < 64; i++) counts.add(1000 + 2 * i, 1);
    counts.add(1000, 5);
    counts.add(900, 1);
    counts.add(1500, 2);

    const expected = [
      [900, 1],
      [1000, 6],
    ];
    for (let i = 1; i < 64; i++) expected.push([1000 + 2 * i, 1]);
    expected.push([1500, 2]);
    expect(entriesOf(counts)).toEqual(expected);
    expect(counts.size).toBe(66);
  });

  it('goes back to sparse when an index lies too far away, keeping every count', () => {
    const counts = new BucketCounts();
    for (let i = 0; i < 64; i++) counts.add(i, 1);
    counts.add(1_000_000, 7);
    counts.add(3, 1);
    counts.add(500_000, 1);

    const expected = Array.from({ length: 64 }, (_, i) => [i, i === 3 ? 2 : 1]);
    expected.push([500_000, 1], [1_000_000, 7]);
    expect(entriesOf(counts)).toEqual(expected);
  });

  it('keeps a count past 2^32 exact by going back to sparse', () => {
    const counts = new BucketCounts();
    for (let i = 0; i < 64; i++) counts.add(i, 1);
    counts.add(5, 2 ** 32);
    counts.add(6, 1);
    const expected = Array.from({ length: 64 }, (_, i) => [i, i === 6 ? 2 : 1]);
    expected[5] = [5, 2 ** 32 + 1];
    expect(entriesOf(counts)).toEqual(expected);
  });
});
