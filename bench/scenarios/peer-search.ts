/**
 * Peers beside catalyst-metrics in a throughput scenario: each installed peer that is not
 * known to fail at the shape is searched once, and one that falls over mid-search is
 * stopped there. Skips and falls are recorded with their reason, never silently dropped.
 */
import { countFromExposition, type SinkUnderTest } from '../load/udp-trial.js';
import type { WorkloadShape } from '../load/workload.js';
import { PEERS } from '../peers/index.js';
import { isPeerInstalled, startPeer, type PeerDefinition } from '../peers/peer.js';
import type { BenchContext } from './scenario.js';
import { formatRate, searchSink } from './sink-search.js';

export interface PeerFigures {
  /** Lossless lines/s by peer name. */
  peers: Record<string, number>;
  /** Reason by peer name, for installed peers not searched or stopped early. */
  skippedPeers: Record<string, string>;
}

/**
 * Peers run on counters-only shapes (what both count the same way), with a single repeat:
 * their figure is the reference, not the subject, and the full run must stay within minutes.
 */
export async function searchPeers(
  name: string,
  shape: WorkloadShape,
  startRate: number,
  context: BenchContext,
): Promise<PeerFigures> {
  const figures: PeerFigures = { peers: {}, skippedPeers: {} };
  if (!context.isPeersEnabled || shape.mix !== 'counters') return figures;
  for (const peer of PEERS.filter(isPeerInstalled)) {
    const skipReason = peer.skipReason?.(shape) ?? null;
    if (skipReason !== null) {
      figures.skippedPeers[peer.name] = skipReason;
      continue;
    }
    try {
      const search = await searchPeer(name, peer, shape, startRate, context);
      figures.peers[peer.name] = search.losslessLinesPerSec;
      if (search.fellOverAtLinesPerSec !== null) {
        figures.skippedPeers[peer.name] =
          `fell over at ${formatRate(search.fellOverAtLinesPerSec)} lines/s (exposition still ` +
          'moving at the settle bound); search stopped, figure is the last lossless trial';
      }
    } catch (err) {
      figures.skippedPeers[peer.name] = `failed: ${String(err)}`;
    }
  }
  return figures;
}

async function searchPeer(
  name: string,
  peer: PeerDefinition,
  shape: WorkloadShape,
  startRate: number,
  context: BenchContext,
) {
  const running = await startPeer(peer);
  const sink: SinkUnderTest = {
    pid: running.pid,
    udpPort: running.udpPort,
    unit: peer.countedUnit,
    // With a marker, poll twice per publication; without, reads must straddle one.
    settleIntervalMs:
      peer.marker === undefined ? peer.publishIntervalMs + 300 : peer.publishIntervalMs / 2,
    ...(peer.marker === undefined ? {} : { markerLine: peer.marker.line, isMarkerFinal: true }),
    readCounts: () =>
      countFromExposition(running.metricsUrl, peer.countedPrefix, {}, peer.marker?.countedPrefix),
  };
  try {
    const label = `${name}: ${peer.name}`;
    return await searchSink(
      { label, sink, shape, startRate, isReference: true, isUnsettledFallingOver: true },
      context,
    );
  } finally {
    await running.stop();
  }
}
