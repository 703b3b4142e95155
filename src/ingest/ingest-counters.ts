import { INGEST_REFUSAL_REASONS, type IngestRefusalReason } from '../errors.js';
import { TRANSPORTS, WORKER_KINDS, type IngestSnapshot, type WorkerKind } from '../protocol.js';
import { PushCounters } from './push-counters.js';

const REFUSAL_INDEX = new Map(INGEST_REFUSAL_REASONS.map((reason, i) => [reason, i]));

/** The main thread's running totals. Plain numbers: only the main thread touches them. */
export class IngestCounters {
  readonly datagrams = TRANSPORTS.map(() => 0);
  readonly bytes = TRANSPORTS.map(() => 0);
  readonly ringDroppedMessages = TRANSPORTS.map(() => 0);
  readonly ringDroppedBytes = TRANSPORTS.map(() => 0);
  tcpConnectionsOpened = 0;
  tcpConnectionsOpen = 0;
  tcpLinesTooLong = 0;
  udpReceiveBufferBytes = 0;
  /** By worker kind, WORKER_KINDS order. */
  readonly workerRestarts = WORKER_KINDS.map(() => 0);
  mergeBacklogEpochs = 0;
  shardHeldEpochs = 0;
  scrapesRefused = 0;
  scrapesCut = 0;
  readonly push = new PushCounters();
  /** By reason, INGEST_REFUSAL_REASONS order. */
  readonly refused = INGEST_REFUSAL_REASONS.map(() => 0);
  /** Samples a failed worker had taken from its ring and never delivered (see shard-pool.ts). */
  workerLostRecords = 0;
  /** Event-loop delay of the main thread, from perf_hooks, in seconds. */
  eventLoopDelayP99Seconds = 0;
  eventLoopDelayMaxSeconds = 0;

  countRestart(worker: WorkerKind): void {
    this.workerRestarts[WORKER_KINDS.indexOf(worker)]++;
  }

  refuse(reason: IngestRefusalReason): void {
    this.refused[REFUSAL_INDEX.get(reason)!]++;
  }

  snapshot(extra: {
    ringUsedBytes: number[];
    ringCapacityBytes: number;
    hostUdpReceiveBufferErrors: number;
  }): IngestSnapshot {
    return {
      datagrams: [...this.datagrams],
      bytes: [...this.bytes],
      ringDroppedMessages: [...this.ringDroppedMessages],
      ringDroppedBytes: [...this.ringDroppedBytes],
      ringUsedBytes: extra.ringUsedBytes,
      ringCapacityBytes: extra.ringCapacityBytes,
      tcpConnectionsOpened: this.tcpConnectionsOpened,
      tcpConnectionsOpen: this.tcpConnectionsOpen,
      tcpLinesTooLong: this.tcpLinesTooLong,
      udpReceiveBufferBytes: this.udpReceiveBufferBytes,
      hostUdpReceiveBufferErrors: extra.hostUdpReceiveBufferErrors,
      workerRestarts: [...this.workerRestarts],
      mergeBacklogEpochs: this.mergeBacklogEpochs,
      shardHeldEpochs: this.shardHeldEpochs,
      scrapesRefused: this.scrapesRefused,
      scrapesCut: this.scrapesCut,
      ...this.push.snapshot(),
      refused: [...this.refused],
      workerLostRecords: this.workerLostRecords,
      eventLoopDelayP99Seconds: this.eventLoopDelayP99Seconds,
      eventLoopDelayMaxSeconds: this.eventLoopDelayMaxSeconds,
    };
  }
}

export const TRANSPORT_UDP = TRANSPORTS.indexOf('udp');
export const TRANSPORT_TCP = TRANSPORTS.indexOf('tcp');
