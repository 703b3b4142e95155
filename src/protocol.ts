/**
 * Message shapes between threads. Types only, plus the closed lists they index into; both
 * sides of the thread boundary import this file and nothing else from each other.
 *
 *   main ──ring records──▶ shard ──ShardDelta (msgpackr)──▶ merger ──Exposition──▶ main
 *   main ──MergerTick (each flush)─────────────────────────▶ merger
 *   main ──push record (seq)──▶ shard ──PushAck (seq)──▶ main   (answers the HTTP push)
 */
import type { DropReason, LogRefusalReason, ParseReason } from './errors.js';
import type { GaugeCombine, SummaryOptions } from './config/mapping-types.js';
import type { LogStats } from './logs/log-protocol.js';

/** Threads the daemon replaces when they fail; label values of catalyst_worker_restarts_total. */
export const WORKER_KINDS = ['shard', 'merger', 'log'] as const;
export type WorkerKind = (typeof WORKER_KINDS)[number];

/** Where bytes came in. Indexes the per-transport arrays in the stats below. */
export const TRANSPORTS = ['udp', 'tcp'] as const;
export type Transport = (typeof TRANSPORTS)[number];

/** The HTTP push receivers; label values of the push self-metrics. */
export const PUSH_RECEIVERS = ['json', 'pushgateway', 'otlp'] as const;
export type PushReceiver = (typeof PUSH_RECEIVERS)[number];

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
  /** A histogram-kind series a mapping rule makes a summary; its rows go in `summaries`. */
  summary?: SummaryOptions;
  /** Idle time after which the merged series is forgotten; absent or 0 means never. */
  ttlMs?: number;
  /**
   * A gauge an aggregation collapses by a rule other than `last`: the shard keeps one id per
   * source series, and `labels` above are the kept ones. Absent for every other series.
   */
  gaugeSource?: GaugeSourceKey;
}

/** Which source series of a combined gauge a definition feeds, and the combine rule. */
export interface GaugeSourceKey {
  rule: Exclude<GaugeCombine, 'last'>;
  /** The dropped label pairs, flattened as `labels`; they tell the sources apart. */
  dropped: string[];
}

// Mapping rules travel to shards and the merger; their shape lives with the file reader.
export * from './config/mapping-types.js';
/**
 * ShardDelta.generation = pool generation * this + table restarts. A pool generation is a
 * new worker after a failure; a table restart is the same worker starting a fresh series
 * table (on reload, or past its spelling bound).
 */
export const TABLES_PER_GENERATION = 1_000_000;

/** Summary values cross in HDR histograms of integers: millionths of the exposed unit. */
export const SUMMARY_VALUE_SCALE = 1e6;

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
  /**
   * Observations of summary series this epoch, absent when there were none. `buckets` holds
   * (value, count) pairs, one per non-empty HDR bucket, ascending, value being the bucket's
   * lowest in millionths of the exposed unit (workers/shard/summary-buckets.ts); sum and
   * count are weighted by 1 / sample rate, samples is not.
   */
  summaries?: Array<
    [id: number, samples: number, sum: number, count: number, buckets: Float64Array]
  >;
  /** Set members seen this epoch, per id, and how many samples named them. */
  sets: Array<[id: number, samples: number, members: string[]]>;
  /**
   * Pushgateway-style group operations decoded this epoch, in this shard's stream order.
   * Absent when there were none. The merger applies every shard's ops sorted by `order`.
   */
  groupOps?: GroupOp[];
  /** OTLP data points decoded this epoch, in stream order; absent when there were none. */
  otlpPoints?: OtlpPoint[];
  stats: ShardStats;
}

/**
 * One OTLP data point, translated to a Prometheus series. The merger keeps one value per
 * (family, labels) stream (workers/merge/otlp-series.ts):
 *  - set: cumulative sums, gauges, cumulative histograms and summaries replace the value;
 *  - add: delta sums and delta histograms are added, so the series stays cumulative however
 *    deltas and scrapes interleave.
 */
export interface OtlpPoint {
  order: number;
  mode: 'set' | 'add';
  /** Family name after translation (dots → `_`, unit suffix); counters without `_total`. */
  family: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary';
  help: string;
  /** Flattened sorted label pairs, `job` and `instance` from the resource included. */
  labels: string[];
  /** Counters and gauges: the value. Histograms and summaries: the sum. */
  value: number;
  count: number;
  /** Histograms: explicit upper bounds (+Inf implied). Summaries: quantiles. */
  bounds: number[];
  /** Histograms: per-bucket counts, not cumulative, +Inf last. Summaries: quantile values. */
  counts: number[];
}

/**
 * Pushed Prometheus text families of one group, by metric family name. Groups are absolute
 * state kept by the merger (workers/merge/push-groups.ts), never added to:
 *  - put:    the group becomes exactly `families` (an empty body empties it);
 *  - post:   each family in `families` replaces that family in the group, others stay;
 *  - delete: the group and its push_time_seconds go.
 * Every value is taken as given: a pushed counter is its cumulative value, not an increment.
 */
export interface GroupOp {
  method: 'put' | 'post' | 'delete';
  /** Stream position, as SeriesDefinition.firstOrder. */
  order: number;
  /** Grouping key: label pairs flattened [name0, value0, ...], names sorted, `job` included. */
  group: string[];
  /** When the main thread received the push, in seconds since the Unix epoch. */
  pushTimeSeconds: number;
  families: PushedFamily[];
}

/** What the main thread puts before a Pushgateway-style body (src/ingest/group-push-record.ts). */
export interface GroupPushHeader {
  method: GroupOp['method'];
  group: string[];
  pushTimeSeconds: number;
}

export type PushedFamilyType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface PushedFamily {
  name: string;
  type: PushedFamilyType;
  help: string;
  /** Sample lines: full sample name, flattened sorted labels (grouping key included), value. */
  samples: Array<[name: string, labels: string[], value: number]>;
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
  /** By worker kind (WORKER_KINDS order). */
  workerRestarts: number[];
  /** Epochs main has closed that the merger has not folded yet, at this tick. */
  mergeBacklogEpochs: number;
  /** Epochs shards folded into a later delta because the merger was behind, running total. */
  shardHeldEpochs: number;
  /** /metrics requests answered 503 because too many responses were being written. */
  scrapesRefused: number;
  /** /metrics responses closed unfinished because their reader stopped reading. */
  scrapesCut: number;
  /** Push requests answered, by receiver and HTTP status; statuses are the routes' own. */
  pushRequests: Array<[receiver: PushReceiver, status: number, total: number]>;
  /** Samples (OTLP: points) refused inside accepted bodies, by receiver and DROP_REASONS entry. */
  pushRefusedSamples: Array<[receiver: PushReceiver, reason: DropReason, total: number]>;
  /** Push bodies refused whole (nothing stored), by receiver and DROP_REASONS entry. */
  pushRefusedBodies: Array<[receiver: PushReceiver, reason: DropReason, total: number]>;
  /** The log worker's running totals, as it last reported them; absent before its first report. */
  logs?: LogStats;
  /** Refused before a ring, by reason (INGEST_REFUSAL_REASONS order). */
  refused: number[];
  /** Running total of records failed workers consumed and never delivered (shard-pool.ts). */
  workerLostRecords: number;
  /** Main-thread event-loop delay over the last flush interval, seconds. */
  eventLoopDelayP99Seconds: number;
  eventLoopDelayMaxSeconds: number;
}

// Messages between threads live in their own file; re-exported so one import serves.
export * from './thread-messages.js';

/**
 * What a shard made of one push record (RecordKind.Push*), posted on its ack port so the
 * main thread can answer the HTTP request that carried it. Sent once per push record, after
 * its samples are in the shard's state for the epoch the record's seq falls in.
 */
export interface PushAck {
  /** The record's seq, as RingDispatcher stamped it; keys the pending response. */
  seq: number;
  /** Samples stored. A histogram sample counts once, however many observations it has. */
  accepted: number;
  /** Samples refused, by DROP_REASONS entry; empty when all were accepted. */
  refused: Partial<Record<DropReason, number>>;
  /**
   * Set when the body as a whole could not be read (bad gzip, not JSON, no samples array):
   * nothing was stored. A human-readable sentence, sent back in the 400 response.
   */
  bodyError: string | null;
  /** The first refused sample's problem, for the response; null when none was refused. */
  firstSampleError: string | null;
}

export type { LogRefusalReason, ParseReason };

// Log worker messages live beside the other log types; re-exported so one import serves.
export * from './logs/log-protocol.js';
