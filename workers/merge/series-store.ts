import {
  EMPTY_MAPPING,
  SeriesKind,
  type MappingConfig,
  type SeriesDefinition,
} from '../../src/protocol.js';
import { reportCardinality, type CardinalityJson } from './cardinality.js';
import {
  GaugeFamily,
  HistogramFamily,
  type HistogramSeries,
  type ScalarSeries,
} from './families.js';
import type { FamilyRegistrar } from './data-families.js';
import { createFamily, toLabels, type StoreFamily } from './family-factory.js';
import {
  clearSources,
  expireSources,
  isGaugeSource,
  sourceFor,
  type CombinedGauge,
  type GaugeSource,
} from './gauge-sources.js';
import { NameClaims, namesOfFamily } from './name-claims.js';
import { LimitDrops, type SeriesLimitKind } from './limit-drops.js';
import { ShardIdTables } from './shard-id-tables.js';
import { SummaryFamily, type SummarySeries } from './summary-family.js';

export type { FamilyRegistrar, StoreFamily };

/** What the store keeps beside each series: for TTL, limits and revival after expiry. */
interface Tracked {
  key: string;
  family: StoreFamily;
  /** Metric name as defined (after mapping), for its per-metric limit. */
  metric: string;
  lastSeenMs: number;
  /** 0: never expires. */
  ttlMs: number;
  isExpired: boolean;
}

/**
 * A shard's series, resolved: where its samples go (a merged series, or the source of a
 * combined gauge); REFUSED when its type lost; OVER_LIMIT when creating it would pass
 * --max-series or the metric's own limit.
 */
export type MergedSeries = ((ScalarSeries & CombinedGauge) | HistogramSeries | SummarySeries) &
  Tracked;
export const REFUSED = null;
export const OVER_LIMIT = false;
export type SeriesRef = MergedSeries | GaugeSource | typeof REFUSED | typeof OVER_LIMIT;

interface LimitRefusal {
  refusedMetric: string;
  limit: SeriesLimitKind;
}

/**
 * The merged series of everything pushed, grouped into families, and the per-shard tables
 * that turn a shard's series id into the merged series it feeds.
 */
export class SeriesStore {
  readonly families = new Map<string, StoreFamily>();
  readonly setFamilies = new Set<GaugeFamily>();
  readonly summaryFamilies = new Set<SummaryFamily>();
  readonly claims: NameClaims;
  /** An id a limit refused holds which metric and limit, to charge its samples to them. */
  readonly #refs = new ShardIdTables<SeriesRef | LimitRefusal>();
  readonly #histogramBuckets: readonly number[];
  readonly #registrar: FamilyRegistrar;
  readonly #maxSeries: number;
  readonly #maxSummarySeries: number;
  #mapping: MappingConfig;
  #seriesCount = 0;
  /** Summary series held, part of #seriesCount; bounded on their own: each costs kBs. */
  #summaryCount = 0;
  /** Sources of combined gauges held; they count against --max-series with the series. */
  #sourceCount = 0;
  /** Set by beginFold: the time every series a delta touches is marked as seen at. */
  #nowMs = 0;
  /** Samples refused by a series limit since start, by metric and limit. */
  readonly limitDrops = new LimitDrops();
  /** Why the last OVER_LIMIT answer was given; countLimitDrop charges it. */
  #lastRefusal: LimitRefusal = { refusedMetric: '', limit: 'max_series' };

  constructor(options: {
    claims: NameClaims;
    histogramBuckets: readonly number[];
    registrar: FamilyRegistrar;
    /** Series over all metrics; Infinity when unbounded (tests). */
    maxSeries?: number;
    /** Summary series; Infinity when unbounded (tests). */
    maxSummarySeries?: number;
    mapping?: MappingConfig;
  }) {
    this.claims = options.claims;
    this.#histogramBuckets = options.histogramBuckets;
    this.#registrar = options.registrar;
    this.#maxSeries = options.maxSeries ?? Infinity;
    this.#maxSummarySeries = options.maxSummarySeries ?? Infinity;
    this.#mapping = options.mapping ?? EMPTY_MAPPING;
  }

  get seriesCount(): number {
    return this.#seriesCount;
  }

  get summarySeriesCount(): number {
    return this.#summaryCount;
  }

  /** Hidden source series of combined gauges (gauge-sources.ts). */
  get sourceCount(): number {
    return this.#sourceCount;
  }

  /** Limits and type TTLs of new rules; series already defined keep theirs until redefined. */
  replaceMapping(mapping: MappingConfig): void {
    this.#mapping = mapping;
  }

  beginFold(nowMs: number): void {
    this.#nowMs = nowMs;
  }

  /** The time beginFold set: what summary windows slide to. */
  get foldNowMs(): number {
    return this.#nowMs;
  }

  /**
   * Forgets series idle for longer than their TTL. A shard's id may still point at one: the
   * next sample revives it from zero (a counter reset, which rate() handles).
   */
  expireIdle(nowMs: number): number {
    let expired = 0;
    for (const family of this.families.values()) {
      for (const [key, series] of family.series as Map<string, MergedSeries>) {
        if ('value' in series) this.#sourceCount -= expireSources(series, nowMs);
        if (series.ttlMs === 0 || nowMs - series.lastSeenMs <= series.ttlMs) continue;
        family.series.delete(key);
        series.isExpired = true;
        if ('value' in series) this.#sourceCount -= clearSources(series);
        resetValues(series);
        this.#seriesCount--;
        if ('window' in series) this.#summaryCount--;
        expired++;
      }
    }
    return expired;
  }

  cardinality(): CardinalityJson {
    return reportCardinality(this.families, {
      seriesCount: this.#seriesCount,
      maxSeries: this.#maxSeries,
      summarySeriesCount: this.#summaryCount,
      maxSummarySeries: this.#maxSummarySeries,
      limitDrops: this.limitDrops.report(),
    });
  }

  /** Counts of exposed series by kind name. */
  seriesCounts(): Record<'counter' | 'gauge' | 'histogram' | 'summary' | 'set', number> {
    const counts = { counter: 0, gauge: 0, histogram: 0, summary: 0, set: 0 };
    for (const family of this.families.values()) {
      const kind = this.setFamilies.has(family as GaugeFamily) ? 'set' : family.type;
      counts[kind] += family.series.size;
    }
    return counts;
  }

  /** Resolves a definition a shard sent. Call in stream order (by firstOrder) per epoch. */
  define(shard: number, generation: number, definition: SeriesDefinition): SeriesRef {
    const ref = this.#resolve(definition);
    this.#refs.set(shard, generation, definition.id, ref === OVER_LIMIT ? this.#lastRefusal : ref);
    return ref;
  }

  /**
   * Counts `samples` against the metric and limit of the last OVER_LIMIT lookup answered.
   * Returns that limit.
   */
  countLimitDrop(samples: number): SeriesLimitKind {
    this.limitDrops.count(this.#lastRefusal.refusedMetric, this.#lastRefusal.limit, samples);
    return this.#lastRefusal.limit;
  }

  /** The merged series for a name and labels, bound to no shard id (state-file restore). */
  seriesFor(kind: SeriesKind, name: string, labels: string[]): SeriesRef {
    return this.#resolve({ id: 0, kind, name, labels, firstOrder: 0 });
  }

  /** The series a shard's id feeds; undefined when the id was never defined. */
  lookup(shard: number, generation: number, id: number): SeriesRef | undefined {
    const ref = this.#refs.get(shard, generation, id);
    if (ref === undefined || ref === REFUSED || ref === OVER_LIMIT) return ref;
    if ('refusedMetric' in ref) {
      this.#lastRefusal = ref;
      return OVER_LIMIT;
    }
    const series = isGaugeSource(ref) ? (ref.owner as MergedSeries) : ref;
    if (series.isExpired && !this.#revive(series)) return OVER_LIMIT;
    series.lastSeenMs = this.#nowMs;
    if (!isGaugeSource(ref)) return ref;

    // A source whose owner stopped combining (its rule became `last`) feeds nothing.
    const sources = ref.owner.combination?.sources;
    if (sources === undefined) return undefined;
    if (ref.isExpired) {
      if (this.#heldCount >= this.#maxSeries) return this.#refuse(series.metric, 'max_series');
      sources.set(ref.key, ref);
      ref.isExpired = false;
      this.#sourceCount++;
    }
    ref.lastSeenMs = this.#nowMs;
    return ref;
  }

  get #heldCount(): number {
    return this.#seriesCount + this.#sourceCount;
  }

  #revive(series: MergedSeries): boolean {
    const limit = this.#isOverLimit(series.family, series.metric);
    if (limit !== null) {
      this.#refuse(series.metric, limit);
      return false;
    }
    (series.family.series as Map<string, MergedSeries>).set(series.key, series);
    series.isExpired = false;
    this.#seriesCount++;
    if ('window' in series) this.#summaryCount++;
    return true;
  }

  /** Which limit creating one more series of `metric` would pass, or null. */
  #isOverLimit(family: StoreFamily, metric: string): SeriesLimitKind | null {
    if (this.#heldCount >= this.#maxSeries) return 'max_series';
    const isSummary = family instanceof SummaryFamily;
    if (isSummary && this.#summaryCount >= this.#maxSummarySeries) return 'max_summary_series';
    const limit = this.#mapping.seriesLimits[metric];
    return limit !== undefined && family.series.size >= limit ? 'metric_limit' : null;
  }

  #refuse(metric: string, limit: SeriesLimitKind): typeof OVER_LIMIT {
    this.#lastRefusal = { refusedMetric: metric, limit };
    return OVER_LIMIT;
  }

  #resolve(definition: SeriesDefinition): SeriesRef {
    // At the bound not even a family is made: a flood of names would register one each.
    const { owner } = namesOfFamily(definition.kind, definition.name);
    if (this.#heldCount >= this.#maxSeries && !this.families.has(owner)) {
      return this.#refuse(definition.name, 'max_series');
    }
    const isSummaryFull = this.#summaryCount >= this.#maxSummarySeries;
    if (isSummaryFull && definition.summary !== undefined && !this.families.has(owner)) {
      return this.#refuse(definition.name, 'max_summary_series');
    }
    const family = this.#familyFor(definition);
    if (family === null) return REFUSED;
    // A rule turned a histogram into a summary or back: the family keeps its first kind.
    if (family instanceof SummaryFamily !== (definition.summary !== undefined)) return REFUSED;
    const key = definition.labels.join('\u0000');
    const ttlMs = definition.ttlMs ?? this.#mapping.typeTtlMs[definition.kind] ?? 0;
    const existing = family.series.get(key) as MergedSeries | undefined;
    if (existing !== undefined) {
      existing.ttlMs = ttlMs;
      return this.#sourceOf(existing, definition, ttlMs);
    }
    // Over a limit: the series is not created and its samples are dropped and counted; one
    // overflow series per metric would still hide which label exploded, so we chose to drop.
    const limit = this.#isOverLimit(family, definition.name);
    if (limit !== null) return this.#refuse(definition.name, limit);
    // A combined gauge needs room for its first source too, or it would show 0 with none.
    if (definition.gaugeSource !== undefined && this.#heldCount + 2 > this.#maxSeries) {
      return this.#refuse(definition.name, 'max_series');
    }

    const tracked: Tracked = {
      key,
      family,
      metric: definition.name,
      lastSeenMs: this.#nowMs,
      ttlMs,
      isExpired: false,
    };
    const labels = toLabels(definition.labels);
    let series: MergedSeries;
    if (family instanceof SummaryFamily) series = { ...family.createSeries(labels), ...tracked };
    else if (family instanceof HistogramFamily) {
      const buckets = new Float64Array(family.upperBounds.length + 1);
      series = { labels, sum: 0, count: 0, buckets, ...tracked };
    } else series = { labels, value: 0, ...tracked };
    (family.series as Map<string, MergedSeries>).set(key, series);
    this.#seriesCount++;
    if (family instanceof SummaryFamily) this.#summaryCount++;
    return this.#sourceOf(series, definition, ttlMs);
  }

  /**
   * The series itself, or for a combined gauge the source the definition names, made when
   * new. A definition without a source on a combining series means its rule became `last`.
   */
  #sourceOf(series: MergedSeries, definition: SeriesDefinition, ttlMs: number): SeriesRef {
    if (!('value' in series)) return series;
    const wanted = definition.gaugeSource;
    if (wanted === undefined) {
      if (series.combination !== undefined) {
        this.#sourceCount -= clearSources(series);
        series.combination = undefined;
      }
      return series;
    }
    const hasRoom = this.#heldCount < this.#maxSeries;
    const found = sourceFor(series, wanted, ttlMs, this.#nowMs, hasRoom);
    if (found === null) return this.#refuse(definition.name, 'max_series');
    if (found.isNew) this.#sourceCount++;
    return found.source;
  }

  #familyFor(definition: SeriesDefinition): StoreFamily | null {
    const { kind, name } = definition;
    const { owner, names } = namesOfFamily(kind, name);
    const existing = this.families.get(owner);
    if (existing !== undefined) return existing;
    if (!this.claims.claim(owner, names)) return null;

    const family = createFamily(definition, this.#histogramBuckets);
    if (family instanceof SummaryFamily) this.summaryFamilies.add(family);
    if (kind === SeriesKind.Set) this.setFamilies.add(family as GaugeFamily);
    this.families.set(owner, family);
    this.#registrar.registerStoreFamily(family);
    return family;
  }
}

function resetValues(series: MergedSeries): void {
  if ('window' in series) {
    series.sum = 0;
    series.count = 0;
    series.window.clear();
    series.quantileValues.fill(NaN);
  } else if ('buckets' in series) {
    series.sum = 0;
    series.count = 0;
    series.buckets.fill(0);
  } else {
    series.value = 0;
  }
}
