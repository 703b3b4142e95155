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
import { searchLosslessRate, type SearchResult } from '../lossless-search.js';
import { PEERS } from '../peers/index.js';
import { isPeerInstalled, startPeer, type PeerDefinition } from '../peers/peer.js';
import type { BenchContext, Scenario, ScenarioResult } from './scenario.js';
import { searchOptions, TRIAL_FLUSH_INTERVAL_MS, trialDurationMs } from './trial-settings.js';

// Exposed under the same name; outside COUNTER_NAME_PREFIX, so never counted as delivered.
const SETTLE_MARKER_NAME = 'bench_settle_marker';

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
    markerName: SETTLE_MARKER_NAME,
    readCounts: () =>
      countFromExposition(daemon.metricsUrl, COUNTER_NAME_PREFIX, {
        ring: 'catalyst_ring_dropped_messages_total',
        parse: 'catalyst_parse_errors_total',
        renderings: 'catalyst_merge_duration_seconds_count',
        marker: SETTLE_MARKER_NAME,
      }),
  };
  const trials: TrialPoint[] = [];
  let search: SearchResult;
  try {
    search = await searchSink(`${name}: catalyst-metrics`, ours, shape, startRate, context, trials);
  } finally {
    await daemon.stop();
  }

  const ceiling = await ceilingFor(shape, startRate, context);
  const peers = await searchPeers(name, shape, startRate, context);
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
      lastLosslessDaemonCpuPercent: lastLossless?.daemonCpuPercent ?? null,
      lastLosslessSendersCpuPercent: lastLossless?.sendersCpuPercent ?? null,
    },
    trials,
  };
}

function searchSink(
  label: string,
  sink: SinkUnderTest,
  shape: WorkloadShape,
  startRate: number,
  context: BenchContext,
  trials: TrialPoint[] = [],
  repeats?: number,
): Promise<SearchResult> {
  const options = searchOptions(context.isQuick, startRate);
  const settings = {
    shape,
    durationMs: trialDurationMs(context.isQuick),
    senders: context.senders,
  };
  return searchLosslessRate({ ...options, repeats: repeats ?? options.repeats }, async (rate) => {
    context.progress(`${label} at ${formatRate(rate)} lines/s`);
    const point = await runUdpTrial(sink, settings, rate);
    trials.push(point);
    return {
      offeredLinesPerSec: point.offeredLinesPerSec,
      deliveredRatio: 1 - point.lossPercent / 100,
    };
  });
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
    return await searchSink(
      `ceiling ${shape.packing}: count-only receiver`,
      sink,
      shape,
      startRate,
      context,
    );
  } finally {
    await receiver.stop();
  }
}

/**
 * Peers run on counters-only shapes (what both count the same way), once each: a single
 * repeat keeps the full run within minutes. Returns lossless lines/s by peer name.
 */
async function searchPeers(
  name: string,
  shape: WorkloadShape,
  startRate: number,
  context: BenchContext,
): Promise<Record<string, number>> {
  const found: Record<string, number> = {};
  if (!context.isPeersEnabled || shape.mix !== 'counters') return found;
  for (const peer of PEERS.filter(isPeerInstalled)) {
    try {
      found[peer.name] = (
        await searchPeer(name, peer, shape, startRate, context)
      ).losslessLinesPerSec;
    } catch (err) {
      context.progress(`${name}: ${peer.name} failed: ${String(err)}`);
    }
  }
  return found;
}

async function searchPeer(
  name: string,
  peer: PeerDefinition,
  shape: WorkloadShape,
  startRate: number,
  context: BenchContext,
): Promise<SearchResult> {
  const running = await startPeer(peer);
  const sink: SinkUnderTest = {
    pid: running.pid,
    udpPort: running.udpPort,
    unit: peer.countedUnit,
    settleIntervalMs: peer.publishIntervalMs + 300,
    readCounts: () => countFromExposition(running.metricsUrl, peer.countedPrefix, {}),
  };
  try {
    return await searchSink(`${name}: ${peer.name}`, sink, shape, startRate, context, [], 1);
  } finally {
    await running.stop();
  }
}

function ratio(value: number, base: number): number | null {
  return base > 0 ? Math.round((value / base) * 1000) / 1000 : null;
}

export function formatRate(linesPerSec: number): string {
  if (linesPerSec >= 1e6) return `${(linesPerSec / 1e6).toFixed(2)} M`;
  return `${Math.round(linesPerSec / 1000)} k`;
}
