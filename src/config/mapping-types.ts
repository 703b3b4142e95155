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
  observer: 'histogram' | 'summary';
  /** Set when `observer` is summary: its quantiles and sliding window. */
  summary: SummaryOptions | null;
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

/**
 * statsd_exporter's summary_options, checked. Quantiles are read from an HDR histogram kept
 * over a sliding window of `ageBuckets` slices of `maxAgeMs / ageBuckets` each; `_sum` and
 * `_count` are cumulative, as in client_golang.
 */
export interface SummaryOptions {
  /** Ascending by quantile; `error` is the relative value error allowed (see below). */
  quantiles: Array<{ quantile: number; error: number }>;
  maxAgeMs: number;
  ageBuckets: number;
  /**
   * Decimal digits the HDR histogram keeps (1..5): enough that its relative value error is
   * at most the smallest `error` asked for. 0.001 gives 3 digits.
   */
  significantDigits: number;
}

/** statsd_exporter's defaults (client_golang's max age and age buckets). */
export const DEFAULT_SUMMARY_QUANTILES = [
  { quantile: 0.5, error: 0.05 },
  { quantile: 0.9, error: 0.01 },
  { quantile: 0.99, error: 0.001 },
];
export const DEFAULT_SUMMARY_MAX_AGE_MS = 600_000;
export const DEFAULT_SUMMARY_AGE_BUCKETS = 5;

export const EMPTY_MAPPING: MappingConfig = {
  rules: [],
  typeTtlMs: [0, 0, 0, 0],
  seriesLimits: {},
  aggregations: [],
};
