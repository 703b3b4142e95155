/**
 * What cardinality costs: RSS and bytes per series after N counter series arrived, then
 * autocannon against /metrics while ingest keeps running over the same series. Memory and
 * scrape share one scenario because populating 1M series is the slow part of both.
 */
import { DEFAULTS } from '../../src/config/defaults.js';
import { blast } from '../load/blaster.js';
import { startBenchDaemon, type BenchDaemon } from '../load/daemon-process.js';
import { sumExposition } from '../load/exposition-sums.js';
import { readRssBytes, startCpuMeter } from '../load/proc-stats.js';
import { settle } from '../load/settle.js';
import { sendLine } from '../load/udp-trial.js';
import {
  loadScrape,
  measureScrapeLatency,
  type LatencyFigures,
  type ScrapeFigures,
} from '../load/scrape-load.js';
import { COUNTER_NAME_PREFIX, type WorkloadShape } from '../load/workload.js';
import type { BenchContext, Scenario, ScenarioResult } from './scenario.js';

const POPULATE_LINES_PER_SEC = 200_000;
const BACKGROUND_LINES_PER_SEC = 100_000;
const FLUSH_INTERVAL_MS = 1000;
// A bound, not a wait: the wait ends when the marker is counted (1M names: about a minute).
const POPULATED_TIMEOUT_MS = 180_000;
const MARKER_LINE = 'bench.settle_marker:1|c';
const MARKER_NAME = 'bench_settle_marker_total';
const MARKER_SERIES = 1;

const SCRAPE_CONNECTIONS = 4;

export function cardinalityScenario(name: string, series: number, isInQuick: boolean): Scenario {
  return {
    name,
    description: `RSS per series and /metrics under autocannon at ${series} counter series`,
    isInQuick,
    run: (context) => runCardinality(name, series, context),
  };
}

async function runCardinality(
  name: string,
  series: number,
  context: BenchContext,
): Promise<ScenarioResult> {
  const shape: WorkloadShape = { packing: 'packed', series, mix: 'counters' };
  const daemon = await startBenchDaemon({
    flushIntervalMs: FLUSH_INTERVAL_MS,
    extraArgs: ['--max-series', String(seriesLimitFor(series))],
    cpuProfileDirectory: context.cpuProfileDirectory,
  });
  try {
    const rssEmptyBytes = readRssBytes(daemon.pid);
    const seriesSeen = await populate(daemon, shape, name, context);
    const rssBytes = readRssBytes(daemon.pid);

    context.progress(`${name}: autocannon, then node:http, on /metrics while ingest runs`);
    const durationSec = context.isQuick ? 2 : 5;
    const stopCpu = startCpuMeter(daemon.pid);
    // One blast covers both clients, which run one after the other.
    const [{ scrape, lean }] = await Promise.all([
      scrapeBothWays(daemon.metricsUrl, durationSec),
      blast({
        port: daemon.udpPort,
        shape,
        linesPerSec: BACKGROUND_LINES_PER_SEC,
        durationMs: 2 * durationSec * 1000,
        senders: 1,
      }),
    ]);
    return {
      name,
      losslessLinesPerSec: null,
      ceilingRatio: null,
      figures: {
        seriesExposed: seriesSeen,
        rssEmptyBytes,
        rssBytes,
        bytesPerSeries: seriesSeen > 0 ? Math.round((rssBytes - rssEmptyBytes) / seriesSeen) : null,
        ...scrape,
        nodeHttpRequestsPerSec: lean.requestsPerSec,
        nodeHttpLatencyP50Ms: lean.latencyP50Ms,
        nodeHttpLatencyP99Ms: lean.latencyP99Ms,
        daemonCpuPercentDuringScrape: stopCpu(),
        backgroundIngestLinesPerSec: BACKGROUND_LINES_PER_SEC,
      },
    };
  } finally {
    await daemon.stop();
  }
}

/**
 * The --max-series the daemon runs with. The default bound (200000) would cap the 1M
 * scenario at 200k series exposed. One more for the settle marker: at exactly `series` the
 * marker is refused (series_limit), never shows, and every populate wait runs to its timeout.
 */
export function seriesLimitFor(series: number): number {
  return Math.max(series + MARKER_SERIES, DEFAULTS.maxSeries);
}

async function scrapeBothWays(
  url: string,
  durationSec: number,
): Promise<{ scrape: ScrapeFigures; lean: LatencyFigures }> {
  const scrape = await loadScrape(url, durationSec, SCRAPE_CONNECTIONS);
  const lean = await measureScrapeLatency(url, durationSec, SCRAPE_CONNECTIONS);
  return { scrape, lean };
}

/**
 * Sends every series, pass after pass (bounded), until the daemon exposes them all: a
 * pass may lose lines, since the lossless rate at high cardinality is far below the rate
 * that makes populating 1M series take seconds. Another pass only follows a pass whose
 * marker was counted: one still folding would only be given more work. Returns how many
 * series are exposed.
 */
async function populate(
  daemon: BenchDaemon,
  shape: WorkloadShape,
  name: string,
  context: BenchContext,
): Promise<number> {
  const passes = context.isQuick ? 2 : 4;
  const markers = { sent: 0 };
  let seen = 0;
  for (let pass = 1; pass <= passes && seen < shape.series; pass++) {
    context.progress(`${name}: sending ${shape.series} series, pass ${pass} of ${passes}`);
    await blast({
      port: daemon.udpPort,
      shape,
      linesPerSec: POPULATE_LINES_PER_SEC,
      durationMs: Math.ceil((shape.series * 1.05 * 1000) / POPULATE_LINES_PER_SEC),
      senders: context.senders,
    });
    const counted = await waitForSeries(daemon, shape.series, markers);
    seen = counted.seen;
    if (!counted.isSettled) break;
  }
  return seen;
}

/**
 * Sends a marker line (bounded, once a second) until a rendering counts it, then returns
 * how many series that rendering exposes: everything sent before the marker is in it.
 * Equal counts in two renderings were not enough: at 1M series the merger folds the new
 * names for a minute, renders every few seconds, and two renderings can agree mid-way.
 */
async function waitForSeries(
  daemon: BenchDaemon,
  series: number,
  markers: { sent: number },
): Promise<{ seen: number; isSettled: boolean }> {
  const sentBefore = markers.sent;
  const settled = await settle({
    readCounts: async () => {
      const text = await daemon.scrape();
      const sums = sumExposition(text, COUNTER_NAME_PREFIX, [MARKER_NAME]);
      return {
        delivered: sums.prefixSamples,
        ringDroppedMessages: 0,
        parseErrors: 0,
        marker: sums.byName.get(MARKER_NAME) ?? 0,
      };
    },
    marker: sentBefore + 1,
    sendMarker: async () => {
      markers.sent++;
      await sendLine(daemon.udpPort, MARKER_LINE);
    },
    isMarkerFinal: true,
    // Each poll reads the whole exposition (113 MB at 1M series): rarer as it grows.
    intervalMs: Math.max(FLUSH_INTERVAL_MS, Math.round(series / 200)),
    timeoutMs: POPULATED_TIMEOUT_MS,
    now: Date.now,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  });
  return { seen: settled.delivered, isSettled: settled.isSettled };
}
