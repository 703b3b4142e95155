import { describe, expect, it } from 'vitest';
import { MergeProgress, createMergeProgressBuffer } from '../../../../src/ring/merge-progress.js';

/** Which of epochs 0..9 shard 0 has said it will send no delta of its own for. */
function skippedAfter(ranges: Array<[from: number, through: number]>): number[] {
  const progress = new MergeProgress(createMergeProgressBuffer(2));
  for (const [from, through] of ranges) progress.skip(0, from, through);
  return Array.from({ length: 10 }, (_, epoch) => epoch).filter((e) => progress.isSkipped(0, e));
}

describe('MergeProgress', () => {
  const cases: Array<{ name: string; ranges: Array<[number, number]>; skipped: number[] }> = [
    { name: 'nothing skipped at start', ranges: [], skipped: [] },
    { name: 'one held epoch', ranges: [[4, 4]], skipped: [4] },
    {
      name: 'a hold that goes on extends',
      ranges: [
        [4, 4],
        [4, 5],
        [4, 6],
      ],
      skipped: [4, 5, 6],
    },
    {
      name: 'a later hold replaces the one before',
      ranges: [
        [2, 3],
        [6, 6],
      ],
      skipped: [6],
    },
    // After a merger restart the shard skips everything before its epoch; a hold that
    // overlaps that range extends it rather than dropping the epochs it covered.
    {
      name: 'a hold overlapping a restart range',
      ranges: [
        [0, 5],
        [4, 6],
      ],
      skipped: [0, 1, 2, 3, 4, 5, 6],
    },
  ];
  for (const row of cases) {
    it(`skips the right epochs: ${row.name}`, () => {
      expect(skippedAfter(row.ranges)).toEqual(row.skipped);
    });
  }

  it('keeps shards apart and starts with nothing folded', () => {
    const progress = new MergeProgress(createMergeProgressBuffer(2));
    progress.skip(1, 3, 3);
    progress.countHeld(1);
    progress.countLost(0, 7);
    progress.countLost(1, 2);

    expect(progress.foldedEpoch).toBe(-1);
    expect([progress.isSkipped(0, 3), progress.isSkipped(1, 3)]).toEqual([false, true]);
    expect(progress.heldEpochs()).toBe(1);
    expect(progress.takeLostRecords()).toBe(9);
    expect(progress.takeLostRecords()).toBe(0);
  });
});
