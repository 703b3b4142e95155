import { spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import http, { type IncomingHttpHeaders } from 'node:http';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseExposition, type ExpositionSample } from './exposition.js';

const CLI = fileURLToPath(new URL('../../dist/src/cli.js', import.meta.url));

export interface RunningDaemon {
  process: ChildProcess;
  ports: {
    statsdUdp: number | null;
    statsdTcp: number | null;
    http: number | null;
    otlpHttp: number | null;
  };
  /** Every JSON log line so far. */
  logs: Array<Record<string, unknown>>;
  stderr: () => string;
  baseUrl: string;
  scrape(headers?: Record<string, string>): Promise<string>;
  samples(): Promise<ExpositionSample[]>;
  /** GET /metrics with nothing decoded: the body exactly as sent (gzip stays gzip). */
  scrapeRaw(headers?: Record<string, string>): Promise<RawResponse>;
  /**
   * Scrapes until `isDone` accepts the samples (bounded), and returns those samples. For
   * figures that hold for one flush interval only, such as a set's distinct count.
   */
  waitForSamples(
    isDone: (samples: ExpositionSample[]) => boolean,
    describe: string,
    timeoutMs?: number,
  ): Promise<ExpositionSample[]>;
  /** Waits until an exposition rendered after now is served (one flush or more). */
  nextFlush(): Promise<void>;
  sendUdp(payload: string | Buffer): Promise<void>;
  sendTcp(payload: string | Buffer): Promise<void>;
  /** SIGTERM, then resolves with the exit code. */
  stop(): Promise<number | null>;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const WAIT_TIMEOUT_MS = 10_000;

/**
 * Starts the built daemon (dist/) as a child process on ephemeral 127.0.0.1 ports and
 * waits for its "ready to receive" log line, which carries the bound ports.
 */
export async function startDaemon(
  args: string[] = [],
  options: { nodeBinary?: string; metricsToken?: string } = {},
): Promise<RunningDaemon> {
  const child = spawn(
    options.nodeBinary ?? process.execPath,
    [
      CLI,
      '--statsd-udp',
      '127.0.0.1:0',
      '--statsd-tcp',
      '127.0.0.1:0',
      '--http',
      '127.0.0.1:0',
      '--otlp-http',
      '127.0.0.1:0',
      '--flush-interval-ms',
      '100',
      ...args,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const logs: Array<Record<string, unknown>> = [];
  let stderr = '';
  let pending = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));

  const ready = new Promise<RunningDaemon['ports']>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (line.trim() === '') continue;
        const entry = JSON.parse(line) as Record<string, unknown>;
        logs.push(entry);
        if (entry.msg === 'ready to receive') resolve(entry.ports as RunningDaemon['ports']);
      }
    });
    child.once('exit', (code) => reject(new Error(`daemon exited with ${code}: ${stderr}`)));
  });
  const ports = await ready;
  const baseUrl = `http://127.0.0.1:${ports.http}`;
  await waitUntilReady(baseUrl);

  // With --metrics-token, every scrape the helper makes carries it.
  const authorization: Record<string, string> =
    options.metricsToken === undefined ? {} : { authorization: `Bearer ${options.metricsToken}` };
  const scrape = async (headers: Record<string, string> = {}): Promise<string> => {
    const response = await fetch(`${baseUrl}/metrics`, {
      headers: { ...authorization, ...headers },
    });
    return response.text();
  };
  const flushesRendered = async (): Promise<number> =>
    parseExposition(await scrape()).find((s) => s.name === 'catalyst_merge_duration_seconds_count')
      ?.value ?? 0;

  const daemon: RunningDaemon = {
    process: child,
    ports,
    logs,
    stderr: () => stderr,
    baseUrl,
    scrape,
    samples: async () => parseExposition(await scrape()),
    scrapeRaw: (headers = {}) => getRaw(`${baseUrl}/metrics`, { ...authorization, ...headers }),
    async waitForSamples(isDone, describe, timeoutMs = WAIT_TIMEOUT_MS) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const samples = parseExposition(await scrape());
        if (isDone(samples)) return samples;
        if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${describe}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    async nextFlush() {
      // Two more merges than now: the first may have started before the caller's send.
      const target = (await flushesRendered()) + 2;
      const deadline = Date.now() + 10_000;
      while ((await flushesRendered()) < target) {
        if (Date.now() > deadline) throw new Error('no flush within 10 s');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    sendUdp: (payload) => sendUdp(ports.statsdUdp!, payload),
    sendTcp: (payload) => sendTcp(ports.statsdTcp!, payload),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) {
          resolve(child.exitCode);
          return;
        }
        child.once('exit', (code) => resolve(code));
        child.kill('SIGTERM');
      }),
  };
  return daemon;
}

export function sendUdp(port: number, payload: string | Buffer): Promise<void> {
  const socket = dgram.createSocket('udp4');
  return new Promise((resolve, reject) => {
    socket.send(payload, port, '127.0.0.1', (err) => {
      socket.close();
      if (err) reject(err);
      else resolve();
    });
  });
}

export function sendTcp(port: number, payload: string | Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.end(payload));
    socket.on('close', () => resolve());
    socket.on('error', reject);
  });
}

function getRaw(url: string, headers: Record<string, string>): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({ status: response.statusCode!, headers: response.headers, body });
      });
      response.on('error', reject);
    });
    request.setTimeout(WAIT_TIMEOUT_MS, () => request.destroy(new Error(`no answer from ${url}`)));
    request.on('error', reject);
  });
}

/** /-/ready turns 200 once the first epoch has gone through every shard and the merger. */
async function waitUntilReady(baseUrl: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while ((await fetch(`${baseUrl}/-/ready`)).status !== 200) {
    if (Date.now() > deadline) throw new Error('daemon not ready within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
