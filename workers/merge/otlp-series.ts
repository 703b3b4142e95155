import type { ExpositionFormat, OtlpPoint } from '../../src/protocol.js';
import { SeriesKind } from '../../src/protocol.js';
import type { Labels, RegistryView, SampleValue } from './families.js';
import { namesOfFamily, type NameClaims } from './name-claims.js';
import type { FamilyRegistrar } from './series-store.js';

/**
 * OTLP streams, one value per (family, labels), kept by the merger across epochs.
 *
 * Merge rule per point (OtlpPoint.mode):
 *  - set (cumulative sums, gauges, cumulative histograms, summaries): the value replaces
 *    the stream's, as the SDK already accumulated it;
 *  - add (delta sums and histograms): added to the stream, which is cumulative from the
 *    first delta on. A delta histogram whose bounds differ from the stream's starts it over.
 * A family name keeps the type it was first pushed with; a point of another type, or of a
 * name another receiver owns, is refused (counted as type_conflict by the caller).
 */
interface Stream {
  labels: Labels;
  value: number;
  count: number;
  bounds: number[];
  counts: number[];
}

interface Family {
  type: OtlpPoint['type'];
  help: string;
  streams: Map<string, Stream>;
}

export class OtlpSeries {
  readonly #families = new Map<string, Family>();
  readonly #claims: NameClaims;
  readonly #registrar: FamilyRegistrar;

  constructor(claims: NameClaims, registrar: FamilyRegistrar) {
    this.#claims = claims;
    this.#registrar = registrar;
  }

  /** Applies one epoch's points from every shard, in stream order. Returns points refused. */
  apply(points: OtlpPoint[]): number {
    let refused = 0;
    points.sort((a, b) => a.order - b.order);
    for (const point of points) {
      const family = this.#familyFor(point);
      if (family === null) {
        refused++;
        continue;
      }
      const key = point.labels.join('\u0000');
      const stream = family.streams.get(key);
      if (stream === undefined || point.mode === 'set' || !sameBounds(stream, point)) {
        family.streams.set(key, {
          labels: toLabels(point.labels),
          value: point.value,
          count: point.count,
          bounds: point.bounds,
          counts: [...point.counts],
        });
        continue;
      }
      stream.value += point.value;
      stream.count += point.count;
      for (let i = 0; i < point.counts.length; i++) stream.counts[i] += point.counts[i];
    }
    return refused;
  }

  #familyFor(point: OtlpPoint): Family | null {
    const known = this.#families.get(point.family);
    if (known !== undefined) return known.type === point.type ? known : null;
    const names = claimedNames(point);
    if (!this.#claims.claim(`otlp:${point.family}`, names)) return null;

    const family: Family = {
      type: point.type,
      help: point.help || point.family,
      streams: new Map(),
    };
    this.#families.set(point.family, family);
    this.#registrar.register({
      text: view(point.family, family, 'text'),
      openmetrics: view(point.family, family, 'openmetrics'),
    });
    return family;
  }
}

function view(name: string, family: Family, format: ExpositionFormat): RegistryView {
  // Text: a counter family is declared as `<name>_total`; OpenMetrics adds the suffix itself.
  const familyName = family.type === 'counter' && format === 'text' ? `${name}_total` : name;
  const type = family.type as RegistryView['type'];
  const collect = (): SampleValue[] => {
    const values: SampleValue[] = [];
    for (const stream of family.streams.values()) {
      if (family.type === 'counter' || family.type === 'gauge') {
        values.push({ value: stream.value, labels: stream.labels });
      } else if (family.type === 'histogram') {
        let cumulative = 0;
        for (let i = 0; i < stream.counts.length; i++) {
          cumulative += stream.counts[i];
          const le = i < stream.bounds.length ? String(stream.bounds[i]) : '+Inf';
          values.push({
            metricName: `${name}_bucket`,
            value: cumulative,
            labels: { ...stream.labels, le },
          });
        }
        values.push({ metricName: `${name}_sum`, value: stream.value, labels: stream.labels });
        values.push({ metricName: `${name}_count`, value: stream.count, labels: stream.labels });
      } else {
        for (let i = 0; i < stream.bounds.length; i++) {
          const quantile = String(stream.bounds[i]);
          values.push({ value: stream.counts[i], labels: { ...stream.labels, quantile } });
        }
        values.push({ metricName: `${name}_sum`, value: stream.value, labels: stream.labels });
        values.push({ metricName: `${name}_count`, value: stream.count, labels: stream.labels });
      }
    }
    return values;
  };
  return {
    name: familyName,
    help: family.help,
    type,
    aggregator: 'sum',
    get: () => ({
      name: familyName,
      help: family.help,
      type,
      aggregator: 'sum',
      values: collect(),
    }),
    reset() {},
  };
}

function claimedNames(point: OtlpPoint): string[] {
  switch (point.type) {
    case 'counter':
      return namesOfFamily(SeriesKind.Counter, point.family).names;
    case 'histogram':
      return namesOfFamily(SeriesKind.Histogram, point.family).names;
    case 'summary':
      return [
        point.family,
        `${point.family}_sum`,
        `${point.family}_count`,
        `${point.family}_created`,
      ];
    default:
      return [point.family];
  }
}

function sameBounds(stream: Stream, point: OtlpPoint): boolean {
  return (
    stream.bounds.length === point.bounds.length &&
    stream.bounds.every((bound, i) => bound === point.bounds[i])
  );
}

function toLabels(flat: readonly string[]): Labels {
  const labels: Labels = Object.create(null);
  for (let i = 0; i < flat.length; i += 2) labels[flat[i]] = flat[i + 1];
  return labels;
}
