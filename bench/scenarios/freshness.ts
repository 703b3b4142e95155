/**
 * Freshness: from a gauge line leaving the sender to its value on /metrics, with the
 * daemon's default flush interval, since that interval is most of the answer.
 */
import dgram from 'node:dgram';
import * as hdr from 'hdr-histogram-js';
import { startBenchDaemon } from '../load/daemon-process.js';
import { DEFAULTS } from '../../src/config/defaults.js';
import type { BenchContext, ScenarioResult, Scenario } from './scenario.js';

const POLL_INTERVAL_MS = 5;
const VISIBLE_TIMEOUT_MS = 10_000;

export const freshnessScenario: Scenario = {
  name: 'freshness/gauge',
  description: `send-to-visible latency of a gauge, flush interval ${DEFAULTS.flushIntervalMs} ms`,
  isInQuick: true,
  run: runFreshness,
};

async function runFreshness(context: BenchContext): Promise<ScenarioResult> {
  const samples = context.isQuick ? 6 : 40;
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
    for (let i = 1; i <= samples; i++) {
      context.progress(`freshness: sample ${i} of ${samples}`);
      const expected = `bench_fresh ${i}\n`;
      const sentAt = performance.now();
      socket.send(`bench.fresh:${i}|g`, daemon.udpPort, '127.0.0.1');
      const isVisible = await pollUntil(async () => (await daemon.scrape()).includes(expected));
      // Microseconds, so that p50 and p99 keep sub-millisecond detail.
      if (isVisible) histogram.recordValue(Math.round((performance.now() - sentAt) * 1000));
      else missed++;
      // Spread sends over the flush phase rather than land each right after a flush.
      await new Promise((resolve) => setTimeout(resolve, (i * 137) % DEFAULTS.flushIntervalMs));
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

async function pollUntil(isDone: () => Promise<boolean>): Promise<boolean> {
  const deadline = Date.now() + VISIBLE_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (await isDone()) return true;
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
  return false;
}
