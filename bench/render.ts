import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import client from 'prom-client';
import { SeriesKind, type ExpositionFormat } from '../src/protocol.js';
import { DataFamilies } from '../workers/merge/data-families.js';
import { ExpositionRenderer } from '../workers/merge/exposition.js';
import { NameClaims } from '../workers/merge/name-claims.js';
import { SeriesStore, type MergedSeries } from '../workers/merge/series-store.js';

/**
 * What the merger's data families cost, without a daemon around them:
 *
 *   create ms        SeriesStore.define for every series (families, claims, registration)
 *   bytes / series   JS heap + array buffers after a GC, over an empty store
 *   render ms        one exposition as exposition.ts makes it (text, bytes, gzip level 3),
 *                    with empty self-metrics: after a change (pass 1 and 3) and with
 *                    nothing changed since the last one (pass 2, the reused data part)
 *
 * Run: npm run build && node --expose-gc dist/bench/render.js [case ...]
 * One case per process gives the cleanest bytes per series.
 * Cases: 'counters 100k names', 'counters 1M names', 'counters 100k labels',
 * 'histograms 10k'. Bounded: each case defines its series once and renders three times per
 * format.
 */

interface RenderCase {
  name: string;
  series: number;
  kind: SeriesKind;
  /** Distinct names (one family each), or one name with a distinct label value each. */
  isNamePerSeries: boolean;
}

const CASES: RenderCase[] = [
  { name: 'counters 100k names', series: 100_000, kind: SeriesKind.Counter, isNamePerSeries: true },
  { name: 'counters 1M names', series: 1_000_000, kind: SeriesKind.Counter, isNamePerSeries: true },
  {
    name: 'counters 100k labels',
    series: 100_000,
    kind: SeriesKind.Counter,
    isNamePerSeries: false,
  },
  { name: 'histograms 10k', series: 10_000, kind: SeriesKind.Histogram, isNamePerSeries: false },
];
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The exposition as the merger renders it, with no self-metrics. */
interface ExpositionBench {
  store: SeriesStore;
  data: DataFamilies;
  render(format: ExpositionFormat): Promise<{ plain: Uint8Array; gzip: Uint8Array }>;
}

function createRenderer(): ExpositionBench {
  const text = new client.Registry();
  const openmetrics = new client.Registry<client.OpenMetricsContentType>();
  openmetrics.setContentType(client.Registry.OPENMETRICS_CONTENT_TYPE);
  const registries: Record<ExpositionFormat, client.Registry> = {
    text,
    openmetrics: openmetrics as unknown as client.Registry,
  };
  const data = new DataFamilies();
  const renderer = new ExpositionRenderer(data);
  const claims = new NameClaims();
  const store = new SeriesStore({ claims, histogramBuckets: BUCKETS, registrar: data });
  return { store, data, render: (format) => renderer.render(registries[format], format) };
}

function heapBytes(): number {
  // Twice: external Buffer memory is given back only once its owner was collected.
  globalThis.gc?.();
  globalThis.gc?.();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

function populate(store: SeriesStore, shape: RenderCase): void {
  for (let i = 0; i < shape.series; i++) {
    const name = shape.isNamePerSeries ? `bench_c${i}` : 'bench_h';
    const labels = shape.isNamePerSeries ? [] : ['host', `h${i}`, 'path', '/api/v1/items'];
    const ref = store.define(0, 0, { id: i, kind: shape.kind, name, labels, firstOrder: i });
    const series = ref as MergedSeries;
    if ('value' in series) series.value = i + 0.5;
    else if ('buckets' in series) {
      series.buckets[i % series.buckets.length] = 3;
      series.sum = i / 7;
      series.count = 3;
    }
  }
}

/** Process CPU (every thread, GC helpers included), in ms: wall time lies on a busy host. */
function cpuMs(usage: NodeJS.CpuUsage): number {
  return Math.round((usage.user + usage.system) / 1000);
}

async function runCase(shape: RenderCase): Promise<Record<string, number | string>> {
  const before = heapBytes();
  const renderer = createRenderer();
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  populate(renderer.store, shape);
  const createMs = performance.now() - started;
  const createCpuMs = cpuMs(process.cpuUsage(cpuStarted));
  const bytesPerSeries = (heapBytes() - before) / shape.series;

  const figures: Record<string, number | string> = {
    case: shape.name,
    createMs: Math.round(createMs),
    createCpuMs,
    bytesPerSeries: Math.round(bytesPerSeries),
  };
  for (const format of ['text', 'openmetrics'] as const) {
    for (const pass of [1, 2, 3]) {
      if (pass === 3) renderer.data.markChanged();
      const renderStarted = performance.now();
      const cpuStarted = process.cpuUsage();
      const rendered = await renderer.render(format);
      figures[`${format}${pass}RenderMs`] = Math.round(performance.now() - renderStarted);
      figures[`${format}${pass}CpuMs`] = cpuMs(process.cpuUsage(cpuStarted));
      if (pass === 1) {
        figures[`${format}Bytes`] = rendered.plain.length;
        figures[`${format}GzipBytes`] = rendered.gzip.length;
      }
    }
  }
  return figures;
}

async function main(): Promise<void> {
  if (globalThis.gc === undefined) {
    console.error('run with node --expose-gc for bytes per series');
  }
  const wanted = process.argv.slice(2);
  const chosen = wanted.length === 0 ? CASES : CASES.filter((c) => wanted.includes(c.name));
  console.log(
    JSON.stringify({ node: process.version, cpu: cpus()[0]?.model, cores: cpus().length }),
  );
  for (const shape of chosen) console.log(JSON.stringify(await runCase(shape)));
}

await main();
