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

export interface TcpOptions {
  maxLineBytes: number;
  maxConnections: number;
  /** How long a line may stay unfinished before its connection is closed (line_timeout). */
  lineTimeoutMs: number;
}

/**
 * StatsD over TCP: newline-separated lines on a stream. Only whole lines go to a ring; the
 * unfinished tail of a chunk waits for the next chunk, within two bounds past which the
 * connection is closed and counted:
 *  - `maxLineBytes`: a peer that never sends a newline must not hold memory;
 *  - `lineTimeoutMs`: a peer sending a byte a second must not hold a connection slot for
 *    ever. An idle connection between whole lines is not timed: clients keep one open.
 */
export function listenTcp(
  address: ListenAddress,
  options: TcpOptions,
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
    handleConnection(socket, options, dispatcher, counters);
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
  options: TcpOptions,
  dispatcher: RingDispatcher,
  counters: IngestCounters,
): void {
  const { maxLineBytes } = options;
  let pending: Buffer | null = null;
  // Armed when a line starts without ending, cleared when no line is left open: a line
  // trickled in over many chunks keeps the deadline its first byte set.
  let lineTimer: NodeJS.Timeout | null = null;
  const watchPendingLine = (): void => {
    if (pending === null) {
      if (lineTimer !== null) clearTimeout(lineTimer);
      lineTimer = null;
      return;
    }
    lineTimer ??= setTimeout(() => {
      counters.refuse('line_timeout');
      pending = null;
      socket.destroy();
    }, options.lineTimeoutMs);
  };
  socket.on('close', () => {
    if (lineTimer !== null) clearTimeout(lineTimer);
  });

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
      watchPendingLine();
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
    // A complete line arrived: the open one, if any, is new and gets its own deadline.
    if (lineTimer !== null) clearTimeout(lineTimer);
    lineTimer = null;
    watchPendingLine();
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
