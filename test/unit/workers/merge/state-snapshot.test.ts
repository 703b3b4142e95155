import { describe, expect, it } from 'vitest';
import { SeriesKind } from '../../../../src/protocol.js';
import type { HistogramSeries, ScalarSeries } from '../../../../workers/merge/families.js';
import {
  encodeSnapshot,
  restoreSnapshot,
  takeSnapshot,
} from '../../../../workers/merge/state-snapshot.js';
import { createMergedStore, definition } from '../../../helpers/merge.js';

const BUCKETS = [0.1, 1];

/** A store holding one series of every kind, values set as a fold would leave them. */
function filledStore() {
  const merged = createMergedStore(BUCKETS);
  const { store } = merged;
  const hits = store.define(0, 0, definition(SeriesKind.Counter, 0, 'hits', 1, { env: 'a' }));
  const doubled = store.define(0, 0, definition(SeriesKind.Counter, 1, 'x_total_total', 2));
  const level = store.define(0, 0, definition(SeriesKind.Gauge, 0, 'level', 3));
  const lag = store.define(0, 0, definition(SeriesKind.Histogram, 0, 'lag', 4, { q: 'z' }));
  store.define(0, 0, definition(SeriesKind.Set, 0, 'users', 5));
  (hits as ScalarSeries).value = 12;
  (doubled as ScalarSeries).value = 3;
  (level as ScalarSeries).value = -4.5;
  Object.assign(lag as HistogramSeries, { sum: 1.25, count: 3 });
  (lag as HistogramSeries).buckets.set([1, 1, 1]);
  return merged;
}

describe('state snapshots', () => {
  it('restores counters, gauges and histograms into an empty store, renders them alike', async () => {
    const source = filledStore();
    const payload = encodeSnapshot(takeSnapshot(source.store, BUCKETS));
    const target = createMergedStore(BUCKETS);

    expect(restoreSnapshot(target.store, payload, BUCKETS)).toEqual({
      kind: 'restored',
      series: 4,
      refused: 0,
    });
    const sourceText = await source.registries.text.metrics();
    const targetText = await target.registries.text.metrics();
    // The set family is left out on purpose; everything else renders byte for byte.
    const withoutSets = (text: string) =>
      text.split('\n').filter((line) => !/\busers\b/.test(line) && line !== '');
    expect(withoutSets(targetText)).toEqual(withoutSets(sourceText));
    expect(targetText).toContain('hits_total{env="a"} 12');
    expect(targetText).toContain('x_total_total 3');
  });

  it('refuses a snapshot taken with other histogram buckets, restoring nothing', () => {
    const payload = encodeSnapshot(takeSnapshot(filledStore().store, BUCKETS));
    const target = createMergedStore([0.5]);

    expect(restoreSnapshot(target.store, payload, [0.5])).toEqual({
      kind: 'refused',
      reason: 'histogram buckets differ from --buckets',
    });
    expect(target.store.families.size).toBe(0);
  });

  it('refuses a payload of the wrong shape', () => {
    const payload = encodeSnapshot({ histogramBuckets: BUCKETS, series: [{ kind: 9 }] } as never);

    expect(restoreSnapshot(createMergedStore(BUCKETS).store, payload, BUCKETS)).toEqual({
      kind: 'refused',
      reason: 'payload has the wrong shape',
    });
  });

  it('counts a restored series whose name a self-metric claims as refused', () => {
    const payload = encodeSnapshot({
      histogramBuckets: BUCKETS,
      series: [
        { kind: SeriesKind.Counter, name: 'catalyst_worker_restarts_total', labels: [], value: 1 },
      ],
    });
    const target = createMergedStore(BUCKETS, { claimsSelfMetrics: true });

    expect(restoreSnapshot(target.store, payload, BUCKETS)).toEqual({
      kind: 'restored',
      series: 0,
      refused: 1,
    });
  });
});
