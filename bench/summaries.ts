import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Packr } from 'msgpackr';
import type { ShardDelta, SummaryOptions } from '../src/protocol.js';
import { SummaryFamily } from '../workers/merge/summary-family.js';
import { SummaryStore } from '../workers/shard/summary.js';

/**
 * What summary series cost (observer_type: summary), shard and merger, per flush:
 *
 *   shard observe     SummaryStore.observe over every series' observations of one flush
 *   shard encode      SummaryStore.drain + msgpackr pack, as shard.ts ships a delta
 *   merger add        msgpackr unpack + every row added into its series' window
 *   merger render     SummaryFamily.refresh: quantiles of every changed series
 *   bytes / series    JS heap + array buffers: the shard store before a drain; the merger
 *                     with every age bucket holding a slice
 *
 * Observations are latencies in seconds, log-normal around 20 ms (5..200 ms mostly), as a
 * timer in milliseconds arrives divided by 1000. Default statsd_exporter options: 3 digits,
 * 10 min in 5 age buckets. Each flush is 30 s apart, so 20 flushes fill the 5 slices.
 *
 * Run: npm run build && node --expose-gc dist/bench/summaries.js [series] [obs-per-flush]
 * Defaults 1000 series, 10 observations per series per flush. Bounded: 20 flushes.
 */

const OPTIONS: SummaryOptions = {
  quantiles: [
    { quantile: 0.5, error: 0.05 },
    { quantile: 0.9, error: 0.01 },
    { quantile: 0.99, error: 0.001 },
  ],
  maxAgeMs: 600_000,
  ageBuckets: 5,
  significantDigits: 3,
};
const FLUSHES = 20;
const FLUSH_SPACING_MS = 30_000;
const packr = new Packr({ moreTypes: true, useRecords: false });

/** A seeded generator, so runs before and after a change see the same values. */
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function latencySeconds(random: () => number): number {
  // Box-Muller: a log-normal with median 20 ms and sigma 0.8.
  const normal = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return Math.round(Math.exp(Math.log(20) + 0.8 * normal) * 1000) / 1e6;
}

function heapUsed(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with node --expose-gc');
  gc();
  gc();
  // Typed arrays keep their bytes outside the JS heap: count both.
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function run(seriesCount: number, observationsPerFlush: number): void {
  const random = createRandom(5);
  const family = new SummaryFamily('bench_latency_seconds', 'bench', OPTIONS);
  for (let id = 0; id < seriesCount; id++) family.series.set(String(id), family.createSeries({}));
  const series = [...family.series.values()];
  const timings = { observe: [] as number[], encode: [] as number[], add: [] as number[] };
  const render: number[] = [];
  let bytes = 0;
  let shardHeapPerSeries = 0;

  for (let flush = 0; flush < FLUSHES; flush++) {
    const nowMs = flush * FLUSH_SPACING_MS;
    const store = new SummaryStore();
    // Drawn before timing: the generator costs more than an observation.
    const values = new Float64Array(seriesCount * observationsPerFlush);
    for (let i = 0; i < values.length; i++) values[i] = latencySeconds(random);
    const beforeObserve = flush === FLUSHES - 1 ? heapUsed() : 0;
    let at = performance.now();
    for (let id = 0, i = 0; id < seriesCount; id++) {
      for (const end = i + observationsPerFlush; i < end; i++)
        store.observe(id, values[i], 1, OPTIONS);
    }
    timings.observe.push(performance.now() - at);
    if (flush === FLUSHES - 1) shardHeapPerSeries = (heapUsed() - beforeObserve) / seriesCount;

    at = performance.now();
    const payload = packr.pack({ summaries: store.drain() });
    timings.encode.push(performance.now() - at);
    bytes = payload.length;

    at = performance.now();
    const rows = (packr.unpack(payload) as Pick<ShardDelta, 'summaries'>).summaries!;
    for (const [id, , sum, count, encoded] of rows) {
      series[id].sum += sum;
      series[id].count += count;
      series[id].window.add(encoded, nowMs);
    }
    timings.add.push(performance.now() - at);
    at = performance.now();
    family.refresh(nowMs);
    render.push(performance.now() - at);
  }

  // The merger's series, every age bucket holding a slice, against a family of none.
  const withSeries = heapUsed();
  family.series.clear();
  series.length = 0;
  const mergerHeapPerSeries = (withSeries - heapUsed()) / seriesCount;
  // Steady state: the first flushes allocate and optimise, so the median of the last half.
  const steady = (values: number[]): number => median(values.slice(FLUSHES / 2));
  const result = {
    case: `summaries ${seriesCount} series x ${observationsPerFlush} obs per flush`,
    observeMsPerFlush: steady(timings.observe),
    encodeMsPerFlush: steady(timings.encode),
    mergerAddMsPerFlush: steady(timings.add),
    mergerRenderMsPerFlush: steady(render),
    deltaBytesPerSeries: Math.round(bytes / seriesCount),
    shardHeapBytesPerSeries: Math.round(shardHeapPerSeries),
    mergerHeapBytesPerSeries: Math.round(mergerHeapPerSeries),
  };
  console.log(JSON.stringify(result));
}

const [seriesArgument, observationsArgument] = process.argv.slice(2);
function commitOf(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

console.log(
  JSON.stringify({
    node: process.version,
    cpu: cpus()[0]?.model,
    cores: cpus().length,
    commit: commitOf(),
    date: new Date().toISOString(),
  }),
);
run(Number(seriesArgument ?? 1000), Number(observationsArgument ?? 10));
