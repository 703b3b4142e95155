import { TRANSPORTS, type IngestSnapshot } from '../protocol.js';
import { PushCounters } from './push-counters.js';

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
  workerRestarts = 0;
  readonly push = new PushCounters();

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
      workerRestarts: this.workerRestarts,
      ...this.push.snapshot(),
    };
  }
}

export const TRANSPORT_UDP = TRANSPORTS.indexOf('udp');
export const TRANSPORT_TCP = TRANSPORTS.indexOf('tcp');
