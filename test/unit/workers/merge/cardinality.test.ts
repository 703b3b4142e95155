import { describe, expect, it } from 'vitest';
import { EMPTY_MAPPING, SeriesKind } from '../../../../src/protocol.js';
import { foldEpoch } from '../../../../workers/merge/fold.js';
import { createMergedStore, definition, shardDelta } from '../../../helpers/merge.js';

describe('reportCardinality', () => {
  it('lists metrics by series count with their most varied label names', () => {
    const { store } = createMergedStore([], { maxSeries: 100 });
    store.define(0, 0, definition(SeriesKind.Gauge, 0, 'temp', 1, { room: 'a', site: 'x' }));
    store.define(0, 0, definition(SeriesKind.Counter, 0, 'hits', 2, { path: '/a', code: '200' }));
    store.define(0, 0, definition(SeriesKind.Counter, 1, 'hits', 3, { path: '/b', code: '200' }));
    store.define(0, 0, definition(SeriesKind.Counter, 2, 'hits', 4, { path: '/c', code: '500' }));

    expect(store.cardinality()).toEqual({
      seriesCount: 4,
      maxSeries: 100,
      summarySeriesCount: 0,
      maxSummarySeries: null,
      seriesLimitDroppedSamples: 0,
      seriesLimitDrops: {
        byLimit: { max_series: 0, metric_limit: 0, max_summary_series: 0, worker_spellings: 0 },
        byMetric: [],
        otherMetrics: 0,
      },
      metrics: [
        {
          name: 'hits_total',
          series: 3,
          labels: [
            { name: 'path', distinctValues: 3 },
            { name: 'code', distinctValues: 2 },
          ],
        },
        {
          name: 'temp',
          series: 1,
          labels: [
            { name: 'room', distinctValues: 1 },
            { name: 'site', distinctValues: 1 },
          ],
        },
      ],
    });
  });

  it('charges samples a limit refused to their metric and to the limit that refused them', () => {
    const mapping = { ...EMPTY_MAPPING, seriesLimits: { hits: 1 } };
    const { store } = createMergedStore([], { maxSeries: 3, mapping });
    const counter = (slot: number, name: string, path: string) =>
      definition(SeriesKind.Counter, slot, name, slot, { path });
    const row = (slot: number, samples: number) => [slot * 4 + SeriesKind.Counter, samples, 1];
    foldEpoch(store, [
      shardDelta({
        shard: 0,
        epoch: 0,
        definitions: [
          counter(0, 'hits', '/a'),
          counter(1, 'hits', '/b'),
          counter(2, 'other', '/a'),
          counter(3, 'other', '/b'),
          counter(4, 'late', '/a'),
        ],
        counters: Float64Array.of(...row(0, 1), ...row(1, 2), ...row(2, 1), ...row(3, 1)),
      }),
    ]);
    // The next epoch reuses the refused ids: their samples are charged again.
    foldEpoch(store, [
      shardDelta({
        shard: 0,
        epoch: 1,
        counters: Float64Array.of(...row(1, 3), ...row(4, 5)),
      }),
    ]);
    store.limitDrops.countSpellings(7);

    const report = store.cardinality();
    expect(report.seriesLimitDroppedSamples).toBe(17);
    expect(report.seriesLimitDrops).toEqual({
      byLimit: { max_series: 5, metric_limit: 5, max_summary_series: 0, worker_spellings: 7 },
      byMetric: [
        { metric: 'hits', limit: 'metric_limit', droppedSamples: 5 },
        { metric: 'late', limit: 'max_series', droppedSamples: 5 },
      ],
      otherMetrics: 0,
    });
  });
});
