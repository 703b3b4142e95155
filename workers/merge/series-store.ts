import { SeriesKind, type SeriesDefinition } from '../../src/protocol.js';
import {
  CounterFamily,
  GaugeFamily,
  HistogramFamily,
  type Family,
  type HistogramSeries,
  type Labels,
  type RegistryView,
  type ScalarSeries,
} from './families.js';
import { NameClaims, counterBaseName, namesOfFamily } from './name-claims.js';

/** A shard's series, resolved: where its samples go, or REFUSED when its type lost. */
export type MergedSeries = ScalarSeries | HistogramSeries;
export const REFUSED = null;
export type SeriesRef = MergedSeries | typeof REFUSED;

interface ShardRefs {
  generation: number;
  /** bySlot[kind][slot]: ids are slot * 4 + kind, so each kind indexes densely. */
  bySlot: SeriesRef[][];
}

export interface FamilyRegistrar {
  register(views: { text: RegistryView; openmetrics: RegistryView }): void;
}

const SERVICE_CHECK_HELP =
  'DogStatsD service check status: 0 ok, 1 warning, 2 critical, 3 unknown.';

/**
 * The merged series of everything pushed, grouped into families, and the per-shard tables
 * that turn a shard's series id into the merged series it feeds.
 */
export class SeriesStore {
  readonly families = new Map<string, Family<ScalarSeries> | Family<HistogramSeries>>();
  readonly setFamilies = new Set<GaugeFamily>();
  readonly claims: NameClaims;
  readonly #refs = new Map<number, ShardRefs>();
  readonly #histogramBuckets: readonly number[];
  readonly #registrar: FamilyRegistrar;

  constructor(options: {
    claims: NameClaims;
    histogramBuckets: readonly number[];
    registrar: FamilyRegistrar;
  }) {
    this.claims = options.claims;
    this.#histogramBuckets = options.histogramBuckets;
    this.#registrar = options.registrar;
  }

  /** Counts of exposed series by kind name. */
  seriesCounts(): Record<'counter' | 'gauge' | 'histogram' | 'set', number> {
    const counts = { counter: 0, gauge: 0, histogram: 0, set: 0 };
    for (const family of this.families.values()) {
      const kind = this.setFamilies.has(family as GaugeFamily) ? 'set' : family.type;
      counts[kind] += family.series.size;
    }
    return counts;
  }

  /** Resolves a definition a shard sent. Call in stream order (by firstOrder) per epoch. */
  define(shard: number, generation: number, definition: SeriesDefinition): SeriesRef {
    const ref = this.#resolve(definition);
    const refs = this.#refsOf(shard, generation);
    const kind = definition.id & 3;
    refs.bySlot[kind][definition.id >>> 2] = ref;
    return ref;
  }

  /** The merged series for a name and labels, bound to no shard id (state-file restore). */
  seriesFor(kind: SeriesKind, name: string, labels: string[]): SeriesRef {
    return this.#resolve({ id: 0, kind, name, labels, firstOrder: 0 });
  }

  /** The series a shard's id feeds; undefined when the id was never defined. */
  lookup(shard: number, generation: number, id: number): SeriesRef | undefined {
    const refs = this.#refs.get(shard);
    if (refs === undefined || refs.generation !== generation) return undefined;
    return refs.bySlot[id & 3][id >>> 2];
  }

  #refsOf(shard: number, generation: number): ShardRefs {
    let refs = this.#refs.get(shard);
    // A new generation of a shard numbers its series from scratch. A late delta of a
    // replaced generation must not wipe its successor's table: its ids go nowhere.
    if (refs !== undefined && generation < refs.generation) {
      return { generation, bySlot: [[], [], [], []] };
    }
    if (refs === undefined || refs.generation !== generation) {
      refs = { generation, bySlot: [[], [], [], []] };
      this.#refs.set(shard, refs);
    }
    return refs;
  }

  #resolve(definition: SeriesDefinition): SeriesRef {
    const family = this.#familyFor(definition.kind, definition.name);
    if (family === null) return REFUSED;
    const key = definition.labels.join('\u0000');
    const existing = family.series.get(key);
    if (existing !== undefined) return existing;

    const labels = toLabels(definition.labels);
    const series: MergedSeries =
      family instanceof HistogramFamily
        ? {
            labels,
            sum: 0,
            count: 0,
            buckets: new Float64Array(family.upperBounds.length + 1),
          }
        : { labels, value: 0 };
    (family.series as Map<string, MergedSeries>).set(key, series);
    return series;
  }

  #familyFor(
    kind: SeriesKind,
    name: string,
  ): Family<ScalarSeries> | Family<HistogramSeries> | null {
    const { owner, names } = namesOfFamily(kind, name);
    const existing = this.families.get(owner);
    if (existing !== undefined) return existing;
    if (!this.claims.claim(owner, names)) return null;

    const help =
      name === 'service_check_status' ? SERVICE_CHECK_HELP : `StatsD ${kindName(kind)} ${name}`;
    let family: Family<ScalarSeries> | Family<HistogramSeries>;
    if (kind === SeriesKind.Counter) family = new CounterFamily(counterBaseName(name), help);
    else if (kind === SeriesKind.Histogram) {
      family = new HistogramFamily(name, help, this.#histogramBuckets);
    } else {
      family = new GaugeFamily(name, help);
      if (kind === SeriesKind.Set) this.setFamilies.add(family as GaugeFamily);
    }
    this.families.set(owner, family);
    this.#registrar.register({
      text: family.view('text'),
      openmetrics: family.view('openmetrics'),
    });
    return family;
  }
}

function toLabels(flat: readonly string[]): Labels {
  // No prototype: a label named `__proto__` or `constructor` is just a key here.
  const labels: Labels = Object.create(null);
  for (let i = 0; i < flat.length; i += 2) labels[flat[i]] = flat[i + 1];
  return labels;
}

function kindName(kind: SeriesKind): string {
  return ['counter', 'gauge', 'timer/histogram', 'set'][kind];
}
