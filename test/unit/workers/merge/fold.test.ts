import { describe, expect, it } from 'vitest';
import { SeriesKind } from '../../../../src/protocol.js';
import { foldEpoch } from '../../../../workers/merge/fold.js';
import type { HistogramSeries, ScalarSeries } from '../../../../workers/merge/families.js';
import type { SeriesStore } from '../../../../workers/merge/series-store.js';
import { createMergedStore, definition, shardDelta } from '../../../helpers/merge.js';

const RECORD = 65536;
const { Counter, Gauge, Histogram, Set } = SeriesKind;

function id(kind: SeriesKind, slot: number): number {
  return slot * 4 + kind;
}

/** The merged value of one unlabelled scalar series, found through its family. */
function valueOf(store: SeriesStore, owner: string): number | undefined {
  return (store.families.get(owner)?.series.get('') as ScalarSeries | undefined)?.value;
}

describe('foldEpoch', () => {
  it('adds counter rows from every shard into the merged series', () => {
    const { store } = createMergedStore();
    const outcome = foldEpoch(store, [
      shardDelta({
        shard: 0,
        epoch: 0,
        definitions: [definition(Counter, 0, 'hits', 1)],
        counters: Float64Array.of(id(Counter, 0), 2, 5),
      }),
      shardDelta({
        shard: 1,
        epoch: 0,
        definitions: [definition(Counter, 0, 'hits', RECORD)],
        counters: Float64Array.of(id(Counter, 0), 1, 0.5),
      }),
    ]);
    foldEpoch(store, [
      shardDelta({ shard: 1, epoch: 1, counters: Float64Array.of(id(Counter, 0), 1, 4) }),
    ]);

    expect(outcome).toEqual({
      typeConflictSamples: 0,
      seriesLimitSamples: 0,
      summaryLimitSamples: 0,
    });
    expect(valueOf(store, 'counter:hits')).toBe(9.5);
  });

  it('adds histogram sums, counts and buckets, keeping them non-cumulative', () => {
    const { store } = createMergedStore([1, 2]);
    const histogramStride = 4 + 3;
    foldEpoch(store, [
      shardDelta({
        shard: 0,
        epoch: 0,
        definitions: [definition(Histogram, 0, 'lat', 1)],
        histogramStride,
        histograms: Float64Array.of(id(Histogram, 0), 2, 3.5, 2, 0, 1, 1),
      }),
      shardDelta({
        shard: 1,
        epoch: 0,
        definitions: [definition(Histogram, 2, 'lat', RECORD)],
        histogramStride,
        histograms: Float64Array.of(id(Histogram, 2), 1, 4, 10, 10, 0, 0),
      }),
    ]);

    const series = store.families.get('histogram:lat')!.series.get('') as HistogramSeries;
    expect(series.sum).toBe(7.5);
    expect(series.count).toBe(12);
    expect([...series.buckets]).toEqual([10, 1, 1]);
  });

  it('lets the first type in stream order claim a name, whichever shard delivered it', () => {
    const { store } = createMergedStore();
    // Shard 0 comes first in the list, but its gauge was seen after shard 1's counter.
    const outcome = foldEpoch(store, [
      shardDelta({
        shard: 0,
        epoch: 0,
        definitions: [definition(Gauge, 0, 'x_total', 5 * RECORD)],
        gauges: Float64Array.of(id(Gauge, 0), 3, 1, 5 * RECORD, 7, 0),
      }),
      shardDelta({
        shard: 1,
        epoch: 0,
        definitions: [definition(Counter, 0, 'x', 2 * RECORD + 9)],
        counters: Float64Array.of(id(Counter, 0), 4, 4),
      }),
    ]);

    expect([...store.families.keys()]).toEqual(['counter:x']);
    expect(valueOf(store, 'counter:x')).toBe(4);
    expect(outcome.typeConflictSamples).toBe(3);
  });

  it('counts the samples of every refused kind as type conflicts, exactly', () => {
    const { store } = createMergedStore([1]);
    foldEpoch(store, [
      shardDelta({ shard: 0, epoch: 0, definitions: [definition(Gauge, 0, 'm', 0)] }),
    ]);

    const outcome = foldEpoch(store, [
      shardDelta({
        shard: 0,
        epoch: 1,
        definitions: [
          definition(Counter, 0, 'm', 1),
          definition(Histogram, 0, 'm', 2),
          definition(Set, 0, 'm', 3),
        ],
        counters: Float64Array.of(id(Counter, 0), 2, 10),
        histogramStride: 4 + 2,
        histograms: Float64Array.of(id(Histogram, 0), 5, 1, 5, 5, 0),
        sets: [[id(Set, 0), 7, ['a', 'b']]],
      }),
      shardDelta({
        shard: 1,
        epoch: 1,
        definitions: [definition(Counter, 0, 'm_total', RECORD)],
        counters: Float64Array.of(id(Counter, 0), 11, 11),
      }),
    ]);

    expect(outcome.typeConflictSamples).toBe(2 + 5 + 7 + 11);
    expect([...store.families.keys()]).toEqual(['gauge:m']);
  });

  it('replays gauge sets and deltas from several shards in stream order', () => {
    const { store } = createMergedStore();
    foldEpoch(store, [
      shardDelta({
        shard: 0,
        epoch: 0,
        definitions: [definition(Gauge, 0, 'temp', 0)],
        gauges: Float64Array.of(id(Gauge, 0), 1, 1, 0, 20, 0),
      }),
    ]);
    expect(valueOf(store, 'gauge:temp')).toBe(20);

    // Epoch 1: +1 (record 1, shard 1), set 50 (record 2, shard 0), -3 (record 3, shard 1).
    foldEpoch(store, [
      shardDelta({
        shard: 0,
        epoch: 1,
        gauges: Float64Array.of(id(Gauge, 0), 1, 1, 2 * RECORD, 50, 0),
      }),
      shardDelta({
        shard: 1,
        epoch: 1,
        definitions: [definition(Gauge, 0, 'temp', 1 * RECORD)],
        gauges: Float64Array.of(id(Gauge, 0), 2, 0, 0, 0, 2, 1 * RECORD, 1, 3 * RECORD, -3),
      }),
    ]);
    expect(valueOf(store, 'gauge:temp')).toBe(47);

    // Epoch 2: deltas only, on top of what epoch 1 left.
    foldEpoch(store, [
      shardDelta({
        shard: 1,
        epoch: 2,
        gauges: Float64Array.of(id(Gauge, 0), 1, 0, 0, 0, 1, 0, 3),
      }),
    ]);
    expect(valueOf(store, 'gauge:temp')).toBe(50);
  });

  it("shows a set's distinct members over all shards this epoch, and 0 in an epoch without", () => {
    const { store } = createMergedStore();
    foldEpoch(store, [
      shardDelta({
        shard: 0,
        epoch: 0,
        definitions: [definition(Set, 0, 'users', 0), definition(Set, 1, 'ips', 1)],
        sets: [
          [id(Set, 0), 3, ['ann', 'bob']],
          [id(Set, 1), 1, ['10.0.0.1']],
        ],
      }),
      shardDelta({
        shard: 1,
        epoch: 0,
        definitions: [definition(Set, 0, 'users', RECORD)],
        sets: [[id(Set, 0), 2, ['bob', 'cy']]],
      }),
    ]);
    expect(valueOf(store, 'set:users')).toBe(3);
    expect(valueOf(store, 'set:ips')).toBe(1);

    foldEpoch(store, [shardDelta({ shard: 1, epoch: 1, sets: [[id(Set, 0), 1, ['dee']]] })]);
    expect(valueOf(store, 'set:users')).toBe(1);
    expect(valueOf(store, 'set:ips')).toBe(0);
  });

  it("folds a late delta's counters without touching the sets already shown", () => {
    const { store } = createMergedStore();
    foldEpoch(store, [
      shardDelta({
        shard: 0,
        epoch: 0,
        definitions: [definition(Set, 0, 'users', 0), definition(Counter, 0, 'hits', 1)],
        sets: [[id(Set, 0), 2, ['ann', 'bob']]],
        counters: Float64Array.of(id(Counter, 0), 1, 1),
      }),
    ]);

    const late = shardDelta({
      shard: 1,
      epoch: 0,
      definitions: [definition(Counter, 0, 'hits', RECORD), definition(Set, 0, 'users', 2)],
      counters: Float64Array.of(id(Counter, 0), 1, 2),
      sets: [[id(Set, 0), 1, ['cy']]],
    });
    foldEpoch(store, [late], { isLate: true });

    expect(valueOf(store, 'counter:hits')).toBe(3);
    expect(valueOf(store, 'set:users')).toBe(2);
  });

  it("feeds a new generation's ids to its own series, not to the old generation's", () => {
    const { store } = createMergedStore();
    foldEpoch(store, [
      shardDelta({
        shard: 0,
        epoch: 0,
        definitions: [definition(Counter, 0, 'a', 0), definition(Counter, 1, 'b', 1)],
        counters: Float64Array.of(id(Counter, 0), 1, 1, id(Counter, 1), 1, 10),
      }),
    ]);

    foldEpoch(store, [
      shardDelta({
        shard: 0,
        // A new worker after a failure (see TABLES_PER_GENERATION).
        generation: 1_000_000,
        epoch: 1,
        definitions: [definition(Counter, 0, 'b', 0)],
        counters: Float64Array.of(id(Counter, 0), 1, 5),
      }),
      // A straggler from the old generation: its ids mean nothing any more.
      shardDelta({ shard: 0, epoch: 1, counters: Float64Array.of(id(Counter, 0), 1, 100) }),
    ]);

    expect(valueOf(store, 'counter:a')).toBe(1);
    expect(valueOf(store, 'counter:b')).toBe(15);
  });
});

describe('foldEpoch across shard generations', () => {
  it("keeps the new generation's ids when a late delta of the old one brings definitions", () => {
    const { store } = createMergedStore();
    foldEpoch(store, [
      shardDelta({
        shard: 0,
        generation: 1,
        epoch: 5,
        definitions: [definition(Counter, 0, 'fresh', 0)],
        counters: Float64Array.of(id(Counter, 0), 1, 1),
      }),
    ]);

    const late = shardDelta({
      shard: 0,
      generation: 0,
      epoch: 4,
      definitions: [definition(Counter, 0, 'stale', 0)],
      counters: Float64Array.of(id(Counter, 0), 1, 7),
    });
    foldEpoch(store, [late], { isLate: true });
    foldEpoch(store, [
      shardDelta({
        shard: 0,
        generation: 1,
        epoch: 6,
        counters: Float64Array.of(id(Counter, 0), 1, 2),
      }),
    ]);

    expect(valueOf(store, 'counter:fresh')).toBe(3);
  });
});

describe('foldEpoch with limits and mapped buckets', () => {
  it('counts the samples of a series over the limit and adds the neighbour', () => {
    const { store } = createMergedStore([], { maxSeries: 1 });
    const outcome = foldEpoch(store, [
      shardDelta({
        shard: 0,
        epoch: 0,
        definitions: [definition(Counter, 0, 'kept', 1), definition(Counter, 1, 'late', 2)],
        counters: Float64Array.of(id(Counter, 0), 1, 3, id(Counter, 1), 4, 4),
      }),
    ]);

    expect(outcome).toEqual({
      typeConflictSamples: 0,
      seriesLimitSamples: 4,
      summaryLimitSamples: 0,
    });
    expect(valueOf(store, 'counter:kept')).toBe(3);
    // At the bound not even the family is made: a flood of names would register one each.
    expect(store.families.has('counter:late')).toBe(false);
  });

  it("folds a mapped histogram block into a family with the rule's bounds", () => {
    const { store } = createMergedStore([0.1]);
    foldEpoch(store, [
      shardDelta({
        shard: 0,
        epoch: 0,
        definitions: [{ ...definition(Histogram, 0, 'lat', 1), buckets: [1, 2] }],
        customHistograms: [
          {
            upperBounds: [1, 2],
            stride: 7,
            rows: Float64Array.of(id(Histogram, 0), 2, 3, 2, 1, 1, 0),
          },
        ],
      }),
    ]);

    const series = store.families.get('histogram:lat')!.series.get('') as HistogramSeries;
    expect([series.sum, series.count, [...series.buckets]]).toEqual([3, 2, [1, 1, 0]]);
  });
});
