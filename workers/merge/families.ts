import type { ExpositionFormat } from '../../src/protocol.js';

/**
 * Metric families of the data services push: the merged state of every series, by family.
 * store-family-writer.ts writes them as prom-client's Registry would; the registry itself
 * renders only the self-metrics. Push groups and OTLP still hand the writer prom-client
 * shaped snapshots (`get()` returning name, help, type and values).
 */

export type Labels = Record<string, string>;

/** The type strings prom-client's Registry switches on at run time. */
export type FamilyType = 'counter' | 'gauge' | 'histogram' | 'summary';

/** One sample line as the registry takes it; metricName overrides the family name. */
export interface SampleValue {
  value: number;
  labels: Labels;
  metricName?: string;
}

export interface FamilySnapshot {
  name: string;
  help: string;
  type: FamilyType;
  aggregator: 'sum';
  values: SampleValue[];
}

export interface ScalarSeries {
  labels: Labels;
  value: number;
}

export interface HistogramSeries {
  labels: Labels;
  sum: number;
  count: number;
  /** Not cumulative: one count per upper bound, +Inf last. */
  buckets: Float64Array;
}

/** What a registry sees: one per family and exposition format. */
export interface RegistryView {
  name: string;
  help: string;
  type: FamilyType;
  aggregator: 'sum';
  get(): FamilySnapshot;
  reset(): void;
}

export abstract class Family<S extends { labels: Labels }> {
  readonly series = new Map<string, S>();
  readonly baseName: string;
  readonly help: string;

  constructor(baseName: string, help: string) {
    this.baseName = baseName;
    this.help = help;
  }

  abstract get type(): FamilyType;
  /** The family name a format declares in # TYPE. */
  abstract familyName(format: ExpositionFormat): string;
}

/**
 * `baseName` has had one `_total` taken off already (name-claims.ts claims the names from
 * it). Exposed as `<base>_total` in the text format. In OpenMetrics the family is `<base>`
 * and the registry adds `_total` to each sample. Strip nothing more here: `x_total_total`
 * has base `x_total`, and declaring it as `x` would take a name no claim covers.
 */
export class CounterFamily extends Family<ScalarSeries> {
  get type(): FamilyType {
    return 'counter';
  }

  familyName(format: ExpositionFormat): string {
    return format === 'openmetrics' ? this.baseName : `${this.baseName}_total`;
  }
}

export class GaugeFamily extends Family<ScalarSeries> {
  get type(): FamilyType {
    return 'gauge';
  }

  familyName(): string {
    return this.baseName;
  }
}

export class HistogramFamily extends Family<HistogramSeries> {
  readonly upperBounds: readonly number[];
  /** `le` of each bucket as written, +Inf last. */
  readonly leLabels: readonly string[];

  constructor(baseName: string, help: string, upperBounds: readonly number[]) {
    super(baseName, help);
    this.upperBounds = upperBounds;
    this.leLabels = [...upperBounds.map(formatBound), '+Inf'];
  }

  get type(): FamilyType {
    return 'histogram';
  }

  familyName(): string {
    return this.baseName;
  }
}

/** `le` values as Prometheus client libraries print them: 1 → "1", 0.005 → "0.005". */
function formatBound(bound: number): string {
  return String(bound);
}
