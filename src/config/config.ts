import type { ListenAddress } from './listen-address.js';

/** The daemon's whole configuration, validated. Built by load.ts from the command line. */
export interface DaemonConfig {
  statsdUdp: ListenAddress | null;
  statsdTcp: ListenAddress | null;
  http: ListenAddress | null;
  workers: number;
  flushIntervalMs: number;
  /** Histogram upper bounds, ascending, finite; seconds for timers. */
  buckets: number[];
  /** Data bytes of each worker ring; a power of two. */
  ringBytes: number;
  udpReceiveBufferBytes: number;
  tcpMaxLineBytes: number;
  logLevel: LogLevel;
  /** `auto`: the first native uWS binding that loads, else node:http. `node`: node:http. */
  httpEngine: 'auto' | 'node';
  /** statsd_exporter mapping file (config/mapping-file.ts); null when none. */
  mappingConfig: string | null;
  /** Series over all metrics; a new series past it is not created and its samples are counted. */
  maxSeries: number;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
