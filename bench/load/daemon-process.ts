/**
 * catalyst-metrics as the bench runs it: the built CLI in a child process on free loopback
 * ports, warnings only on stderr, so that its CPU and RSS can be read from /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../src/cli.js', import.meta.url));
const READY_TIMEOUT_MS = 15_000;

export interface BenchDaemon {
  pid: number;
  udpPort: number;
  httpPort: number;
  metricsUrl: string;
  scrape(): Promise<string>;
  stop(): Promise<void>;
}

export interface DaemonOptions {
  flushIntervalMs: number;
  workers?: number;
  extraArgs?: string[];
  /** Runs the daemon under `node --cpu-prof`, each thread writing its profile here at exit. */
  cpuProfileDirectory?: string | null;
}

export async function startBenchDaemon(options: DaemonOptions): Promise<BenchDaemon> {
  const udpPort = await freeUdpPort();
  const httpPort = await freeTcpPort();
  const args = [
    CLI,
    ...['--statsd-udp', `127.0.0.1:${udpPort}`, '--statsd-tcp', 'off'],
    ...['--http', `127.0.0.1:${httpPort}`, '--log-level', 'warn'],
    // Not 4318: a bench must not take (or fail on) the port OTLP SDKs push to by default.
    ...['--otlp-http', 'off'],
    ...['--flush-interval-ms', String(options.flushIntervalMs)],
    ...(options.workers === undefined ? [] : ['--workers', String(options.workers)]),
    ...(options.extraArgs ?? []),
  ];
  // Worker threads inherit these through process.execArgv: shards and merger profile too.
  const nodeArgs = options.cpuProfileDirectory
    ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProfileDirectory]
    : [];
  const child = spawn(process.execPath, [...nodeArgs, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const baseUrl = `http://127.0.0.1:${httpPort}`;
  await waitForReady(baseUrl, child, () => stderr);

  return {
    pid: child.pid!,
    udpPort,
    httpPort,
    metricsUrl: `${baseUrl}/metrics`,
    scrape: async () => (await fetch(`${baseUrl}/metrics`)).text(),
    stop: () => stopChild(child),
  };
}

export function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const killTimer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(killTimer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function waitForReady(
  baseUrl: string,
  child: ChildProcess,
  stderr: () => string,
): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`daemon exited with ${child.exitCode}: ${stderr()}`);
    const isReady = await fetch(`${baseUrl}/-/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (isReady) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`daemon not ready within ${READY_TIMEOUT_MS} ms: ${stderr()}`);
}

export function freeUdpPort(): Promise<number> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    socket.bind(0, '127.0.0.1', () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}

export function freeTcpPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
