/**
 * Lossless UDP throughput for one workload shape: the search runs against catalyst-metrics
 * and, once per packing per run, against the count-only ceiling receiver. Loss comes from
 * the counter sums the daemon exposes; its attribution from the kernel's RcvbufErrors and
 * the daemon's own ring and parse counters.
 */
import { blast } from '../load/blaster.js';
import { startCeilingReceiver } from '../load/ceiling-receiver.js';
import { startBenchDaemon, type BenchDaemon } from '../load/daemon-process.js';
import { sumExposition } from '../load/exposition-sums.js';
import { readUdpReceiveBufferErrors, startCpuMeter } from '../load/proc-stats.js';
import { COUNTER_NAME_PREFIX, type WorkloadShape } from '../load/workload.js';
import { searchLosslessRate, type SearchResult } from '../lossless-search.js';
import type { BenchContext, Scenario, ScenarioResult, TrialPoint } from './scenario.js';
import { searchOptions, TRIAL_FLUSH_INTERVAL_MS, trialDurationMs } from './trial-settings.js';

const RING_DROPS = 'catalyst_ring_dropped_messages_total';
const PARSE_ERRORS = 'catalyst_parse_errors_total';
const SELF_METRICS = [RING_DROPS, PARSE_ERRORS];
const SETTLE_TIMEOUT_MS = 15_000;

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
  const daemon = await startBenchDaemon({ flushIntervalMs: TRIAL_FLUSH_INTERVAL_MS });
  const trials: TrialPoint[] = [];
  let search: SearchResult;
  try {
    search = await searchLosslessRate(searchOptions(context.isQuick, startRate), async (rate) => {
      context.progress(`${name}: catalyst-metrics at ${formatRate(rate)} lines/s`);
      const point = await runDaemonTrial(daemon, shape, rate, context);
      trials.push(point);
      return {
        offeredLinesPerSec: point.offeredLinesPerSec,
        deliveredRatio: 1 - point.lossPercent / 100,
      };
    });
  } finally {
    await daemon.stop();
  }

  const ceiling = await ceilingFor(shape, startRate, context);
  const lossStart = trials
    .filter((t) => t.lossPercent > 0.1)
    .sort((a, b) => a.offeredLinesPerSec - b.offeredLinesPerSec)[0];
  return {
    name,
    losslessLinesPerSec: search.losslessLinesPerSec,
    ceilingRatio: ratio(search.losslessLinesPerSec, ceiling.losslessLinesPerSec),
    figures: {
      spreadMinLinesPerSec: search.spread.min,
      spreadMaxLinesPerSec: search.spread.max,
      isCappedByMaxRate: search.isCappedByMaxRate,
      ceilingLinesPerSec: ceiling.losslessLinesPerSec,
      firstLossOfferedLinesPerSec: lossStart?.offeredLinesPerSec ?? null,
      firstLossPercent: lossStart?.lossPercent ?? null,
      firstLossKernelDatagrams: lossStart?.kernelDroppedDatagrams ?? null,
      firstLossRingMessages: lossStart?.ringDroppedMessages ?? null,
      firstLossParseErrors: lossStart?.parseErrors ?? null,
      lastLosslessDaemonCpuPercent: lastLossless(trials)?.daemonCpuPercent ?? null,
      lastLosslessSendersCpuPercent: lastLossless(trials)?.sendersCpuPercent ?? null,
    },
    trials,
  };
}

async function runDaemonTrial(
  daemon: BenchDaemon,
  shape: WorkloadShape,
  linesPerSec: number,
  context: BenchContext,
): Promise<TrialPoint> {
  const before = sumExposition(await daemon.scrape(), COUNTER_NAME_PREFIX, SELF_METRICS);
  const kernelBefore = readUdpReceiveBufferErrors();
  const stopCpu = startCpuMeter(daemon.pid);
  const sent = await blast({
    port: daemon.udpPort,
    shape,
    linesPerSec,
    durationMs: trialDurationMs(context.isQuick),
    senders: context.senders,
  });
  const daemonCpuPercent = stopCpu();
  const after = await settle(
    async () => sumExposition(await daemon.scrape(), COUNTER_NAME_PREFIX, SELF_METRICS),
    (s) => s.prefixSum,
  );

  const received = after.prefixSum - before.prefixSum;
  const delta = (metric: string): number =>
    (after.byName.get(metric) ?? 0) - (before.byName.get(metric) ?? 0);
  return {
    offeredLinesPerSec: sent.offeredLinesPerSec,
    lossPercent: lossPercent(sent.counterSum, received),
    daemonCpuPercent,
    sendersCpuPercent: sent.sendersCpuPercent,
    kernelDroppedDatagrams: readUdpReceiveBufferErrors() - kernelBefore,
    ringDroppedMessages: delta(RING_DROPS),
    parseErrors: delta(PARSE_ERRORS),
  };
}

/** One ceiling search per packing per run: the receiver ignores series and types. */
function ceilingFor(
  shape: WorkloadShape,
  startRate: number,
  context: BenchContext,
): Promise<SearchResult> {
  const key = shape.packing;
  let ceiling = context.ceilings.get(key);
  if (ceiling === undefined) {
    ceiling = searchCeiling(shape, startRate, context);
    context.ceilings.set(key, ceiling);
  }
  return ceiling;
}

async function searchCeiling(
  shape: WorkloadShape,
  startRate: number,
  context: BenchContext,
): Promise<SearchResult> {
  const receiver = await startCeilingReceiver();
  try {
    return await searchLosslessRate(searchOptions(context.isQuick, startRate), async (rate) => {
      context.progress(
        `ceiling ${shape.packing}: count-only receiver at ${formatRate(rate)} lines/s`,
      );
      const before = await receiver.countLines();
      const sent = await blast({
        port: receiver.port,
        shape,
        linesPerSec: rate,
        durationMs: trialDurationMs(context.isQuick),
        senders: context.senders,
      });
      const after = await settle(
        () => receiver.countLines(),
        (n) => n,
      );
      return {
        offeredLinesPerSec: sent.offeredLinesPerSec,
        deliveredRatio: (after - before) / sent.lines,
      };
    });
  } finally {
    await receiver.stop();
  }
}

/** Reads until the figure stops moving for one flush interval (bounded), then returns it. */
async function settle<T>(read: () => Promise<T>, figure: (value: T) => number): Promise<T> {
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  let previous = await read();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, TRIAL_FLUSH_INTERVAL_MS + 50));
    const current = await read();
    if (figure(current) === figure(previous) || Date.now() > deadline) return current;
    previous = current;
  }
}

export function lossPercent(sent: number, received: number): number {
  if (sent <= 0) return 0;
  return Math.max(0, ((sent - received) / sent) * 100);
}

function lastLossless(trials: TrialPoint[]): TrialPoint | undefined {
  return trials
    .filter((t) => t.lossPercent <= 0.1)
    .sort((a, b) => b.offeredLinesPerSec - a.offeredLinesPerSec)[0];
}

function ratio(value: number, base: number): number | null {
  return base > 0 ? Math.round((value / base) * 1000) / 1000 : null;
}

export function formatRate(linesPerSec: number): string {
  if (linesPerSec >= 1e6) return `${(linesPerSec / 1e6).toFixed(2)} M`;
  return `${Math.round(linesPerSec / 1000)} k`;
}
