import type { ListenAddress } from './listen-address.js';

/** The daemon's whole configuration, validated. Built by load.ts from the command line. */
export interface DaemonConfig {
  statsdUdp: ListenAddress | null;
  statsdTcp: ListenAddress | null;
  http: ListenAddress | null;
  /** OTLP/HTTP receiver alone (POST /v1/metrics), where SDKs push by default; null when off. */
  otlpHttp: ListenAddress | null;
  workers: number;
  flushIntervalMs: number;
  /** Histogram upper bounds, ascending, finite; seconds for timers. */
  buckets: number[];
  /** Data bytes of each worker ring; a power of two. */
  ringBytes: number;
  udpReceiveBufferBytes: number;
  tcpMaxLineBytes: number;
  /** Largest HTTP push body, as received (before gunzip); past it the push gets 413. */
  pushMaxBodyBytes: number;
  /** UDP datagrams longer than this are dropped whole and counted (datagram_too_large). */
  maxDatagramBytes: number;
  /** TCP connections open at once; one more is closed at accept and counted. */
  tcpMaxConnections: number;
  /** A TCP line unfinished this long closes its connection, counted as line_timeout. */
  tcpLineTimeoutMs: number;
  /** node:http engine: whole-request bound against slow clients (node-engine.ts). */
  httpRequestTimeoutMs: number;
  /** Request-body bytes held at once over every HTTP request (src/http/body-budget.ts). */
  pushMaxInflightBytes: number;
  /** Per-line bounds, enforced by the shards (workers/parse/sample-limits.ts). */
  maxNameBytes: number;
  maxLabelsPerSample: number;
  maxLabelValueBytes: number;
  /** GET /metrics responses being written at once; one more is answered 503 and counted. */
  maxConcurrentScrapes: number;
  scrapeWriteTimeoutMs: number;
  /** Bearer tokens; null: no token, the route is open. A *File variant names a file holding it. */
  pushToken: string | null;
  pushTokenFile: string | null;
  metricsToken: string | null;
  metricsTokenFile: string | null;
  /** Guards POST /-/reload and the /debug routes. */
  adminToken: string | null;
  adminTokenFile: string | null;
  /** Where the merger keeps its cumulative state across restarts; null: nowhere. */
  stateFile: string | null;
  /** Enables POST /debug/kill-worker for fault tests; never on in production. */
  debugFaultInjection: boolean;
  logLevel: LogLevel;
  /** `auto`: the first native uWS binding that loads, else node:http. `node`: node:http. */
  httpEngine: 'auto' | 'node';
  /** Records kept per service for GET /api/v1/logs. */
  logsTailRecords: number;
  /** Distinct services counted and tailed; records of later ones count as service="other". */
  logsMaxServices: number;
  /** NDJSON hand-off file of pushed log records; null when off. */
  logsFile: string | null;
  logsFileMaxBytes: number;
  /** Rotated files kept besides the live one. */
  logsFileMaxFiles: number;
  /** statsd_exporter mapping file (config/mapping-file.ts); null when none. */
  mappingConfig: string | null;
  /** Series over all metrics; a new series past it is not created and its samples are counted. */
  maxSeries: number;
  /** Summary series (observer_type: summary); past it a new one is refused like maxSeries. */
  maxSummarySeries: number;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
