/**
 * One throughput trial against any sink: blast at a rate, wait until what the sink exposes
 * stops moving, and compare with what was sent. The sinks: catalyst-metrics, the count-only
 * ceiling receiver, and each peer, all read the same way.
 */
import dgram from 'node:dgram';
import { blast } from './blaster.js';
import { sumExposition } from './exposition-sums.js';
import { readUdpReceiveBufferErrors, startCpuMeter } from './proc-stats.js';
import { settle, type SettledCounts } from './settle.js';
import type { WorkloadShape } from './workload.js';

export interface SinkCounts {
  /** Counter increments or lines the sink took, as `SinkUnderTest.unit` says. */
  delivered: number;
  ringDroppedMessages: number;
  parseErrors: number;
  /**
   * Renderings of the exposition so far, where the sink exposes them; a sink without
   * them has every read count as a fresh rendering.
   */
  renderings?: number;
  /** Deltas the sink folded after their epoch (ours: catalyst_merge_late_deltas_total). */
  lateDeltas?: number;
  /** Marker lines the sink has taken so far (see `SinkUnderTest.markerLine`), where it has one. */
  marker?: number;
}

export interface SinkUnderTest {
  pid: number;
  udpPort: number;
  unit: 'counterSum' | 'lines';
  /** How long to wait between reads while waiting for the delivered count to settle. */
  settleIntervalMs: number;
  /**
   * A StatsD line the trial sends after the blast, and again on every settle poll, that the
   * sink counts apart from the delivered lines (see settle.ts); `readCounts` returns how many
   * it has taken as `marker`. Absent: the sink is read as settled on stability alone.
   */
  markerLine?: string;
  /** The reading that counts the marker is final (see settle.ts `isMarkerFinal`). */
  isMarkerFinal?: boolean;
  readCounts(): Promise<SinkCounts>;
}

export interface TrialPoint {
  offeredLinesPerSec: number;
  lossPercent: number;
  daemonCpuPercent: number;
  sendersCpuPercent: number;
  /** Host-wide RcvbufErrors during the trial, in datagrams (other traffic counts too). */
  kernelDroppedDatagrams: number;
  ringDroppedMessages: number;
  parseErrors: number;
  /**
   * Deltas folded late during the trial: a shard more than the epoch gate's wait behind.
   * The settle marker does not wait for those, so loss beside a non-zero count may be late.
   */
  lateDeltas: number;
  /** False when the sink's figures still moved at the settle bound: loss may be staleness. */
  isSettled: boolean;
}

export interface TrialSettings {
  shape: WorkloadShape;
  durationMs: number;
  senders: number;
  /** Wait out a trial that did not settle before returning (default); false for peers. */
  isWaitingOutUnsettled?: boolean;
}

const SETTLE_TIMEOUT_MS = 15_000;

export async function runUdpTrial(
  sink: SinkUnderTest,
  settings: TrialSettings,
  linesPerSec: number,
): Promise<TrialPoint> {
  const before = await sink.readCounts();
  const kernelBefore = readUdpReceiveBufferErrors();
  const stopCpu = startCpuMeter(sink.pid);
  const sent = await blast({ port: sink.udpPort, linesPerSec, ...settings });
  const daemonCpuPercent = stopCpu();
  const after = await settleSink(sink);
  // Not settled in time: what is still folding would count towards the next trial's
  // window, so wait it out (bounded) before the next trial; this one keeps its loss.
  if (!after.isSettled && settings.isWaitingOutUnsettled !== false) await settleSink(sink);

  const expected = sink.unit === 'counterSum' ? sent.counterSum : sent.lines;
  return {
    offeredLinesPerSec: sent.offeredLinesPerSec,
    lossPercent: lossPercent(expected, after.delivered - before.delivered),
    daemonCpuPercent,
    sendersCpuPercent: sent.sendersCpuPercent,
    kernelDroppedDatagrams: readUdpReceiveBufferErrors() - kernelBefore,
    ringDroppedMessages: after.ringDroppedMessages - before.ringDroppedMessages,
    parseErrors: after.parseErrors - before.parseErrors,
    lateDeltas: (after.lateDeltas ?? 0) - (before.lateDeltas ?? 0),
    isSettled: after.isSettled,
  };
}

// Marker lines sent to each sink so far. Every earlier one left before this trial's blast, so
// a count past them means one sent after the blast was taken, and with it the whole blast.
const markersSent = new WeakMap<SinkUnderTest, number>();

function settleSink(sink: SinkUnderTest): Promise<SettledCounts> {
  const { markerLine, udpPort } = sink;
  const sentBefore = markersSent.get(sink) ?? 0;
  const sendMarker = async (): Promise<void> => {
    markersSent.set(sink, (markersSent.get(sink) ?? 0) + 1);
    await sendLine(udpPort, markerLine!);
  };
  return settle({
    readCounts: () => sink.readCounts(),
    ...(markerLine === undefined
      ? {}
      : { marker: sentBefore + 1, sendMarker, isMarkerFinal: sink.isMarkerFinal ?? false }),
    intervalMs: sink.settleIntervalMs,
    timeoutMs: SETTLE_TIMEOUT_MS,
    now: Date.now,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  });
}

export function sendLine(port: number, line: string): Promise<void> {
  const socket = dgram.createSocket('udp4');
  return new Promise((resolve) => {
    socket.send(line, port, '127.0.0.1', () => socket.close(() => resolve()));
  });
}

export function lossPercent(sent: number, received: number): number {
  if (sent <= 0) return 0;
  return Math.max(0, ((sent - received) / sent) * 100);
}

/** Counts from a Prometheus text exposition: a line prefix for delivery, names for drops. */
export async function countFromExposition(
  url: string,
  deliveredPrefix: string,
  names: {
    ring?: string;
    parse?: string;
    renderings?: string;
    marker?: string;
    lateDeltas?: string;
  },
  /** Line prefix of the marker's samples, for sinks that expose it under a shared name. */
  markerPrefix?: string,
): Promise<SinkCounts> {
  const text = await (await fetch(url)).text();
  const wanted = [names.ring, names.parse, names.renderings, names.marker, names.lateDeltas];
  const sums = sumExposition(
    text,
    deliveredPrefix,
    wanted.filter((name): name is string => name !== undefined),
  );
  const read = (name: string | undefined): number =>
    name === undefined ? 0 : (sums.byName.get(name) ?? 0);
  return {
    delivered: sums.prefixSum,
    ringDroppedMessages: read(names.ring),
    parseErrors: read(names.parse),
    ...(names.renderings === undefined ? {} : { renderings: read(names.renderings) }),
    ...(names.marker === undefined ? {} : { marker: read(names.marker) }),
    ...(names.lateDeltas === undefined ? {} : { lateDeltas: read(names.lateDeltas) }),
    // A second pass, only for peers: their expositions are small.
    ...(markerPrefix === undefined
      ? {}
      : { marker: sumExposition(text, markerPrefix, []).prefixSum }),
  };
}
