import net from 'node:net';
import type { ListenAddress } from '../config/listen-address.js';
import type { Logger } from '../log.js';
import { RecordKind } from '../ring/layout.js';
import type { RingDispatcher } from '../ring/ring-dispatcher.js';
import { TRANSPORT_TCP, type IngestCounters } from './ingest-counters.js';

export interface TcpListener {
  port: number;
  close(): Promise<void>;
}

const NEWLINE = 0x0a;

/**
 * StatsD over TCP: newline-separated lines on a stream. Only whole lines go to a ring; the
 * unfinished tail of a chunk waits for the next chunk, up to `maxLineBytes`, past which the
 * connection is closed and counted (a peer that never sends a newline must not hold memory).
 */
export function listenTcp(
  address: ListenAddress,
  options: { maxLineBytes: number; maxConnections: number },
  dispatcher: RingDispatcher,
  counters: IngestCounters,
  log: Logger,
): Promise<TcpListener> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    // Over the limit: reset at once, before any byte is read or buffered for it.
    if (sockets.size >= options.maxConnections) {
      counters.refuse('connection_limit');
      socket.resetAndDestroy();
      return;
    }
    counters.tcpConnectionsOpened++;
    counters.tcpConnectionsOpen++;
    sockets.add(socket);
    handleConnection(socket, options.maxLineBytes, dispatcher, counters);
    socket.on('close', () => {
      counters.tcpConnectionsOpen--;
      sockets.delete(socket);
    });
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(address.port, address.host, () => {
      server.off('error', reject);
      server.on('error', (err) => log.error({ err }, 'tcp server error'));
      const port = (server.address() as net.AddressInfo).port;
      log.info({ address: address.host, port }, 'statsd tcp listening');
      resolve({
        port,
        close: () =>
          new Promise((done) => {
            server.close(() => done());
            // Half-close: peers see EOF; what they already sent is still read.
            for (const socket of sockets) socket.end();
          }),
      });
    });
  });
}

function handleConnection(
  socket: net.Socket,
  maxLineBytes: number,
  dispatcher: RingDispatcher,
  counters: IngestCounters,
): void {
  let pending: Buffer | null = null;

  socket.on('data', (chunk: Buffer) => {
    counters.datagrams[TRANSPORT_TCP]++;
    counters.bytes[TRANSPORT_TCP] += chunk.length;
    const lastNewline = chunk.lastIndexOf(NEWLINE);

    // No line ends in this chunk: keep it, unless the line is already too long.
    if (lastNewline < 0) {
      pending = pending === null ? Buffer.from(chunk) : Buffer.concat([pending, chunk]);
      if (pending.length > maxLineBytes) {
        counters.tcpLinesTooLong++;
        pending = null;
        socket.destroy();
      }
      return;
    }

    const complete: Buffer =
      pending === null ? chunk : Buffer.concat([pending, chunk.subarray(0, lastNewline + 1)]);
    const completeEnd = pending === null ? lastNewline + 1 : complete.length;
    dispatcher.dispatchLines(RecordKind.StatsdTcp, TRANSPORT_TCP, complete, 0, completeEnd);

    // Copy the tail: a view would pin the whole chunk until the line completes.
    const tailBytes = chunk.length - (lastNewline + 1);
    pending = tailBytes > 0 ? Buffer.from(chunk.subarray(lastNewline + 1)) : null;
    if (pending !== null && pending.length > maxLineBytes) {
      counters.tcpLinesTooLong++;
      pending = null;
      socket.destroy();
    }
  });

  // A stream may end without a final newline; its last line still counts.
  socket.on('end', () => {
    if (pending !== null) {
      dispatcher.dispatchLines(RecordKind.StatsdTcp, TRANSPORT_TCP, pending, 0, pending.length);
    }
    pending = null;
    socket.end();
  });
  socket.on('error', () => socket.destroy());
}
