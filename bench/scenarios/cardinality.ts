/**
 * What cardinality costs: RSS and bytes per series after N counter series arrived, then
 * autocannon against /metrics while ingest keeps running over the same series. Memory and
 * scrape share one scenario because populating 1M series is the slow part of both.
 */
import { blast } from '../load/blaster.js';
import { startBenchDaemon } from '../load/daemon-process.js';
import { sumExposition } from '../load/exposition-sums.js';
import { readRssBytes, startCpuMeter } from '../load/proc-stats.js';
import { loadScrape } from '../load/scrape-load.js';
import { COUNTER_NAME_PREFIX, type WorkloadShape } from '../load/workload.js';
import type { BenchContext, Scenario, ScenarioResult } from './scenario.js';

const POPULATE_LINES_PER_SEC = 300_000;
const BACKGROUND_LINES_PER_SEC = 100_000;
const FLUSH_INTERVAL_MS = 1000;
const POPULATED_TIMEOUT_MS = 60_000;

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
  const daemon = await startBenchDaemon({ flushIntervalMs: FLUSH_INTERVAL_MS });
  try {
    const rssEmptyBytes = readRssBytes(daemon.pid);
    context.progress(`${name}: sending ${series} series`);
    await blast({
      port: daemon.udpPort,
      shape,
      linesPerSec: POPULATE_LINES_PER_SEC,
      durationMs: Math.ceil((series * 1.2 * 1000) / POPULATE_LINES_PER_SEC),
      senders: context.senders,
    });
    const seriesSeen = await waitForSeries(daemon.scrape, series);
    const rssBytes = readRssBytes(daemon.pid);

    context.progress(`${name}: autocannon on /metrics while ingest runs`);
    const durationSec = context.isQuick ? 3 : 6;
    const stopCpu = startCpuMeter(daemon.pid);
    const [scrape] = await Promise.all([
      loadScrape(daemon.metricsUrl, durationSec, 4),
      blast({
        port: daemon.udpPort,
        shape,
        linesPerSec: BACKGROUND_LINES_PER_SEC,
        durationMs: durationSec * 1000,
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
        daemonCpuPercentDuringScrape: stopCpu(),
        backgroundIngestLinesPerSec: BACKGROUND_LINES_PER_SEC,
      },
    };
  } finally {
    await daemon.stop();
  }
}

/** Scrapes (bounded) until the series count stops growing; returns how many were exposed. */
async function waitForSeries(scrape: () => Promise<string>, expected: number): Promise<number> {
  const deadline = Date.now() + POPULATED_TIMEOUT_MS;
  let previous = -1;
  for (;;) {
    const seen = sumExposition(await scrape(), COUNTER_NAME_PREFIX, []).prefixSamples;
    // Stable and non-zero: the merger may take several flushes to fold and render them.
    if (seen >= expected || (seen > 0 && seen === previous) || Date.now() > deadline) return seen;
    previous = seen;
    await new Promise((resolve) => setTimeout(resolve, FLUSH_INTERVAL_MS * 1.5));
  }
}
