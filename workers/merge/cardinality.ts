import type { Family, Labels } from './families.js';
import type { LimitDropsJson } from './limit-drops.js';

/** The body of GET /debug/cardinality. */
export interface CardinalityJson {
  seriesCount: number;
  /** null when unbounded. */
  maxSeries: number | null;
  /** Summary series, part of seriesCount, and their own bound (null when unbounded). */
  summarySeriesCount: number;
  maxSummarySeries: number | null;
  /** Samples dropped since start because a new series would have passed a limit. */
  seriesLimitDroppedSamples: number;
  /** The same samples by limit, and by metric with the limit that refused them. */
  seriesLimitDrops: LimitDropsJson;
  /** Largest metrics first. */
  metrics: Array<{
    name: string;
    series: number;
    /** Label names by distinct values, most first. */
    labels: Array<{ name: string; distinctValues: number }>;
  }>;
}

// Keeps the answer small and its cost bounded when a flood has filled the store.
const MAX_METRICS = 50;
const MAX_LABELS = 5;

/** Metrics by series count and, for each, the label names with the most distinct values. */
export function reportCardinality(
  families: ReadonlyMap<string, Family<{ labels: Labels }>>,
  totals: {
    seriesCount: number;
    maxSeries: number;
    summarySeriesCount: number;
    maxSummarySeries: number;
    limitDrops: LimitDropsJson;
  },
): CardinalityJson {
  const largest = [...families.values()]
    .filter((family) => family.series.size > 0)
    .sort((a, b) => b.series.size - a.series.size)
    .slice(0, MAX_METRICS);

  const metrics = largest.map((family) => {
    const valuesByLabel = new Map<string, Set<string>>();
    for (const series of family.series.values()) {
      for (const [name, value] of Object.entries(series.labels)) {
        let values = valuesByLabel.get(name);
        if (values === undefined) valuesByLabel.set(name, (values = new Set()));
        values.add(value);
      }
    }
    const labels = [...valuesByLabel]
      .map(([name, values]) => ({ name, distinctValues: values.size }))
      .sort((a, b) => b.distinctValues - a.distinctValues || (a.name < b.name ? -1 : 1))
      .slice(0, MAX_LABELS);
    return { name: family.familyName('text'), series: family.series.size, labels };
  });

  return {
    seriesCount: totals.seriesCount,
    maxSeries: Number.isFinite(totals.maxSeries) ? totals.maxSeries : null,
    summarySeriesCount: totals.summarySeriesCount,
    maxSummarySeries: Number.isFinite(totals.maxSummarySeries) ? totals.maxSummarySeries : null,
    seriesLimitDroppedSamples: Object.values(totals.limitDrops.byLimit).reduce((a, b) => a + b, 0),
    seriesLimitDrops: totals.limitDrops,
    metrics,
  };
}
