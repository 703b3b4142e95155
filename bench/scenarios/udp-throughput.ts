/**
 * Lossless UDP throughput for one workload shape, searched against catalyst-metrics, the
 * count-only ceiling receiver (once per packing per run) and every installed peer. Loss
 * comes from what each exposes; its attribution from the kernel's RcvbufErrors and the
 * daemon's own ring and parse counters.
 */
import { startCeilingReceiver } from '../load/ceiling-receiver.js';
import { startBenchDaemon } from '../load/daemon-process.js';
import {
  countFromExposition,
  runUdpTrial,
  type SinkUnderTest,
  type TrialPoint,
} from '../load/udp-trial.js';
import { COUNTER_NAME_PREFIX, type WorkloadShape } from '../load/workload.js';
import type { SearchResult } from '../lossless-search.js';
import { searchPeers } from './peer-search.js';
import type { BenchContext, Scenario, ScenarioResult } from './scenario.js';
import { searchSink } from './sink-search.js';
import { TRIAL_FLUSH_INTERVAL_MS } from './trial-settings.js';

export function udpThroughputScenario(
  name: string,
  shape: WorkloadShape,
  isInQuick: boolean,
  startRate: number,
): Scenario {
  return {
    name,
    description: `lossless UDP lines/s, ${shape.packing} datagrams, ${shape.series} series, ${shape.mix}`,
    isInQuick,
    run: (context) => runThroughput(name, shape, startRate, context),
  };
}

async function runThroughput(
  name: string,
  shape: WorkloadShape,
  startRate: number,
  context: BenchContext,
): Promise<ScenarioResult> {
  const daemon = await startBenchDaemon({
    flushIntervalMs: TRIAL_FLUSH_INTERVAL_MS,
    cpuProfileDirectory: context.cpuProfileDirectory,
  });
  const ours: SinkUnderTest = {
    pid: daemon.pid,
    udpPort: daemon.udpPort,
    unit: 'counterSum',
    settleIntervalMs: TRIAL_FLUSH_INTERVAL_MS + 50,
    // Exposed as bench_settle_marker_total: outside COUNTER_NAME_PREFIX, never counted as delivered.
    markerLine: 'bench.settle_marker:1|c',
    // Epochs fold in order and the gate holds each for a slow shard (at least 5 s), so the
    // rendering that counts the marker has the blast; a delta later still is counted late.
    isMarkerFinal: true,
    readCounts: () =>
      countFromExposition(daemon.metricsUrl, COUNTER_NAME_PREFIX, {
        ring: 'catalyst_ring_dropped_messages_total',
        parse: 'catalyst_parse_errors_total',
        renderings: 'catalyst_merge_duration_seconds_count',
        marker: 'bench_settle_marker_total',
        lateDeltas: 'catalyst_merge_late_deltas_total',
      }),
  };
  const trials: TrialPoint[] = [];
  let search: SearchResult;
  try {
    const label = `${name}: catalyst-metrics`;
    search = await searchSink({ label, sink: ours, shape, startRate, trials }, context);
  } finally {
    await daemon.stop();
  }

  const ceiling = await ceilingFor(shape, startRate, context);
  const { peers, skippedPeers } = await searchPeers(name, shape, startRate, context);
  const bestPeer = Math.max(0, ...Object.values(peers));
  const lossStart = trials
    .filter((t) => t.lossPercent > 0.1)
    .sort((a, b) => a.offeredLinesPerSec - b.offeredLinesPerSec)[0];
  const lastLossless = trials
    .filter((t) => t.lossPercent <= 0.1)
    .sort((a, b) => b.offeredLinesPerSec - a.offeredLinesPerSec)[0];
  return {
    name,
    losslessLinesPerSec: search.losslessLinesPerSec,
    ceilingRatio: ratio(search.losslessLinesPerSec, ceiling.losslessLinesPerSec),
    ...(bestPeer > 0
      ? { peerRatio: ratio(search.losslessLinesPerSec, bestPeer) ?? undefined }
      : {}),
    figures: {
      spreadMinLinesPerSec: search.spread.min,
      spreadMaxLinesPerSec: search.spread.max,
      isCappedByMaxRate: search.isCappedByMaxRate,
      ceilingLinesPerSec: ceiling.losslessLinesPerSec,
      ...Object.fromEntries(
        Object.entries(peers).map(([peer, rate]) => [`${peer}LinesPerSec`, rate]),
      ),
      firstLossOfferedLinesPerSec: lossStart?.offeredLinesPerSec ?? null,
      firstLossPercent:
        lossStart === undefined ? null : Math.round(lossStart.lossPercent * 100) / 100,
      firstLossKernelDatagrams: lossStart?.kernelDroppedDatagrams ?? null,
      firstLossRingMessages: lossStart?.ringDroppedMessages ?? null,
      firstLossParseErrors: lossStart?.parseErrors ?? null,
      lateDeltas: trials.reduce((sum, t) => sum + t.lateDeltas, 0),
      lastLosslessDaemonCpuPercent: lastLossless?.daemonCpuPercent ?? null,
      lastLosslessSendersCpuPercent: lastLossless?.sendersCpuPercent ?? null,
    },
    ...(Object.keys(skippedPeers).length > 0 ? { skippedPeers } : {}),
    trials,
  };
}

/** One ceiling search per packing per run: the receiver ignores series and types. */
function ceilingFor(
  shape: WorkloadShape,
  startRate: number,
  context: BenchContext,
): Promise<SearchResult> {
  let ceiling = context.ceilings.get(shape.packing);
  if (ceiling === undefined) {
    ceiling = searchCeiling(shape, startRate, context);
    context.ceilings.set(shape.packing, ceiling);
  }
  return ceiling;
}

async function searchCeiling(
  shape: WorkloadShape,
  startRate: number,
  context: BenchContext,
): Promise<SearchResult> {
  const receiver = await startCeilingReceiver();
  const sink: SinkUnderTest = {
    pid: receiver.pid,
    udpPort: receiver.port,
    unit: 'lines',
    settleIntervalMs: 200,
    readCounts: async () => ({
      delivered: await receiver.countLines(),
      ringDroppedMessages: 0,
      parseErrors: 0,
    }),
  };
  try {
    const label = `ceiling ${shape.packing}: count-only receiver`;
    return await searchSink({ label, sink, shape, startRate, isReference: true }, context);
  } finally {
    await receiver.stop();
  }
}

function ratio(value: number, base: number): number | null {
  return base > 0 ? Math.round((value / base) * 1000) / 1000 : null;
}
