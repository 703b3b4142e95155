/**
 * The checked form of a mapping file (config/mapping-file.ts reads it), as it is sent to
 * every shard and the merger. Types and the empty default only.
 */

/** Which StatsD types a mapping rule applies to; null means every type. */
export type MetricTypeFilter = 'counter' | 'gauge' | 'observer' | null;

/** One statsd_exporter mapping, checked and with its defaults applied (config/mapping-file.ts). */
export interface MappingRule {
  match: string;
  matchType: 'glob' | 'regex';
  isDrop: boolean;
  /** Template with $1 / ${1}; '' for a drop rule. */
  name: string;
  /** Label name → value template, sorted by name. */
  labels: Array<[string, string]>;
  metricType: MetricTypeFilter;
  /** A summary is exposed as a histogram; see the README's Limits. */
  observer: 'histogram' | 'summary';
  /** null: the daemon's --buckets. */
  buckets: number[] | null;
  /** 0: the type's TTL from `catalyst.ttl`, else never. */
  ttlMs: number;
}

/** A whole mapping file; sent to every shard and the merger at start and on reload. */
export interface MappingConfig {
  rules: MappingRule[];
  /** Per SeriesKind (counter, gauge, histogram, set); 0 means never. */
  typeTtlMs: number[];
  /** Metric name (after mapping) → most series it may have. */
  seriesLimits: Record<string, number>;
  /** Labels removed before series are told apart, so the series they split add up. */
  aggregations: Aggregation[];
}

/**
 * How the gauges an aggregation collapses become one: `last` is the latest update in stream
 * order over all of them; the others apply over each source series' current value.
 */
export const GAUGE_COMBINES = ['last', 'sum', 'avg', 'min', 'max'] as const;
export type GaugeCombine = (typeof GAUGE_COMBINES)[number];

export interface Aggregation {
  metric: string;
  dropLabels: string[];
  gaugeCombine: GaugeCombine;
}

export const EMPTY_MAPPING: MappingConfig = {
  rules: [],
  typeTtlMs: [0, 0, 0, 0],
  seriesLimits: {},
  aggregations: [],
};
