import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { IngestCounters } from '../ingest/ingest-counters.js';
import { readHostUdpReceiveBufferErrors } from '../ingest/kernel-udp-stats.js';
import type { LogStats } from '../logs/log-protocol.js';
import type { MergerSupervisor } from '../pool/merger-supervisor.js';
import type { FlushControl } from './flush-control.js';
import type { MergeProgress } from './merge-progress.js';
import type { RingDispatcher } from './ring-dispatcher.js';

export interface FlushTick {
  /** Cuts the stream and tells the merger; returns the epoch it closed. `isFinal`: at stop. */
  tick(isFinal?: boolean): number;
  /** Stops measuring the event loop (at stop). */
  close(): void;
}

/**
 * What the main thread does every flush interval: cut the stream (flush-control.ts), then
 * send the merger the epoch with the main thread's own running totals (ingest counters,
 * rings, kernel UDP drops, event-loop delay, the log worker's figures).
 */
export function createFlushTick(parts: {
  flush: FlushControl;
  dispatcher: RingDispatcher;
  counters: IngestCounters;
  progress: MergeProgress;
  merger: MergerSupervisor;
  ringBytes: number;
  logStats: () => LogStats | null;
  wantsOpenMetrics: () => boolean;
}): FlushTick {
  const { flush, dispatcher, counters, progress, merger } = parts;
  // Main-thread stalls show up here first: every socket and every scrape waits on this loop.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  return {
    tick(isFinal = false) {
      const closed = flush.cut();
      counters.workerLostRecords += progress.takeLostRecords();
      counters.shardHeldEpochs = progress.heldEpochs();
      counters.mergeBacklogEpochs = merger.backlogEpochs(closed);
      const ingest = counters.snapshot({
        ringUsedBytes: dispatcher.usedBytes(),
        ringCapacityBytes: parts.ringBytes,
        hostUdpReceiveBufferErrors: readHostUdpReceiveBufferErrors(),
      });
      const logs = parts.logStats();
      counters.eventLoopDelayP99Seconds = loopDelay.percentile(99) / 1e9;
      counters.eventLoopDelayMaxSeconds = loopDelay.max / 1e9;
      loopDelay.reset();
      merger.tick(
        {
          epoch: closed,
          wantsOpenMetrics: parts.wantsOpenMetrics(),
          ingest: logs === null ? ingest : { ...ingest, logs },
        },
        isFinal,
      );
      return closed;
    },
    close() {
      loopDelay.disable();
    },
  };
}
