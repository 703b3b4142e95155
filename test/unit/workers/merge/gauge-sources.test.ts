import { describe, expect, it } from 'vitest';
import {
  EMPTY_MAPPING,
  SeriesKind,
  type GaugeSourceKey,
  type SeriesDefinition,
} from '../../../../src/protocol.js';
import type { ScalarSeries } from '../../../../workers/merge/families.js';
import { foldEpoch } from '../../../../workers/merge/fold.js';
import { OVER_LIMIT, type SeriesStore } from '../../../../workers/merge/series-store.js';
import { createMergedStore, definition, shardDelta } from '../../../helpers/merge.js';

const RECORD = 65536;
const GAUGE = SeriesKind.Gauge;

/** Source `pod` of gauge `queue{zone="z"}`, as a shard defines it under an aggregation rule. */
function source(
  slot: number,
  pod: string,
  rule: GaugeSourceKey['rule'],
  extra: Partial<SeriesDefinition> = {},
): SeriesDefinition {
  return {
    ...definition(GAUGE, slot, 'queue', slot, { zone: 'z' }),
    gaugeSource: { rule, dropped: ['pod', pod] },
    ...extra,
  };
}

/** A gauge record: id, samples, hasSet, setOrder, setValue, then (position, delta) pairs. */
function gaugeRecord(slot: number, set: [number, number] | null, deltas: number[] = []) {
  const head = [slot * 4 + GAUGE, 1, set === null ? 0 : 1, set?.[0] ?? 0, set?.[1] ?? 0];
  return [...head, deltas.length / 2, ...deltas];
}

function combinedValue(store: SeriesStore): number | undefined {
  const series = store.families.get('gauge:queue')?.series.get('zone\u0000z');
  return (series as ScalarSeries | undefined)?.value;
}

/**
 * Three sources over two shards: a=10 on shard 0, b=4 on shard 1, and c set to 5 on shard 0
 * then raised by 2 on shard 1, so c is 7 only if replayed in stream order. The next epoch
 * lowers b by 6 on shard 1.
 */
function foldTwoEpochs(store: SeriesStore, rule: GaugeSourceKey['rule']): number[] {
  foldEpoch(store, [
    shardDelta({
      shard: 0,
      epoch: 0,
      definitions: [source(0, 'a', rule), source(1, 'c', rule)],
      gauges: Float64Array.of(...gaugeRecord(0, [1, 10]), ...gaugeRecord(1, [2, 5])),
    }),
    shardDelta({
      shard: 1,
      epoch: 0,
      definitions: [source(0, 'b', rule), source(1, 'c', rule)],
      gauges: Float64Array.of(
        ...gaugeRecord(0, [RECORD + 1, 4]),
        ...gaugeRecord(1, null, [RECORD + 2, 2]),
      ),
    }),
  ]);
  const first = combinedValue(store)!;
  foldEpoch(store, [
    shardDelta({ shard: 1, epoch: 1, gauges: Float64Array.of(...gaugeRecord(0, null, [3, -6])) }),
  ]);
  return [first, combinedValue(store)!];
}

describe('combined gauges', () => {
  const RULES: Array<{ rule: GaugeSourceKey['rule']; values: number[] }> = [
    { rule: 'sum', values: [21, 15] },
    { rule: 'avg', values: [7, 5] },
    { rule: 'min', values: [4, -2] },
    { rule: 'max', values: [10, 10] },
  ];
  for (const row of RULES) {
    it(`applies ${row.rule} over the latest value of each source, from every shard`, () => {
      const { store } = createMergedStore();
      expect(foldTwoEpochs(store, row.rule)).toEqual(row.values);
      expect([store.seriesCount, store.sourceCount]).toEqual([1, 3]);
    });
  }

  it('renders only the combined series, never its sources', async () => {
    const { store, registries } = createMergedStore();
    foldTwoEpochs(store, 'sum');
    const text = await registries.text.metrics();
    expect(text.split('\n').filter((line) => line.startsWith('queue'))).toEqual([
      'queue{zone="z"} 15',
    ]);
  });

  it('takes a source idle past its TTL out of the aggregate, and back when it returns', () => {
    const { store } = createMergedStore();
    store.beginFold(0);
    foldEpoch(store, [
      shardDelta({
        shard: 0,
        epoch: 0,
        definitions: [
          source(0, 'a', 'sum', { ttlMs: 1000 }),
          source(1, 'b', 'sum', { ttlMs: 1000 }),
        ],
        gauges: Float64Array.of(...gaugeRecord(0, [1, 10]), ...gaugeRecord(1, [2, 4])),
      }),
    ]);
    store.beginFold(600);
    foldEpoch(store, [
      shardDelta({ shard: 0, epoch: 1, gauges: Float64Array.of(...gaugeRecord(0, null, [1, 1])) }),
    ]);
    expect(combinedValue(store)).toBe(15);

    // b was last seen at 0, a at 600: at 1001 only b is past its TTL.
    expect(store.expireIdle(1001)).toBe(0);
    expect([combinedValue(store), store.sourceCount]).toEqual([11, 1]);

    // b comes back as a new source from zero: its +3 is a change from nothing known.
    store.beginFold(1100);
    foldEpoch(store, [
      shardDelta({ shard: 0, epoch: 2, gauges: Float64Array.of(...gaugeRecord(1, null, [1, 3])) }),
    ]);
    expect([combinedValue(store), store.sourceCount]).toEqual([14, 2]);
  });

  it('expires the combined series with the last of its sources', () => {
    const { store } = createMergedStore();
    store.beginFold(0);
    foldEpoch(store, [
      shardDelta({
        shard: 0,
        epoch: 0,
        definitions: [source(0, 'a', 'max', { ttlMs: 1000 })],
        gauges: Float64Array.of(...gaugeRecord(0, [1, 10])),
      }),
    ]);

    expect(store.expireIdle(1001)).toBe(1);
    expect([combinedValue(store), store.seriesCount, store.sourceCount]).toEqual([undefined, 0, 0]);
  });

  it('counts sources against --max-series and refuses the one past it', () => {
    const { store } = createMergedStore([], { maxSeries: 3 });
    store.define(0, 0, source(0, 'a', 'sum'));
    store.define(0, 0, source(1, 'b', 'sum'));

    expect(store.define(0, 0, source(2, 'c', 'sum'))).toBe(OVER_LIMIT);
    expect(store.define(0, 0, definition(SeriesKind.Counter, 0, 'other', 3))).toBe(OVER_LIMIT);
    expect([store.seriesCount, store.sourceCount]).toEqual([1, 2]);
  });

  it('refuses a new combined gauge when there is no room for its first source as well', () => {
    const { store } = createMergedStore([], { maxSeries: 2 });
    store.define(0, 0, definition(SeriesKind.Counter, 0, 'other', 0));

    expect(store.define(0, 0, source(0, 'a', 'sum'))).toBe(OVER_LIMIT);
    expect([store.seriesCount, store.sourceCount]).toEqual([1, 0]);
    expect(store.families.get('gauge:queue')?.series.size ?? 0).toBe(0);
  });

  it('stops combining when a definition without a source says the rule became last', () => {
    const { store } = createMergedStore([], { mapping: EMPTY_MAPPING });
    foldTwoEpochs(store, 'sum');
    foldEpoch(store, [
      shardDelta({
        shard: 0,
        epoch: 2,
        generation: 1,
        definitions: [definition(GAUGE, 0, 'queue', 1, { zone: 'z' })],
        gauges: Float64Array.of(...gaugeRecord(0, null, [1, 5])),
      }),
    ]);
    expect([combinedValue(store), store.sourceCount]).toEqual([20, 0]);
  });
});
