/**
 * The machine's ceiling: a count-only UDP receiver in its own process, with the daemon's
 * socket options (udp4, the same receive buffer) and no parsing or aggregation. It counts
 * lines as newline bytes plus one per datagram and answers `count` over IPC.
 *
 * Run as a script it receives; imported, `startCeilingReceiver` forks it.
 */
import { fork } from 'node:child_process';
import dgram from 'node:dgram';
import { fileURLToPath } from 'node:url';
import { DEFAULTS } from '../../src/config/defaults.js';
import { freeUdpPort, stopChild } from './daemon-process.js';

export interface CeilingReceiver {
  pid: number;
  port: number;
  countLines(): Promise<number>;
  stop(): Promise<void>;
}

const SELF = fileURLToPath(import.meta.url);

export async function startCeilingReceiver(): Promise<CeilingReceiver> {
  const port = await freeUdpPort();
  const child = fork(SELF, ['receive', String(port)], { stdio: 'inherit' });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`ceiling receiver exited with ${code}`)));
  });
  return {
    pid: child.pid!,
    port,
    countLines: () =>
      new Promise((resolve) => {
        child.once('message', (message) => resolve((message as { lines: number }).lines));
        child.send('count');
      }),
    stop: () => stopChild(child),
  };
}

function receive(port: number): void {
  const socket = dgram.createSocket({
    type: 'udp4',
    recvBufferSize: DEFAULTS.udpReceiveBufferBytes,
  });
  let lines = 0;
  socket.on('message', (datagram: Buffer) => {
    lines++;
    for (let i = datagram.indexOf(10); i >= 0; i = datagram.indexOf(10, i + 1)) lines++;
  });
  socket.bind(port, '127.0.0.1', () => process.send!('ready'));
  process.on('message', () => process.send!({ lines }));
  process.on('SIGTERM', () => socket.close(() => process.exit(0)));
}

if (process.argv[2] === 'receive' && process.argv[1] === SELF) receive(Number(process.argv[3]));
