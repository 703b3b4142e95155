import { SeriesKind, type SeriesDefinition } from '../../src/protocol.js';
import {
  CounterFamily,
  GaugeFamily,
  HistogramFamily,
  type Family,
  type HistogramSeries,
  type Labels,
  type ScalarSeries,
} from './families.js';
import { counterBaseName } from './name-claims.js';
import { SummaryFamily, type SummarySeries } from './summary-family.js';

/** Every kind of family the series store holds. */
export type StoreFamily = Family<ScalarSeries> | Family<HistogramSeries> | Family<SummarySeries>;

const SERVICE_CHECK_HELP =
  'DogStatsD service check status: 0 ok, 1 warning, 2 critical, 3 unknown.';

/**
 * The family a shard's first definition of a name calls for: a summary when a mapping rule
 * said so, a histogram with the rule's bounds or `defaultBuckets`, a counter, or a gauge
 * (sets are gauges of distinct counts).
 */
export function createFamily(
  definition: SeriesDefinition,
  defaultBuckets: readonly number[],
): StoreFamily {
  const { kind, name, buckets, summary } = definition;
  const help =
    name === 'service_check_status' ? SERVICE_CHECK_HELP : `StatsD ${kindName(kind)} ${name}`;
  if (kind === SeriesKind.Counter) return new CounterFamily(counterBaseName(name), help);
  if (kind === SeriesKind.Histogram && summary !== undefined) {
    return new SummaryFamily(name, help, summary);
  }
  if (kind === SeriesKind.Histogram) {
    return new HistogramFamily(name, help, buckets ?? defaultBuckets);
  }
  return new GaugeFamily(name, help);
}

/** Label pairs flattened [name0, value0, ...] as an object for prom-client. */
export function toLabels(flat: readonly string[]): Labels {
  // No prototype: a label named `__proto__` or `constructor` is just a key here.
  const labels: Labels = Object.create(null);
  for (let i = 0; i < flat.length; i += 2) labels[flat[i]] = flat[i + 1];
  return labels;
}

function kindName(kind: SeriesKind): string {
  return ['counter', 'gauge', 'timer/histogram', 'set'][kind];
}
