/**
 * Freshness: from a gauge line leaving the sender to its value on /metrics, with the
 * daemon's default flush interval, since that interval is most of the answer.
 */
import dgram from 'node:dgram';
import * as hdr from 'hdr-histogram-js';
import { startBenchDaemon, type BenchDaemon } from '../load/daemon-process.js';
import { DEFAULTS } from '../../src/config/defaults.js';
import type { BenchContext, ScenarioResult, Scenario } from './scenario.js';

const POLL_INTERVAL_MS = 5;
// Not a divisor of any usual flush interval: the sends land all over the flush phase.
const SEND_SPACING_MS = 53;
const VISIBLE_TIMEOUT_MS = 10_000;

export const freshnessScenario: Scenario = {
  name: 'freshness/gauge',
  description: `send-to-visible latency of a gauge, flush interval ${DEFAULTS.flushIntervalMs} ms`,
  isInQuick: true,
  run: runFreshness,
};

async function runFreshness(context: BenchContext): Promise<ScenarioResult> {
  const samples = context.isQuick ? 20 : 40;
  const daemon = await startBenchDaemon({
    flushIntervalMs: DEFAULTS.flushIntervalMs,
    cpuProfileDirectory: context.cpuProfileDirectory,
  });
  const socket = dgram.createSocket('udp4');
  const histogram = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 60_000_000,
    numberOfSignificantValueDigits: 3,
  });
  let missed = 0;
  try {
    context.progress(`freshness: ${samples} gauges, one every ${SEND_SPACING_MS} ms`);
    const latenciesMs = await measureFreshness(daemon, socket, samples);
    for (const latencyMs of latenciesMs) {
      // Microseconds, so that p50 and p99 keep sub-millisecond detail.
      if (latencyMs === null) missed++;
      else histogram.recordValue(Math.round(latencyMs * 1000));
    }
  } finally {
    socket.close();
    await daemon.stop();
  }
  return {
    name: 'freshness/gauge',
    losslessLinesPerSec: null,
    ceilingRatio: null,
    figures: {
      samples,
      missed,
      p50Ms: histogram.getValueAtPercentile(50) / 1000,
      p99Ms: histogram.getValueAtPercentile(99) / 1000,
      maxMs: histogram.maxValue / 1000,
      flushIntervalMs: DEFAULTS.flushIntervalMs,
    },
  };
}

/**
 * Sends gauge `bench.fresh<i>` = i every SEND_SPACING_MS and scrapes every POLL_INTERVAL_MS
 * until each is visible (bounded): the samples overlap, so 40 of them take about three
 * seconds rather than forty. Returns each sample's send-to-visible time, null if never seen.
 */
async function measureFreshness(
  daemon: BenchDaemon,
  socket: dgram.Socket,
  samples: number,
): Promise<Array<number | null>> {
  const sentAt: Array<number | null> = Array.from({ length: samples }, () => null);
  const latenciesMs: Array<number | null> = Array.from({ length: samples }, () => null);
  const timers = sentAt.map((_, i) =>
    setTimeout(() => {
      sentAt[i] = performance.now();
      socket.send(`bench.fresh${i}:${i}|g`, daemon.udpPort, '127.0.0.1');
    }, i * SEND_SPACING_MS),
  );

  const deadline = Date.now() + samples * SEND_SPACING_MS + VISIBLE_TIMEOUT_MS;
  try {
    // Bounded by the deadline; each pass is one scrape checked against every pending sample.
    while (Date.now() < deadline && latenciesMs.some((latency) => latency === null)) {
      const text = await daemon.scrape();
      const scrapedAt = performance.now();
      for (let i = 0; i < samples; i++) {
        const sent = sentAt[i];
        if (sent === null || latenciesMs[i] !== null) continue;
        if (text.includes(`\nbench_fresh${i} ${i}\n`)) latenciesMs[i] = scrapedAt - sent;
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
    }
  } finally {
    for (const timer of timers) clearTimeout(timer);
  }
  return latenciesMs;
}
