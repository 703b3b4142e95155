import { Packr } from 'msgpackr';
import { SeriesKind } from '../../src/protocol.js';
import {
  CounterFamily,
  HistogramFamily,
  type HistogramSeries,
  type ScalarSeries,
} from './families.js';
import type { SeriesStore } from './series-store.js';

/**
 * The merger's cumulative state as plain data, and back. Counters, gauges and histograms
 * with their family types; sets are left out on purpose: they count distinct members per
 * flush interval, so there is nothing cumulative to carry across a restart.
 */
export interface StateSnapshot {
  /** Histogram upper bounds the bucket counts were taken with. */
  histogramBuckets: number[];
  series: SnapshotSeries[];
}

export type SnapshotSeries =
  | {
      kind: typeof SeriesKind.Counter | typeof SeriesKind.Gauge;
      name: string;
      labels: string[];
      value: number;
    }
  | {
      kind: typeof SeriesKind.Histogram;
      name: string;
      labels: string[];
      sum: number;
      count: number;
      buckets: number[];
    };

export type RestoreOutcome =
  { kind: 'restored'; series: number; refused: number } | { kind: 'refused'; reason: string };

const packr = new Packr({ moreTypes: true, useRecords: false });

export function takeSnapshot(
  store: SeriesStore,
  histogramBuckets: readonly number[],
): StateSnapshot {
  const series: SnapshotSeries[] = [];
  for (const family of store.families.values()) {
    if (store.setFamilies.has(family as never)) continue;
    // LIMITATION: summaries are not saved; their windows would cost a histogram per slice.
    if (store.summaryFamilies.has(family as never)) continue;
    for (const [key, one] of family.series) {
      // The key is the flat label list joined by NUL (series-store.ts), so it splits back.
      const labels = key === '' ? [] : key.split('\u0000');
      if (family instanceof HistogramFamily) {
        const histogram = one as HistogramSeries;
        series.push({
          kind: SeriesKind.Histogram,
          name: family.baseName,
          labels,
          sum: histogram.sum,
          count: histogram.count,
          buckets: [...histogram.buckets],
        });
      } else if (family instanceof CounterFamily) {
        // Defined again from a pushed name: name-claims.ts takes one `_total` off such a
        // name, so a base that itself ends in `_total` needs one put back.
        const base = family.baseName;
        const name = base.endsWith('_total') ? `${base}_total` : base;
        series.push({ kind: SeriesKind.Counter, name, labels, value: (one as ScalarSeries).value });
      } else {
        const value = (one as ScalarSeries).value;
        series.push({ kind: SeriesKind.Gauge, name: family.baseName, labels, value });
      }
    }
  }
  return { histogramBuckets: [...histogramBuckets], series };
}

export function encodeSnapshot(snapshot: StateSnapshot): Uint8Array {
  return new Uint8Array(packr.pack(snapshot));
}

/**
 * Puts a snapshot's series into an empty store. A file taken with other histogram buckets is
 * refused whole: its counts cannot be rebucketed, and keeping the rest while dropping them
 * would make a restart look like a partial reset.
 */
export function restoreSnapshot(
  store: SeriesStore,
  payload: Uint8Array,
  histogramBuckets: readonly number[],
): RestoreOutcome {
  let snapshot: StateSnapshot;
  try {
    snapshot = packr.unpack(payload) as StateSnapshot;
  } catch (error) {
    return { kind: 'refused', reason: `payload does not decode: ${(error as Error).message}` };
  }
  if (!isSnapshotShaped(snapshot))
    return { kind: 'refused', reason: 'payload has the wrong shape' };
  if (snapshot.histogramBuckets.join(',') !== histogramBuckets.join(',')) {
    return { kind: 'refused', reason: 'histogram buckets differ from --buckets' };
  }

  let restored = 0;
  let refused = 0;
  for (const entry of snapshot.series) {
    const series = store.seriesFor(entry.kind, entry.name, entry.labels);
    // Refused: the name's type is already claimed by another kind (or a self-metric).
    if (series === null) {
      refused++;
      continue;
    }
    if (entry.kind === SeriesKind.Histogram) {
      const histogram = series as HistogramSeries;
      histogram.sum = entry.sum;
      histogram.count = entry.count;
      histogram.buckets.set(entry.buckets.slice(0, histogram.buckets.length));
    } else {
      (series as ScalarSeries).value = entry.value;
    }
    restored++;
  }
  return { kind: 'restored', series: restored, refused };
}

function isSnapshotShaped(value: unknown): value is StateSnapshot {
  const snapshot = value as StateSnapshot;
  return (
    typeof snapshot === 'object' &&
    snapshot !== null &&
    Array.isArray(snapshot.histogramBuckets) &&
    Array.isArray(snapshot.series) &&
    snapshot.series.every(
      (entry) =>
        typeof entry === 'object' &&
        entry !== null &&
        typeof entry.name === 'string' &&
        Array.isArray(entry.labels) &&
        entry.labels.length % 2 === 0 &&
        entry.labels.every((label) => typeof label === 'string') &&
        (entry.kind === SeriesKind.Histogram
          ? typeof entry.sum === 'number' &&
            typeof entry.count === 'number' &&
            Array.isArray(entry.buckets)
          : (entry.kind === SeriesKind.Counter || entry.kind === SeriesKind.Gauge) &&
            typeof entry.value === 'number'),
    )
  );
}
