import { gunzipSync } from 'node:zlib';
import client from 'prom-client';
import { describe, expect, it } from 'vitest';
import { SeriesKind } from '../../../../src/protocol.js';
import { DataFamilies } from '../../../../workers/merge/data-families.js';
import { ExpositionRenderer } from '../../../../workers/merge/exposition.js';
import { foldEpoch } from '../../../../workers/merge/fold.js';
import {
  createMergedStore,
  definition,
  shardDelta,
  type MergedStore,
} from '../../../helpers/merge.js';

const RECORD = 65536;
const { Counter, Gauge, Histogram, Set } = SeriesKind;

function id(kind: SeriesKind, slot: number): number {
  return slot * 4 + kind;
}

/** Both renderings of what one shard's delta folds into a fresh store. */
async function render(
  parts: Parameters<typeof shardDelta>[0],
  buckets: readonly number[] = [],
): Promise<{ text: string; openMetrics: string; merged: MergedStore }> {
  const merged = createMergedStore(buckets, { claimsSelfMetrics: true });
  foldEpoch(merged.store, [shardDelta(parts)]);
  return {
    text: await merged.registries.text.metrics(),
    openMetrics: await merged.registries.openmetrics.metrics(),
    merged,
  };
}

describe('exposition of merged families', () => {
  it('renders counter x as x_total, and in OpenMetrics as family x, sample x_total', async () => {
    const { text, openMetrics } = await render({
      shard: 0,
      epoch: 0,
      definitions: [definition(Counter, 0, 'x', 0)],
      counters: Float64Array.of(id(Counter, 0), 2, 5),
    });

    expect(text).toBe(
      ['# HELP x_total StatsD counter x', '# TYPE x_total counter', 'x_total 5', ''].join('\n'),
    );
    expect(openMetrics).toBe(
      ['# HELP x StatsD counter x', '# TYPE x counter', 'x_total 5', '# EOF', ''].join('\n'),
    );
  });

  it('renders a counter pushed as x_total under the same names as x', async () => {
    const { text, openMetrics } = await render({
      shard: 0,
      epoch: 0,
      definitions: [definition(Counter, 0, 'x_total', 0)],
      counters: Float64Array.of(id(Counter, 0), 1, 3),
    });

    expect(text).toContain('# TYPE x_total counter\nx_total 3\n');
    expect(openMetrics).toContain('# TYPE x counter\nx_total 3\n# EOF\n');
  });

  it('keeps the single _total left after stripping one from x_total_total', async () => {
    const { text, openMetrics } = await render({
      shard: 0,
      epoch: 0,
      definitions: [definition(Counter, 0, 'x_total_total', 0), definition(Gauge, 0, 'x', 1)],
      counters: Float64Array.of(id(Counter, 0), 1, 3),
      gauges: Float64Array.of(id(Gauge, 0), 1, 1, 1, 9, 0),
    });

    expect(text).toContain('# TYPE x_total_total counter\nx_total_total 3\n');
    expect(text).toContain('# TYPE x gauge\nx 9\n');
    expect(openMetrics).toContain('# TYPE x_total counter\nx_total_total 3\n');
    expect(openMetrics).toContain('# TYPE x gauge\nx 9\n');
  });

  it('renders histogram buckets cumulatively up to le="+Inf", then sum and count', async () => {
    const { text, openMetrics } = await render(
      {
        shard: 0,
        epoch: 0,
        definitions: [definition(Histogram, 0, 'lat', 0, { path: '/a' })],
        histogramStride: 4 + 3,
        histograms: Float64Array.of(id(Histogram, 0), 6, 12.25, 6, 1, 3, 2),
      },
      [0.005, 1],
    );

    const series = [
      'lat_bucket{path="/a",le="0.005"} 1',
      'lat_bucket{path="/a",le="1"} 4',
      'lat_bucket{path="/a",le="+Inf"} 6',
      'lat_sum{path="/a"} 12.25',
      'lat_count{path="/a"} 6',
    ];
    const head = ['# HELP lat StatsD timer/histogram lat', '# TYPE lat histogram'];
    expect(text).toBe([...head, ...series, ''].join('\n'));
    expect(openMetrics).toBe([...head, ...series, '# EOF', ''].join('\n'));
  });

  it('escapes backslash, double quote and newline in label values', async () => {
    const { text } = await render({
      shard: 0,
      epoch: 0,
      definitions: [definition(Gauge, 0, 'g', 0, { v: 'a\\b"c\nd' })],
      gauges: Float64Array.of(id(Gauge, 0), 1, 1, 0, 1, 0),
    });

    expect(text.split('\n')).toContain('g{v="a\\\\b\\"c\\nd"} 1');
  });

  it('renders gauges and sets as gauges, labels in name order', async () => {
    const { text } = await render({
      shard: 0,
      epoch: 0,
      definitions: [
        definition(Gauge, 0, 'temp', 0, { room: 'b', floor: '1' }),
        definition(Set, 0, 'users', RECORD),
      ],
      gauges: Float64Array.of(id(Gauge, 0), 1, 1, 0, -2.5, 0),
      sets: [[id(Set, 0), 2, ['ann', 'bob']]],
    });

    expect(text).toBe(
      [
        '# HELP temp StatsD gauge temp',
        '# TYPE temp gauge',
        'temp{floor="1",room="b"} -2.5',
        '',
        '# HELP users StatsD set users',
        '# TYPE users gauge',
        'users 2',
        '',
      ].join('\n'),
    );
  });

  it("does not let traffic take a self-metric's name", async () => {
    const { merged } = await render({
      shard: 0,
      epoch: 0,
      definitions: [definition(Counter, 0, 'catalyst_ingest_datagrams', 0)],
      counters: Float64Array.of(id(Counter, 0), 1, 1),
    });

    expect(merged.store.families.size).toBe(0);
    expect(await merged.registries.text.metrics()).toBe('\n');
  });

  it('compresses exactly the bytes it renders', async () => {
    const { merged } = await render({
      shard: 0,
      epoch: 0,
      definitions: [definition(Counter, 0, 'x', 0)],
      counters: Float64Array.of(id(Counter, 0), 1, 1),
    });

    const rendered = await merged.render('text');
    const text = Buffer.from(rendered.plain).toString('utf8');
    expect(text).toBe('# HELP x_total StatsD counter x\n# TYPE x_total counter\nx_total 1\n');
    expect(gunzipSync(rendered.gzip).toString('utf8')).toBe(text);
  });

  it('reuses the data part until it is marked changed, the gzip still the same text', async () => {
    const { merged } = await render({
      shard: 0,
      epoch: 0,
      definitions: [definition(Counter, 0, 'x', 0)],
      counters: Float64Array.of(id(Counter, 0), 1, 1),
    });
    const data = new DataFamilies();
    const renderer = new ExpositionRenderer(data);
    const family = [...merged.store.families.values()][0];
    data.registerStoreFamily(family);
    const self = new client.Registry();
    new client.Counter({ name: 'self_events_total', help: 'S', registers: [self] }).inc();

    const first = await renderer.render(self, 'text');
    (family.series.values().next().value as { value: number }).value = 9;
    const reused = await renderer.render(self, 'text');
    data.markChanged();
    const changed = await renderer.render(self, 'text');

    const selfLines =
      '# HELP self_events_total S\n# TYPE self_events_total counter\nself_events_total 1';
    const dataLines = (value: number) =>
      `# HELP x_total StatsD counter x\n# TYPE x_total counter\nx_total ${value}\n`;
    expect(Buffer.from(first.plain).toString('utf8')).toBe(`${selfLines}\n\n${dataLines(1)}`);
    expect(Buffer.from(reused.plain).toString('utf8')).toBe(`${selfLines}\n\n${dataLines(1)}`);
    expect(Buffer.from(changed.plain).toString('utf8')).toBe(`${selfLines}\n\n${dataLines(9)}`);
    expect(gunzipSync(changed.gzip).toString('utf8')).toBe(`${selfLines}\n\n${dataLines(9)}`);
  });
});
