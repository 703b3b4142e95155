import client from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { ExpositionFormat } from '../../../../src/protocol.js';
import { DataFamilies } from '../../../../workers/merge/data-families.js';
import {
  CounterFamily,
  GaugeFamily,
  HistogramFamily,
  type FamilySnapshot,
  type Labels,
  type SampleValue,
} from '../../../../workers/merge/families.js';
import type { StoreFamily } from '../../../../workers/merge/family-factory.js';
import { SummaryFamily } from '../../../../workers/merge/summary-family.js';
import { SummaryWindow } from '../../../../workers/merge/summary-window.js';

/**
 * The merger's writer against prom-client 15's Registry, the renderer it replaced: each
 * family is also handed to a Registry as the samples the old families.ts gave it, and both
 * texts must be equal byte for byte, in both formats.
 */

function labels(flat: string[]): Labels {
  const made: Labels = Object.create(null);
  for (let i = 0; i < flat.length; i += 2) made[flat[i]] = flat[i + 1];
  return made;
}

/** The samples the registry-era families.ts produced for a family. */
function registrySamples(family: StoreFamily): SampleValue[] {
  const values: SampleValue[] = [];
  if (family instanceof HistogramFamily) {
    for (const series of family.series.values()) {
      let cumulative = 0;
      family.leLabels.forEach((le, i) => {
        cumulative += series.buckets[i];
        const withLe = { ...series.labels, le };
        values.push({ metricName: `${family.baseName}_bucket`, value: cumulative, labels: withLe });
      });
      values.push({
        metricName: `${family.baseName}_sum`,
        value: series.sum,
        labels: series.labels,
      });
      const count = series.count;
      values.push({ metricName: `${family.baseName}_count`, value: count, labels: series.labels });
    }
  } else if (family instanceof SummaryFamily) {
    for (const series of family.series.values()) {
      family.quantileLabels.forEach((quantile, i) => {
        const value = series.quantileValues[i];
        values.push({ value, labels: { ...series.labels, quantile } });
      });
      values.push({
        metricName: `${family.baseName}_sum`,
        value: series.sum,
        labels: series.labels,
      });
      const count = series.count;
      values.push({ metricName: `${family.baseName}_count`, value: count, labels: series.labels });
    }
  } else {
    for (const series of family.series.values()) {
      values.push({ value: (series as { value: number }).value, labels: series.labels });
    }
  }
  return values;
}

async function registryText(families: StoreFamily[], format: ExpositionFormat): Promise<string> {
  const registry = new client.Registry<client.OpenMetricsContentType>();
  if (format === 'openmetrics') registry.setContentType(client.Registry.OPENMETRICS_CONTENT_TYPE);
  for (const family of families) {
    const snapshot = (): FamilySnapshot => ({
      name: family.familyName(format),
      help: family.help,
      type: family.type,
      aggregator: 'sum',
      values: registrySamples(family),
    });
    const view = { ...snapshot(), get: snapshot, reset() {} };
    registry.registerMetric(view as unknown as client.Metric<string>);
  }
  return registry.metrics();
}

function writerText(families: StoreFamily[], format: ExpositionFormat): string {
  const data = new DataFamilies();
  for (const family of families) data.registerStoreFamily(family);
  const body = data.render(format);
  const ending = format === 'openmetrics' ? '\n# EOF\n' : '\n';
  return `${body}${ending}`;
}

function counter(help: string, values: Array<[string[], number]>): CounterFamily {
  const family = new CounterFamily('c', help);
  for (const [flat, value] of values)
    family.series.set(flat.join('\0'), { labels: labels(flat), value });
  return family;
}

const HOSTILE_VALUES: Array<[string[], number]> = [
  [[], 1],
  [['path', 'C:\\dir'], NaN],
  [['quote', 'say "hi"'], Infinity],
  [['line', 'a\nb'], -Infinity],
  [['zero', 'negative'], -0],
  [['big', 'yes'], 1e21],
  [['small', 'yes'], 5e-324],
  [['sum', 'float'], 0.1 + 0.2],
  [['__proto__', 'p', 'constructor', 'k'], 2],
];

function histogram(extraLabel: string[]): HistogramFamily {
  const family = new HistogramFamily('h', 'H', [0.005, 1, 2.5]);
  const flat = ['job', 'a"b', ...extraLabel];
  family.series.set(flat.join('\0'), {
    labels: labels(flat),
    sum: 0.3,
    count: 4,
    buckets: Float64Array.of(1, 0, 2, 1),
  });
  family.series.set('', { labels: labels([]), sum: NaN, count: 0, buckets: new Float64Array(4) });
  return family;
}

function summary(extraLabel: string[]): SummaryFamily {
  const options = {
    quantiles: [
      { quantile: 0.5, error: 0.05 },
      { quantile: 0.99, error: 0.001 },
    ],
    maxAgeMs: 600_000,
    ageBuckets: 5,
    significantDigits: 3,
  };
  const family = new SummaryFamily('s', 'S', options);
  const flat = ['job', 'x', ...extraLabel];
  family.series.set(flat.join('\0'), {
    labels: labels(flat),
    sum: 12.5,
    count: 3,
    window: new SummaryWindow(options),
    quantileValues: [0.25, NaN],
  });
  return family;
}

const CASES: Array<{ name: string; families: () => StoreFamily[] }> = [
  { name: 'no families', families: () => [] },
  {
    name: 'counter with hostile label values and numbers',
    families: () => [counter('C', HOSTILE_VALUES)],
  },
  {
    name: 'help holding a backslash and a newline',
    families: () => [counter('a\\b\nc', [[[], 3]])],
  },
  {
    name: 'counter whose base ends in _total',
    families: () => {
      const family = new CounterFamily('x_total', 'X');
      family.series.set('', { labels: labels([]), value: 4 });
      return [family];
    },
  },
  {
    name: 'gauge, empty family, then another gauge',
    families: () => {
      const first = new GaugeFamily('g', 'G');
      first.series.set('k', { labels: labels(['k', 'v']), value: -2.5 });
      const second = new GaugeFamily('g2', 'G2');
      second.series.set('', { labels: labels([]), value: 7 });
      return [first, new GaugeFamily('empty', 'E'), second];
    },
  },
  { name: 'histogram with and without labels', families: () => [histogram([])] },
  { name: 'histogram whose series has its own le label', families: () => [histogram(['le', '9'])] },
  { name: 'summary', families: () => [summary([])] },
  {
    name: 'summary whose series has its own quantile label',
    families: () => [summary(['quantile', 'q'])],
  },
];

describe('exposition writer', () => {
  for (const { name, families } of CASES) {
    for (const format of ['text', 'openmetrics'] as const) {
      it(`writes ${name} as prom-client's Registry does, in ${format}`, async () => {
        expect(writerText(families(), format)).toBe(await registryText(families(), format));
      });
    }
  }

  it('writes a pushed family snapshot as prom-client writes it, OpenMetrics counters with _total', async () => {
    const snapshot: FamilySnapshot = {
      name: 'pushed',
      help: 'P\\',
      type: 'counter',
      aggregator: 'sum',
      values: [
        { metricName: 'pushed', value: 3, labels: labels(['job', 'a\nb']) },
        { value: NaN, labels: {} },
      ],
    };
    for (const format of ['text', 'openmetrics'] as const) {
      const data = new DataFamilies();
      const view = { ...snapshot, get: () => snapshot, reset() {} };
      data.register({ text: view, openmetrics: view });
      const registry = new client.Registry<client.OpenMetricsContentType>();
      if (format === 'openmetrics')
        registry.setContentType(client.Registry.OPENMETRICS_CONTENT_TYPE);
      registry.registerMetric({ ...view } as unknown as client.Metric<string>);
      const ending = format === 'openmetrics' ? '\n# EOF\n' : '\n';
      expect(`${data.render(format)}${ending}`).toBe(await registry.metrics());
    }
  });
});
