import { describe, expect, it } from 'vitest';
import {
  EMPTY_MAPPING,
  SeriesKind,
  type SeriesDefinition,
  type ShardDelta,
} from '../../../../src/protocol.js';
import { foldEpoch } from '../../../../workers/merge/fold.js';
import { createMergedStore, definition, shardDelta } from '../../../helpers/merge.js';
import {
  ONE_TO_HUNDRED_MS,
  SUMMARY_OPTIONS,
  encodedObservations,
} from '../../../helpers/summary.js';

const { Histogram } = SeriesKind;

function summaryDefinition(slot: number, firstOrder: number): SeriesDefinition {
  return {
    ...definition(Histogram, slot, 'lat', firstOrder, { route: 'a' }),
    summary: SUMMARY_OPTIONS,
  };
}

/** Odd milliseconds on shard 0, even on shard 1, at time `nowMs`. */
function foldHundredAcrossShards(store: ReturnType<typeof createMergedStore>['store']): void {
  store.beginFold(0);
  const odd = ONE_TO_HUNDRED_MS.filter((_, i) => i % 2 === 0);
  const even = ONE_TO_HUNDRED_MS.filter((_, i) => i % 2 === 1);
  foldEpoch(store, [
    shardDelta({
      shard: 0,
      epoch: 0,
      definitions: [summaryDefinition(0, 1)],
      summaries: [[Histogram, 50, 2.5, 50, encodedObservations(odd)]],
    }),
    shardDelta({
      shard: 1,
      epoch: 0,
      definitions: [summaryDefinition(3, 2)],
      summaries: [[3 * 4 + Histogram, 50, 2.55, 50, encodedObservations(even)]],
    }),
  ]);
}

describe('SummaryFamily', () => {
  it('renders quantiles, _sum and _count of every shard as one summary', async () => {
    const { store, registries } = createMergedStore();
    foldHundredAcrossShards(store);

    expect(await registries.text.metrics()).toBe(
      [
        '# HELP lat StatsD timer/histogram lat',
        '# TYPE lat summary',
        'lat{route="a",quantile="0.5"} 0.050015',
        'lat{route="a",quantile="0.9"} 0.090047',
        'lat{route="a",quantile="0.99"} 0.099007',
        'lat_sum{route="a"} 5.05',
        'lat_count{route="a"} 100',
        '',
      ].join('\n'),
    );
  });

  it('renders the same samples in OpenMetrics', async () => {
    const { store, registries } = createMergedStore();
    foldHundredAcrossShards(store);
    const lines = (await registries.openmetrics.metrics()).split('\n');
    expect(lines).toContain('# TYPE lat summary');
    expect(lines).toContain('lat{route="a",quantile="0.99"} 0.099007');
    expect(lines).toContain('lat_count{route="a"} 100');
  });

  it('keeps _sum and _count after the window has let every observation go', async () => {
    const { store, registries } = createMergedStore();
    foldHundredAcrossShards(store);
    store.beginFold(20_000);
    foldEpoch(store, []);

    // An empty window reads NaN, as in client_golang; prom-client spells it `Nan`, which
    // Prometheus parses (Go's ParseFloat ignores case).
    const lines = (await registries.text.metrics()).split('\n');
    expect(lines.filter((line) => line.startsWith('lat'))).toEqual([
      'lat{route="a",quantile="0.5"} Nan',
      'lat{route="a",quantile="0.9"} Nan',
      'lat{route="a",quantile="0.99"} Nan',
      'lat_sum{route="a"} 5.05',
      'lat_count{route="a"} 100',
    ]);
  });

  it('refuses histogram rows for a name a rule made a summary, as a type conflict', () => {
    const { store } = createMergedStore([1]);
    foldHundredAcrossShards(store);
    const outcome = foldEpoch(store, [
      shardDelta({
        shard: 0,
        epoch: 1,
        generation: 1,
        definitions: [definition(Histogram, 0, 'lat', 1, { route: 'a' })],
        histogramStride: 6,
        histograms: Float64Array.of(Histogram, 3, 1, 3, 3, 0),
      }),
    ]);
    expect(outcome).toEqual({
      typeConflictSamples: 3,
      seriesLimitSamples: 0,
      summaryLimitSamples: 0,
    });
  });

  it('refuses summary series past --max-summary-series and counts their samples', async () => {
    const { store, registries } = createMergedStore([], { maxSeries: 10, maxSummarySeries: 1 });
    const latency = (slot: number, name: string, route: string): SeriesDefinition => ({
      ...definition(Histogram, slot, name, slot, { route }),
      summary: SUMMARY_OPTIONS,
    });
    const row = (slot: number, samples: number): NonNullable<ShardDelta['summaries']>[0] => [
      slot * 4 + Histogram,
      samples,
      0.01 * samples,
      samples,
      encodedObservations(Array.from({ length: samples }, () => 0.01)),
    ];
    store.beginFold(0);
    const first = foldEpoch(store, [
      shardDelta({
        shard: 0,
        epoch: 0,
        // A second series of the same name, then one of a name not seen before: both refused.
        // The histogram is not a summary and still fits under --max-series.
        definitions: [
          latency(0, 'lat', 'a'),
          latency(1, 'lat', 'b'),
          latency(2, 'other', 'a'),
          definition(Histogram, 3, 'plain', 3),
        ],
        summaries: [row(0, 2), row(1, 3), row(2, 4)],
        histogramStride: 5,
        histograms: Float64Array.of(3 * 4 + Histogram, 1, 0.5, 1, 1),
      }),
    ]);
    // The refused ids stay refused: their samples are charged again the next epoch.
    const second = foldEpoch(store, [
      shardDelta({ shard: 0, epoch: 1, summaries: [row(0, 1), row(1, 5)] }),
    ]);

    expect([first, second]).toEqual([
      { typeConflictSamples: 0, seriesLimitSamples: 0, summaryLimitSamples: 7 },
      { typeConflictSamples: 0, seriesLimitSamples: 0, summaryLimitSamples: 5 },
    ]);
    const lines = (await registries.text.metrics()).split('\n');
    expect(lines.filter((line) => /^(lat|other|plain)_count/.test(line))).toEqual([
      'lat_count{route="a"} 3',
      'plain_count 1',
    ]);
    const report = store.cardinality();
    expect([report.seriesCount, report.summarySeriesCount, report.maxSummarySeries]).toEqual([
      2, 1, 1,
    ]);
    expect(report.seriesLimitDrops.byLimit.max_summary_series).toBe(12);
    expect(report.seriesLimitDrops.byMetric).toEqual([
      { metric: 'lat', limit: 'max_summary_series', droppedSamples: 8 },
      { metric: 'other', limit: 'max_summary_series', droppedSamples: 4 },
    ]);
  });

  it('makes room for a new summary series when an idle one expires', () => {
    const typeTtlMs = [...EMPTY_MAPPING.typeTtlMs];
    typeTtlMs[Histogram] = 1000;
    const mapping = { ...EMPTY_MAPPING, typeTtlMs };
    const { store } = createMergedStore([], { maxSummarySeries: 1, mapping });
    const latency = (slot: number, route: string): SeriesDefinition => ({
      ...definition(Histogram, slot, 'lat', slot, { route }),
      summary: SUMMARY_OPTIONS,
    });
    const row = (slot: number): NonNullable<ShardDelta['summaries']>[0] => [
      slot * 4 + Histogram,
      1,
      0.01,
      1,
      encodedObservations([0.01]),
    ];
    store.beginFold(0);
    foldEpoch(store, [shardDelta({ shard: 0, epoch: 0, definitions: [latency(0, 'a')] })]);
    foldEpoch(store, [shardDelta({ shard: 0, epoch: 1, summaries: [row(0)] })]);
    store.expireIdle(5000);

    store.beginFold(5000);
    const outcome = foldEpoch(store, [
      shardDelta({ shard: 0, epoch: 2, definitions: [latency(1, 'b')], summaries: [row(1)] }),
    ]);
    expect(outcome.summaryLimitSamples).toBe(0);
    expect(store.summarySeriesCount).toBe(1);
  });
});
