import dgram from 'node:dgram';
import { isIP } from 'node:net';
import type { ListenAddress } from '../config/listen-address.js';
import type { Logger } from '../log.js';
import { RecordKind } from '../ring/layout.js';
import type { RingDispatcher } from '../ring/ring-dispatcher.js';
import { TRANSPORT_UDP, type IngestCounters } from './ingest-counters.js';

export interface UdpListener {
  port: number;
  close(): Promise<void>;
}

/**
 * StatsD over UDP: each datagram goes to a ring as it is, unparsed. The handler does the
 * least it can, because the kernel drops what the socket buffer cannot hold while it runs.
 */
export function listenUdp(
  address: ListenAddress,
  options: { receiveBufferBytes: number; maxDatagramBytes: number },
  dispatcher: RingDispatcher,
  counters: IngestCounters,
  log: Logger,
): Promise<UdpListener> {
  const type = isIP(address.host) === 6 ? 'udp6' : 'udp4';
  const socket = dgram.createSocket({ type, recvBufferSize: options.receiveBufferBytes });

  socket.on('message', (datagram) => {
    counters.datagrams[TRANSPORT_UDP]++;
    counters.bytes[TRANSPORT_UDP] += datagram.length;
    // Too large: dropped whole, since its last line may be cut anyway.
    if (datagram.length > options.maxDatagramBytes) {
      counters.refuse('datagram_too_large');
      return;
    }
    dispatcher.dispatch(RecordKind.StatsdUdp, TRANSPORT_UDP, datagram, 0, datagram.length);
  });

  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(address.port, address.host, () => {
      socket.off('error', reject);
      socket.on('error', (err) => log.error({ err }, 'udp socket error'));
      // Linux reports twice what it granted (the doubling covers its bookkeeping).
      counters.udpReceiveBufferBytes = socket.getRecvBufferSize();
      const port = socket.address().port;
      log.info(
        {
          address: address.host,
          port,
          requestedReceiveBufferBytes: options.receiveBufferBytes,
          grantedReceiveBufferBytes: counters.udpReceiveBufferBytes,
        },
        'statsd udp listening',
      );
      resolve({
        port,
        close: () => new Promise((done) => socket.close(() => done())),
      });
    });
  });
}
