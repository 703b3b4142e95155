import { availableParallelism } from 'node:os';

/** Prometheus client libraries' default histogram buckets, in seconds, as statsd_exporter. */
export const DEFAULT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** One core is left to the main thread, which owns the sockets; at least one worker. */
export function defaultWorkerCount(): number {
  return Math.max(1, availableParallelism() - 1);
}

export const DEFAULTS = {
  statsdUdp: '127.0.0.1:8125',
  statsdTcp: '127.0.0.1:8125',
  http: '127.0.0.1:9102',
  // The port OpenTelemetry SDKs push OTLP/HTTP to when nothing is configured.
  otlpHttp: '127.0.0.1:4318',
  flushIntervalMs: 1000,
  // 16 MiB per worker holds about a quarter second of packed StatsD at 2 M lines/s.
  ringBytes: 16 * 1024 * 1024,
  // The kernel caps this at net.core.rmem_max; what it granted is logged and exported.
  udpReceiveBufferBytes: 8 * 1024 * 1024,
  tcpMaxLineBytes: 64 * 1024,
  // A push body is one ring record, and a record holds at most half a ring (8 MiB here).
  pushMaxBodyBytes: 4 * 1024 * 1024,
  // The largest IPv4 UDP payload: by default no datagram is refused for its size alone.
  maxDatagramBytes: 65507,
  tcpMaxConnections: 1024,
  // A client writes a line in one go; a line still open after this is a stalled or
  // trickling peer holding a connection slot (one byte a second).
  tcpLineTimeoutMs: 10_000,
  // node:http only (uWS's own HTTP timeout is a fixed 10 s); headers get at most 10 s of it.
  httpRequestTimeoutMs: 30_000,
  // Sixteen bodies of the default 4 MiB limit at once; past it a body gets 503.
  pushMaxInflightBytes: 64 * 1024 * 1024,
  // Match workers/parse/sample-limits.ts DEFAULT_SAMPLE_LIMITS (a test keeps them equal).
  maxNameBytes: 1024,
  maxLabelsPerSample: 64,
  maxLabelValueBytes: 4096,
  // Prometheus servers scrape one at a time; 32 leaves room for several of them and humans.
  maxConcurrentScrapes: 32,
  // Below uWS's own 10 s idle timeout, so the cut is ours and counted on both engines.
  scrapeWriteTimeoutMs: 5000,
  logLevel: 'info',
  httpEngine: 'auto',
  logsTailRecords: 1000,
  logsMaxServices: 1000,
  logsFile: 'off',
  logsFileMaxBytes: 64 * 1024 * 1024,
  logsFileMaxFiles: 5,
  mappingConfig: '',
  // Generous for one node, finite so a flood of names cannot take the host's memory: the
  // merger holds roughly 1 KiB per series, so about 200 MiB at the bound.
  maxSeries: 200_000,
  // A summary series holds its observations' HDR buckets for max_age: a few kB for a quiet
  // series, up to about 160 kB for one busy over a wide range (bench/summaries.ts).
  maxSummarySeries: 10_000,
} as const;
