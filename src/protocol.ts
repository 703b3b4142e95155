/**
 * Message shapes between threads. Types only, plus the closed lists they index into; both
 * sides of the thread boundary import this file and nothing else from each other.
 *
 *   main ──ring records──▶ shard ──ShardDelta (msgpackr)──▶ merger ──Exposition──▶ main
 *   main ──MergerTick (each flush)─────────────────────────▶ merger
 */
import type { MessagePort } from 'node:worker_threads';
import type { ParseReason, WireError } from './errors.js';

/** Where bytes came in. Indexes the per-transport arrays in the stats below. */
export const TRANSPORTS = ['udp', 'tcp'] as const;
export type Transport = (typeof TRANSPORTS)[number];

/** What a series becomes on /metrics. Timers, histograms and distributions are histograms. */
export const SeriesKind = { Counter: 0, Gauge: 1, Histogram: 2, Set: 3 } as const;
export type SeriesKind = (typeof SeriesKind)[keyof typeof SeriesKind];

/** A series a shard has given an id; sent once per shard generation. */
export interface SeriesDefinition {
  id: number;
  kind: SeriesKind;
  /** Sanitised metric name, without any `_total` the exposition adds. */
  name: string;
  /** Label pairs flattened [name0, value0, name1, value1, ...], names sorted. */
  labels: string[];
  /**
   * Stream position of the first sample, relative to the epoch start:
   * (seq - epochStartSeq) * 2^16 + line index. Decides which type claims a name first.
   */
  firstOrder: number;
  /** Histogram upper bounds a mapping rule chose; absent means the daemon's --buckets. */
  buckets?: number[];
  /** Idle time after which the merged series is forgotten; absent or 0 means never. */
  ttlMs?: number;
}

/** Which StatsD types a mapping rule applies to; null means every type. */
export type MetricTypeFilter = 'counter' | 'gauge' | 'observer' | null;

/** One statsd_exporter mapping, checked and with its defaults applied (config/mapping-file.ts). */
export interface MappingRule {
  match: string;
  matchType: 'glob' | 'regex';
  isDrop: boolean;
  /** Template with $1 / ${1}; '' for a drop rule. */
  name: string;
  /** Label name → value template, sorted by name. */
  labels: Array<[string, string]>;
  metricType: MetricTypeFilter;
  /** A summary is exposed as a histogram; see the README's Limits. */
  observer: 'histogram' | 'summary';
  /** null: the daemon's --buckets. */
  buckets: number[] | null;
  /** 0: the type's TTL from `catalyst.ttl`, else never. */
  ttlMs: number;
}

/** A whole mapping file; sent to every shard and the merger at start and on reload. */
export interface MappingConfig {
  rules: MappingRule[];
  /** Per SeriesKind (counter, gauge, histogram, set); 0 means never. */
  typeTtlMs: number[];
  /** Metric name (after mapping) → most series it may have. */
  seriesLimits: Record<string, number>;
  /** Labels removed before series are told apart, so the series they split add up. */
  aggregations: Array<{ metric: string; dropLabels: string[] }>;
}

export const EMPTY_MAPPING: MappingConfig = {
  rules: [],
  typeTtlMs: [0, 0, 0, 0],
  seriesLimits: {},
  aggregations: [],
};

/**
 * ShardDelta.generation = pool generation * this + table restarts. A pool generation is a
 * new worker after a failure; a table restart is the same worker starting a fresh series
 * table (on reload, or past its spelling bound).
 */
export const TABLES_PER_GENERATION = 1_000_000;

/** Numbers per counter row: id, samples, sum. */
export const COUNTER_ROW = 3;
/** Numbers before the (position, delta) pairs of a gauge record. */
export const GAUGE_RECORD_HEAD = 6;
/** Numbers before the bucket counts of a histogram row: id, samples, sum, count. */
export const HISTOGRAM_ROW_HEAD = 4;

/** Counts a shard keeps about its own work during one epoch. */
export interface ShardStats {
  /** Lines seen, by transport (TRANSPORTS order). */
  lines: number[];
  /** parseErrors[transport][reason], PARSE_REASONS order. */
  parseErrors: number[][];
  /** Samples stored, after parsing; a packed line counts each value. */
  samples: number;
  events: number;
  serviceChecks: number;
  droppedTags: number;
  /** Samples a mapping rule with `action: drop` discarded. */
  mappingDropped: number;
  /** Samples of new spellings refused because the shard's series table was full. */
  spellingLimitDropped: number;
}

/**
 * Everything one shard saw in one epoch (between two flush cuts). Numeric parts are flat
 * Float64Arrays so msgpackr copies them as single blocks.
 */
export interface ShardDelta {
  shard: number;
  /** Bumps when the worker is replaced; its ids then start over. */
  generation: number;
  epoch: number;
  definitions: SeriesDefinition[];
  /** Rows: id, samples, sum of increments. */
  counters: Float64Array;
  /**
   * Records: id, samples, hasSet (0|1), setOrder, setValue, n, then n pairs (order, delta)
   * of the deltas after the shard's own last set (all deltas when hasSet is 0).
   */
  gauges: Float64Array;
  /**
   * Rows of histogramStride numbers: id, samples, sum, count, then one count per bucket,
   * +Inf last. count and bucket counts are weighted by 1 / sample rate; samples is not.
   */
  histograms: Float64Array;
  histogramStride: number;
  /** Histograms whose mapping chose other bounds: one block of rows per distinct bound list. */
  customHistograms: Array<{ upperBounds: number[]; stride: number; rows: Float64Array }>;
  /** Set members seen this epoch, per id, and how many samples named them. */
  sets: Array<[id: number, samples: number, members: string[]]>;
  stats: ShardStats;
}

/** The main thread's own counters, cumulative since start, sent with every tick. */
export interface IngestSnapshot {
  /** By transport (TRANSPORTS order). */
  datagrams: number[];
  bytes: number[];
  ringDroppedMessages: number[];
  ringDroppedBytes: number[];
  /** By worker. */
  ringUsedBytes: number[];
  ringCapacityBytes: number;
  tcpConnectionsOpened: number;
  tcpConnectionsOpen: number;
  tcpLinesTooLong: number;
  /** What the kernel granted for SO_RCVBUF on the UDP socket (0 when UDP is off). */
  udpReceiveBufferBytes: number;
  /** RcvbufErrors from /proc/net/snmp: every UDP socket of the host, not only ours. */
  hostUdpReceiveBufferErrors: number;
  workerRestarts: number;
}

export interface MergerTick {
  kind: 'tick';
  epoch: number;
  ingest: IngestSnapshot;
  /** Render OpenMetrics as well this time: a scraper asked for it recently. */
  wantsOpenMetrics: boolean;
}

export interface DeltaMessage {
  kind: 'delta';
  shard: number;
  epoch: number;
  /** msgpackr-encoded ShardDelta. */
  payload: Uint8Array;
}

export type ExpositionFormat = 'text' | 'openmetrics';

/** A finished rendering. The main thread serves it as-is until the next one arrives. */
export interface Exposition {
  kind: 'exposition';
  epoch: number;
  format: ExpositionFormat;
  plain: Uint8Array;
  gzip: Uint8Array;
}

export interface RenderRequest {
  kind: 'render';
  format: ExpositionFormat;
}

/** Sent after the final tick: once that epoch is rendered, the merger task returns. */
export interface MergerStop {
  kind: 'stop';
  finalEpoch: number;
}

/** New mapping rules: shards and the merger switch at their next epoch boundary. */
export interface MappingUpdate {
  kind: 'mapping';
  mapping: MappingConfig;
}

/** A reload found the file bad: the old rules stay; the merger counts the failure. */
export interface ReloadFailed {
  kind: 'reload-failed';
}

/** Asks the merger for /debug/cardinality; answered by a CardinalityReport with the same id. */
export interface CardinalityRequest {
  kind: 'cardinality';
  id: number;
}

export interface CardinalityReport {
  kind: 'cardinality';
  id: number;
  /** The JSON body, ready to send. */
  json: string;
}

export type MergerInbound =
  | MergerTick
  | RenderRequest
  | ShardAttach
  | MergerStop
  | MappingUpdate
  | ReloadFailed
  | CardinalityRequest;
export type MergerOutbound = Exposition | MergerReady | MergerFailure | CardinalityReport;

/** Tells the merger which port a (new generation of a) shard sends on. */
export interface ShardAttach {
  kind: 'attach';
  shard: number;
  generation: number;
  /** First epoch this generation reports; earlier epochs are not waited for. */
  fromEpoch: number;
  port: MessagePort;
}

export interface MergerReady {
  kind: 'ready';
}

export interface MergerFailure {
  kind: 'failure';
  error: WireError;
}

export type { ParseReason };
